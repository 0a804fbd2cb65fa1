"""
The event of an item. Where, how and by whom it is held come from the bold lines
exported e-mails give (“Date: …”, “Place: …”, “Format: …”, “Organiser: …”) when the
source has them, else from the words of the item's text: “hybrid”, “online” or
“webinar”, “held in <place>”, “hosted by …”, “… is bringing together …”.

An event's slug is its title's and its date, because a series repeats its titles.
"""

import datetime
import re

from events.models import Event
from issues.importer.reader.blocks import Block
from issues.importer.reader.dates import leading_date
from issues.importer.reader.text import make_slug
from issues.importer.structure import EventContent

_HELD_IN = re.compile(r"held in ([A-Z][\w ]*?)[,.]")
_HOSTED_BY = re.compile(r"\bhosted by (?:the )?(.+?)\.(?:\s|$)")
_BRINGING_TOGETHER = re.compile(
    r"(?:^|,\s*)(?:the\s+)?([A-Z][^,.]*?)\s+(?:is|are)\s+bringing together"
)


def event_facts(block: Block) -> dict[str, str] | None:
    """An exported event's bold lines, “Date: …”, “Place: …”…, by label."""
    facts = {}
    for line in block.lines:
        label, colon, value = line.partition(":")
        if not colon:
            return None
        facts[label.strip()] = value.strip()
    return facts if leading_date(facts.get("Date", "")) else None


def read_event(
    title: str,
    start_date: datetime.date,
    body_blocks: list[Block],
    *,
    body: str,
    registration_url: str,
    facts: dict[str, str] | None,
) -> EventContent:
    text = " ".join(block.text for block in body_blocks)
    if facts is not None:
        event_format, location, organiser = _from_facts(facts)
    else:
        event_format, location, organiser = _from_text(text)
    return EventContent(
        title=title[:300],
        slug=f"{make_slug(title, 188)}-{start_date.isoformat()}",
        start_date=start_date,
        format=event_format,
        summary=body_blocks[0].text[:300] if body_blocks else "",
        body=body,
        registration_url=registration_url,
        location=location[:300],
        organiser=organiser[:200],
    )


def _from_facts(facts: dict[str, str]) -> tuple[str, str, str]:
    """The format, the place and the organiser, as the bold lines give them."""
    formats = {label.lower(): value for value, label in Event.Format.choices}
    return (
        formats.get(facts.get("Format", "").lower(), ""),
        facts.get("Place", ""),
        facts.get("Organiser", ""),
    )


def _from_text(text: str) -> tuple[str, str, str]:
    """The format, the place and the organiser, as the item's words tell them."""
    lowered = text.lower()
    held_in = _HELD_IN.search(text)
    if "hybrid" in lowered:
        event_format = Event.Format.HYBRID
    elif "online" in lowered or "webinar" in lowered or "virtual" in lowered:
        event_format = Event.Format.ONLINE
    elif held_in:
        event_format = Event.Format.IN_PERSON
    else:
        event_format = ""
    return event_format, held_in[1] if held_in else "", _organiser(text)


def _organiser(text: str) -> str:
    hosted = _HOSTED_BY.search(text)
    if hosted:
        return hosted[1].rstrip(".")
    bringing = _BRINGING_TOGETHER.search(text)
    return bringing[1] if bringing else ""
