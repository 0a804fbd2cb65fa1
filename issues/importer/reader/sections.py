"""
The sections and their items. A section's image is the one directly under its heading,
unless its items carry the pictures, which shows as an image directly above the
heading of an item other than the first: then each item's is the image above its
heading.

Section slugs are short: a leading “Current”, the publication's name (except its last
word) and a trailing “from …” that names the publication's own organisations are left
out; the team's section is “team”.
"""

import re

from issues.importer.reader.blocks import Block
from issues.importer.reader.dates import DateReport
from issues.importer.reader.items import read_items
from issues.importer.reader.outline import SectionDraft
from issues.importer.reader.text import make_slug
from issues.importer.structure import ItemContent, SectionContent
from issues.models import Section


def read_sections(
    drafts: list[SectionDraft],
    publication_name: str,
    team: SectionDraft | None,
    dates: DateReport,
) -> tuple[tuple[SectionContent, ...], dict[str, tuple[ItemContent, ...]]]:
    """The sections, and their items by section slug."""
    sections = []
    items = {}
    for draft in drafts:
        if draft is team:
            sections.append(_team_section(draft))
            continue
        slug = _section_slug(draft.title, publication_name)
        items_carry_images = any(item.image_above for item in draft.items[1:])
        image = None if items_carry_images else draft.image_below
        sections.append(
            SectionContent(
                title=draft.title,
                slug=slug,
                image_url=image.src if image else "",
                image_alt=_heading_image_alt(image, draft.title),
            )
        )
        items[slug] = tuple(
            item
            for item_draft in draft.items
            for item in read_items(
                item_draft, with_image_above=items_carry_images, dates=dates
            )
        )
    return tuple(sections), items


def _team_section(draft: SectionDraft) -> SectionContent:
    image = draft.image_below
    return SectionContent(
        title=draft.title,
        slug="team",
        kind=Section.Kind.TEAM,
        image_url=image.src if image else "",
        image_alt=_heading_image_alt(image, draft.title),
    )


def _heading_image_alt(image: Block | None, title: str) -> str:
    # A section's heading image carries the section's name, as the banner carries
    # the publication's: without alt text the next issue could not be submitted.
    if image is None:
        return ""
    return image.alt or title


def _section_slug(title: str, publication_name: str) -> str:
    words = title.split()
    if words and words[0].lower() in ("current", "latest"):
        words = words[1:]
    name_words = {word.lower() for word in re.split(r"[\s-]+", publication_name)} - {
        "the"
    }
    # “Turing-Roche Strategic Partnership Updates” is “Partnership Updates”.
    run = 0
    while run < len(words) and all(
        part.lower() in name_words for part in words[run].split("-")
    ):
        run += 1
    if 0 < run < len(words):
        words = words[run - 1 :]
    # “… from The Alan Turing Institute and Roche”: the publication's own organisations.
    text = " ".join(words)
    head, sep, tail = text.rpartition(" from ")
    if sep and head and {w.lower() for w in re.split(r"[\s-]+", tail)} & name_words:
        text = head
    return make_slug(text) or make_slug(title)
