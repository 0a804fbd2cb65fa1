"""
Dates as newsletters write them (“18 November 2024”, “November 18, 2024”,
“2024-11-18”), the month an issue's title names, and when an issue went out.

A date outside the years Newsroom keeps (``newsroom.core.dates``), a typo or a
placeholder such as “31 December 9999”, is read as no date at all: its words stay
where the newsletter has them, and the ``DateReport`` lists it for the summary.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from issues.importer.reader.blocks import Block
from issues.importer.reader.text import words
from newsroom.core.dates import is_kept

# When the issue went out, if the source does not tell: the day shown under its title,
# or else the first of its month, at this hour in the site's time zone.
DEFAULT_SEND_HOUR = 9

_MONTHS = {
    name.lower(): number for number, name in enumerate(calendar.month_name) if name
}
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(calendar.month_name[1:]) + r")\s+(\d{4})\b", re.IGNORECASE
)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%B %d %Y", "%Y-%m-%d")
_LEADING_DATE = re.compile(r"^\d{1,2} [A-Za-z]+ \d{4}")


def read_date(text: str) -> datetime.date | None:
    """The date ``text`` is, and nothing else, or ``None``."""
    text = words(text).strip(" .")
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def leading_date(text: str) -> datetime.date | None:
    """The date that ``text`` opens with, as in “18 November 2024, 14:00–16:00”."""
    found = _LEADING_DATE.match(text)
    return read_date(found[0]) if found else None


def month_named(text: str) -> tuple[int, int] | None:
    """The year and month of the first “November 2024” in ``text``."""
    found = _MONTH_YEAR.search(text)
    if found is None:
        return None
    return int(found[2]), _MONTHS[found[1].lower()]


@dataclass
class DateReport:
    """The dates met outside the years Newsroom keeps: (line, the block's words)."""

    kept_as_text: list[tuple[int, str]] = field(default_factory=list)

    def kept(self, date: datetime.date | None, block: Block) -> datetime.date | None:
        """``date`` if Newsroom keeps it; else None, and ``block`` noted once."""
        if date is None or is_kept(date):
            return date
        noted = (block.line, block.text)
        if noted not in self.kept_as_text:
            self.kept_as_text.append(noted)
        return None


def sent_at_on(day: datetime.date) -> datetime.datetime:
    """When an issue that went out on ``day`` is taken to have gone out."""
    return datetime.datetime.combine(
        day, datetime.time(DEFAULT_SEND_HOUR), tzinfo=timezone.get_current_timezone()
    )
