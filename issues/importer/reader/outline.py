"""
The outline of what lies under the masthead: the introduction, then the sections,
each with its items, then the social links and the footer.

Every heading at the issue title's level is a section, and the headings under it of
the level of its first one are its items. An image directly under a heading is its
own; an image directly above an item's heading may be that item's (see
``issues.importer.reader.sections``). A section whose only content is a list of
“name, organisation, role” is the team, and so is one of paragraphs of
“**name**, organisation” with the role on the line below. A postal address just
before the footer belongs to the footer.
"""

import re
from dataclasses import dataclass, field

from issues.importer.reader.blocks import Block
from issues.importer.reader.errors import UnreadableNewsletter
from issues.importer.reader.footer import SOCIAL_HEADING, is_address, is_footer
from issues.importer.reader.masthead import Masthead

# The line with which exported e-mails name the publication's contact.
CONTACT_LINE = re.compile(
    r"^To suggest something for a future issue, get in touch with (?P<rest>.+?)\.?$"
)


@dataclass
class ItemDraft:
    title: str
    line: int
    image_above: Block | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def image_below(self) -> Block | None:
        if self.blocks and self.blocks[0].kind == "image":
            return self.blocks[0]
        return None


@dataclass
class SectionDraft:
    title: str
    line: int
    before_items: list[Block] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)

    @property
    def image_below(self) -> Block | None:
        if self.before_items and self.before_items[0].kind == "image":
            return self.before_items[0]
        return None

    @property
    def team_entries(self) -> list[tuple[str, str, str]] | None:
        """(name, organisation, role) of each member when this section is the team."""
        if self.items:
            return None
        lists = [block for block in self.before_items if block.kind == "list"]
        if len(lists) == 1 and all(entry.count(",") >= 2 for entry in lists[0].entries):
            return [_team_entry(entry) for entry in lists[0].entries]
        paragraphs = [block for block in self.before_items if block.kind != "image"]
        if paragraphs and all(_is_name_then_role(block) for block in paragraphs):
            return [
                (
                    block.bold_text,
                    block.lines[0][len(block.bold_text) :].lstrip(" ,"),
                    block.lines[1] if len(block.lines) == 2 else "",
                )
                for block in paragraphs
            ]
        return None


@dataclass
class Outline:
    intro: list[Block] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    social: list[Block] = field(default_factory=list)
    footer: list[Block] = field(default_factory=list)
    # The exported e-mail's line naming the contact, taken out of the content.
    contact_line: Block | None = None

    @property
    def team_section(self) -> SectionDraft | None:
        return next((s for s in self.sections if s.team_entries), None)


def read_outline(masthead: Masthead) -> Outline:
    outliner = _Outliner(section_level=masthead.title.level)
    for block in masthead.below:
        outliner.add(block)
    outline = outliner.outline
    _move_address_to_footer(outline)
    if not any(section.items or section.team_entries for section in outline.sections):
        raise UnreadableNewsletter(
            "no sections with items found: sections are headings one level below "
            "the publication's name, items the headings under them",
            masthead.title.line,
        )
    return outline


class _Outliner:
    """Puts each block, in reading order, where it belongs in the outline."""

    def __init__(self, *, section_level: int):
        self.section_level = section_level
        self.outline = Outline()
        self.zone = "intro"
        self.section: SectionDraft | None = None
        self.item: ItemDraft | None = None
        self.item_level = 0

    def add(self, block: Block) -> None:
        if self.zone != "footer" and is_footer(block):
            self.zone = "footer"
        if self.zone == "footer":
            self.outline.footer.append(block)
        elif block.kind == "paragraph" and CONTACT_LINE.match(block.text):
            self.outline.contact_line = block
        elif block.kind == "heading" and block.level <= self.section_level:
            self._open_section(block)
        elif self.zone == "social":
            self.outline.social.append(block)
        elif self.zone == "intro":
            self.outline.intro.append(block)
        else:
            self._add_to_section(block)

    def _open_section(self, heading: Block) -> None:
        if SOCIAL_HEADING.match(heading.text):
            self.zone = "social"
            return
        self.zone = "sections"
        self.section = SectionDraft(title=heading.text, line=heading.line)
        self.outline.sections.append(self.section)
        self.item = None
        self.item_level = 0

    def _add_to_section(self, block: Block) -> None:
        if block.kind == "heading" and block.level <= (self.item_level or block.level):
            self._open_item(block)
        elif self.item is not None:
            self.item.blocks.append(block)
        else:
            self.section.before_items.append(block)

    def _open_item(self, heading: Block) -> None:
        self.item_level = heading.level
        above = self.item.blocks if self.item else self.section.before_items
        image = None
        # An image that is all an item holds would be that item's own.
        if (
            above
            and above[-1].kind == "image"
            and (self.item is None or any(b.kind != "image" for b in above))
        ):
            image = above[-1]
        self.item = ItemDraft(title=heading.text, line=heading.line, image_above=image)
        self.section.items.append(self.item)


def _move_address_to_footer(outline: Outline) -> None:
    last = []
    if outline.sections:
        section = outline.sections[-1]
        last = section.items[-1].blocks if section.items else section.before_items
    for blocks in (outline.social, last):
        if blocks and is_address(blocks[-1]):
            outline.footer.insert(0, blocks.pop())


def _team_entry(entry: str) -> tuple[str, str, str]:
    name, *organisation, role = [part.strip() for part in entry.split(",")]
    return name, ", ".join(organisation), role


def _is_name_then_role(block: Block) -> bool:
    return (
        block.kind == "paragraph"
        and bool(block.bold_text)
        and len(block.lines) in (1, 2)
        and block.lines[0].startswith(block.bold_text)
    )
