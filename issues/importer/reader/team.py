"""
The team, from its section, and the publication's contact among its members: the
person the introduction asks readers to write to (“get in touch with Name, job
title, at …”), or whom exported e-mails name in their line “To suggest something for
a future issue, get in touch with Name, job title, organisation.”
"""

import re
from dataclasses import replace

from issues.importer.reader.blocks import Block
from issues.importer.reader.outline import CONTACT_LINE, SectionDraft
from issues.importer.reader.text import make_slug
from issues.importer.structure import TeamMemberContent

_CONTACT = re.compile(
    r"(?:get in touch with|contact|write to)\s+(?P<name>[A-Z][^,]+?),\s*"
    r"(?P<title>.+?)\s+(?:for|at|on)\b"
)


def read_team(section: SectionDraft | None) -> list[TeamMemberContent]:
    if section is None:
        return []
    return [
        TeamMemberContent(
            name=name, slug=make_slug(name, 200), organisation=organisation, role=role
        )
        for name, organisation, role in section.team_entries
    ]


def with_contact(
    members: list[TeamMemberContent],
    paragraphs: list[Block],
    contact_line: Block | None,
) -> tuple[list[TeamMemberContent], str]:
    """
    ``members``, the contact's job title and e-mail address filled in, and the
    contact's slug ("" when none is named).
    """
    contact_slug = ""
    for paragraph in paragraphs:
        contact = _contact_in(paragraph, members)
        if contact:
            contact_slug = contact.slug
            members = _replaced(members, contact)
    contact = _contact_in_line(contact_line, members)
    if contact:
        contact_slug = contact.slug
        members = _replaced(members, contact)
    return members, contact_slug


def _contact_in(block: Block, members) -> TeamMemberContent | None:
    emails = [url[7:] for _, url in block.links if url.startswith("mailto:")]
    match = _CONTACT.search(block.text)
    if not emails or not match:
        return None
    member = _named(members, match["name"].strip())
    if member is None:
        return None
    return replace(member, job_title=match["title"].strip(), email=emails[0])


def _contact_in_line(block: Block | None, members) -> TeamMemberContent | None:
    if block is None or not block.links:
        return None
    name, url = block.links[0]
    member = _named(members, name)
    if member is None:
        return None
    rest = CONTACT_LINE.match(block.text)["rest"]
    rest = rest.removeprefix(name).lstrip(" ,")
    if member.organisation:
        rest = rest.removesuffix(member.organisation).rstrip(" ,")
    email = url[7:] if url.startswith("mailto:") else ""
    return replace(member, job_title=rest[:200], email=email)


def _named(members, name: str) -> TeamMemberContent | None:
    return next((member for member in members if member.name == name), None)


def _replaced(members, contact: TeamMemberContent) -> list[TeamMemberContent]:
    return [contact if member.slug == contact.slug else member for member in members]
