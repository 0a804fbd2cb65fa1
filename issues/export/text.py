"""
The plain-text version of an issue, from its content snapshot: readable on its own,
wrapped at 76 columns, with every link as a numbered reference listed at the end.
Mailers' tags typed into content are broken by a word joiner, which readers do not
see (issues/export/mailer_tags.py).
"""

import textwrap

from issues.export.html import mailer_links
from issues.export.mailer_tags import WORD_JOINER, in_text, shown_content
from issues.export.utm import utm_parameters, with_utm
from newsroom.core.richtext import plain_text

WIDTH = 76

# Mailchimp's merge tags for HTML have plain-text twins.
_TEXT_MERGE_TAGS = {"*|HTML:LIST_ADDRESS_HTML|*": "*|LIST:ADDRESS|*"}


class _References:
    """Links numbered in order of appearance; the same link keeps its number."""

    def __init__(self, utm: dict):
        self.utm = utm
        self.urls: list[str] = []

    def __call__(self, url: str) -> str:
        url = with_utm(url, self.utm)
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"

    def link(self, words: str, target: str) -> str:
        """A link in rich text: its words and number, or the address it writes to."""
        if target.startswith("mailto:"):
            address = target.removeprefix("mailto:").partition("?")[0]
            return words if address in words else f"{words} ({address})"
        return f"{words} {self(target)}"


def render_text(snapshot: dict, profile) -> str:
    ref = _References(utm_parameters(profile, snapshot))
    mailer = mailer_links(snapshot, profile, words=in_text)
    snapshot = shown_content(snapshot, in_text)
    out = _opening(snapshot, mailer, ref)
    for section in snapshot["sections"]:
        out += _section(section, ref)
    out.append("-" * WIDTH)
    out += _closing(snapshot, ref)
    footer = _footer(snapshot, mailer)
    if footer:
        out.append(footer)
    if ref.urls:
        out.append(
            "Links:\n"
            + "\n".join(
                f"[{number}] {url}" for number, url in enumerate(ref.urls, start=1)
            )
        )
    return "\n\n".join(out) + "\n"


def _opening(snapshot: dict, mailer: dict, ref: _References) -> list[str]:
    publication = snapshot["publication"]
    issue = snapshot["issue"]
    out = [
        _wrap(f"View this e-mail in your browser: {mailer['web_version_url']}"),
        _heading(publication["name"], "="),
        issue["title"],
        *_rich_text(publication["intro"], ref),
        *_rich_text(issue["intro"], ref),
    ]
    if publication["signup_url"]:
        out.append(
            _wrap(
                "Received this from a colleague? Sign up to receive "
                f"{publication['name']} {ref(publication['signup_url'])}."
            )
        )
    return out


def _section(section: dict, ref: _References) -> list[str]:
    out = [_heading(section["title"], "=")]
    for member in section["team"]:
        line = member["name"]
        if member["organisation"]:
            line += f", {member['organisation']}"
        out.append(_wrap(f"{line}, {member['role']}"))
    for item in section["items"]:
        out += _item(item, ref)
    return out


def _item(item: dict, ref: _References) -> list[str]:
    out = [_heading(item["title"], "-")]
    deadline = item["deadline"]
    if deadline:
        out.append(_wrap(f"{deadline['label']}: {deadline['date_display']}"))
    event = item["event"]
    if event:
        out.append("\n".join(_wrap(fact) for fact in _event_facts(event)))
    out += _rich_text(item["body"], ref)
    cta_url = item["cta"]["url"] if item["cta"] else ""
    if event and event["registration_url"] and event["registration_url"] != cta_url:
        out.append(
            _wrap(f"Register for {event['title']} {ref(event['registration_url'])}")
        )
    if item["cta"]:
        out.append(_wrap(f"{item['cta']['label']} {ref(cta_url)}"))
    return out


def _event_facts(event: dict) -> list[str]:
    facts = [f"Date: {event['when']}"]
    if event["location"]:
        facts.append(f"Place: {event['location']}")
    if event["format"]:
        facts.append(f"Format: {event['format']}")
    facts += [
        f"{deadline['label']}: {deadline['date_display']}"
        for deadline in event["deadlines"]
    ]
    return facts


def _closing(snapshot: dict, ref: _References) -> list[str]:
    out = []
    contact = snapshot["contact"]
    if contact:
        who = contact["name"]
        for extra in (contact["job_title"], contact["organisation"]):
            if extra:
                who += f", {extra}"
        where = contact["email"] or ref(contact["url"])
        out.append(
            _wrap(f"To suggest something for a future issue, write to {who}: {where}")
        )
    if snapshot["social_links"]:
        out.append(
            "Connect with us:\n"
            + "\n".join(
                f"- {link['label']} {ref(link['url'])}"
                for link in snapshot["social_links"]
            )
        )
    return out


def _footer(snapshot: dict, mailer: dict) -> str:
    lines = []
    address = mailer["postal_address_text"].strip()
    if address:
        lines.append(_wrap(_TEXT_MERGE_TAGS.get(address, address)))
    copyright_holder = snapshot["publication"]["copyright_holder"]
    if copyright_holder:
        lines.append(f"© {copyright_holder} {snapshot['issue']['year']}")
    if mailer["footer_text"]:
        lines.append(_wrap(mailer["footer_text"]))
    if mailer["unsubscribe_url"]:
        lines.append(_wrap(f"Unsubscribe: {mailer['unsubscribe_url']}"))
    if mailer["preferences_url"]:
        lines.append(_wrap(f"Update your preferences: {mailer['preferences_url']}"))
    if mailer["unsubscribe_mailto"]:
        address = snapshot["contact"]["email"]
        lines.append(f"To stop receiving this e-mail, write to {address}.")
    return "\n".join(lines)


def _rich_text(fragment: str, ref: _References) -> list[str]:
    """Rich text as paragraphs of plain text, its links numbered: none if empty."""
    # Again once read: a tag can be typed across emphasis, “{<em>{”, and be whole
    # once the emphasis is gone.
    text = in_text(plain_text(fragment, link=ref.link))
    return [_wrap(text)] if text else []


def _heading(text: str, underline: str) -> str:
    text = _wrap(text)
    # A word joiner takes no room on screen.
    longest = max(len(line.replace(WORD_JOINER, "")) for line in text.split("\n"))
    return f"{text}\n{underline * longest}"


def _wrap(text: str) -> str:
    # Long words (links) are never broken: a link cut in two no longer works.
    return "\n".join(
        "\n".join(
            textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False)
            or [""]
        )
        for line in text.split("\n")
    )
