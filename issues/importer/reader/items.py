"""
An item is its heading, an optional bold line (“Application deadline: 20 November
2024” is a deadline, a date alone makes the item an event's, and so do bold lines
“Date: …”, “Place: …”, “Format: …”, “Organiser: …”), an image directly under its
heading, its paragraphs, and a paragraph that is only a link: its call to action
(“Register for …” is its event's registration). A further such paragraph is an item
of its own. A bold line whose date Newsroom does not keep is none of these: it stays
in the item's text.
"""

import datetime
import re
from dataclasses import dataclass

from issues.importer.reader.blocks import Block, rich_text
from issues.importer.reader.dates import DateReport, leading_date, read_date
from issues.importer.reader.events import event_facts, read_event
from issues.importer.reader.outline import ItemDraft
from issues.importer.structure import ItemContent

_REGISTER_FOR = "Register for "
_REGISTRATION_LABEL = re.compile(r"regist|book|sign up", re.IGNORECASE)


def read_items(
    draft: ItemDraft, *, with_image_above: bool, dates: DateReport
) -> list[ItemContent]:
    """The item of ``draft``, and one more for each further link-only paragraph."""
    blocks = [b for b in draft.blocks if b.kind != "image" and _meaningful(b)]
    bold_lines = _BoldLines(dates)
    while blocks and blocks[0].starts_bold and bold_lines.take(blocks[0]):
        blocks = blocks[1:]
    event_title, registration_url = draft.title, None
    register = _register_for(blocks) if bold_lines.facts is not None else None
    if register is not None:
        # Exported e-mails give an event's own title and registration link apart
        # from the item's call to action.
        blocks = [b for b in blocks if b is not register]
        event_title = register.text.removeprefix(_REGISTER_FOR)
        registration_url = register.links[0][1]
    body_blocks = [block for block in blocks if not block.link_only]
    calls_to_action = [block.links[0] for block in blocks if block.link_only]
    cta_label, cta_url = calls_to_action[0] if calls_to_action else ("", "")
    if registration_url is None:
        registration_url = cta_url if _REGISTRATION_LABEL.search(cta_label) else ""
    body = rich_text(body_blocks)
    image = draft.image_above if with_image_above else draft.image_below
    event = None
    if bold_lines.event_date:
        event = read_event(
            event_title,
            bold_lines.event_date,
            body_blocks,
            body=body,
            registration_url=registration_url,
            facts=bold_lines.facts,
        )
    item = ItemContent(
        title=draft.title[:300],
        body=body,
        image_url=image.src if image else "",
        image_alt=image.alt if image else "",
        deadline=bold_lines.deadline,
        deadline_label=bold_lines.deadline_label,
        cta_label=cta_label[:100],
        cta_url=cta_url,
        event=event,
    )
    return [
        item,
        *(
            ItemContent(title=label[:300], cta_label=label[:100], cta_url=url)
            for label, url in calls_to_action[1:]
        ),
    ]


@dataclass
class _BoldLines:
    """What the bold lines under an item's heading say."""

    dates: DateReport
    deadline: datetime.date | None = None
    deadline_label: str = ""
    event_date: datetime.date | None = None
    facts: dict[str, str] | None = None

    def take(self, block: Block) -> bool:
        """
        Note what ``block`` says, if it is a deadline, an event's date or facts, and
        whether it did: not when its date is one Newsroom does not keep.
        """
        facts = event_facts(block) if self.event_date is None else None
        if facts:
            date = self.dates.kept(leading_date(facts["Date"]), block)
            if date:
                self.facts, self.event_date = facts, date
        elif self.deadline is None and _deadline(block):
            date, label = _deadline(block)
            date = self.dates.kept(date, block)
            if date:
                self.deadline, self.deadline_label = date, label
        elif self.event_date is None and block.bold and read_date(block.text):
            date = self.dates.kept(read_date(block.text), block)
            self.event_date = date
        else:
            return False
        return date is not None


def _deadline(block: Block) -> tuple[datetime.date, str] | None:
    """The date and label of a “label: date” line."""
    label, colon, value = block.text.rpartition(":")
    date = read_date(value)
    if len(block.lines) <= 1 and colon and date and label.strip() and len(label) <= 80:
        return date, label.strip()[:100]
    return None


def _register_for(blocks: list[Block]) -> Block | None:
    """The link-only paragraph “Register for <the event's title>”."""
    return next(
        (
            block
            for block in blocks
            if block.link_only
            and block.text.startswith(_REGISTER_FOR)
            and len(block.text) > len(_REGISTER_FOR)
        ),
        None,
    )


def _meaningful(block: Block) -> bool:
    """Not a stray separator such as “|” left over from a layout table."""
    return block.kind != "paragraph" or bool(re.search(r"\w", block.text))
