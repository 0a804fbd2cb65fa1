"""
The dates Newsroom keeps: from 1 January 1990 to 31 December 2100.

Past issues are imported from the first e-mail newsletters on, and events and
deadlines are announced a few years ahead at most; a year outside these is a typo
(“2924”) or a placeholder (“9999”). Python's dates end at 31 December 9999, so
such a year also breaks the arithmetic of pages and calendars: the day after an
event on the last day there is has no date, and a calendar writes out its time
zones' rules from its first date to its last.

Every date an editor types, a reader suggests or a newsletter gives is checked
against this range as it comes in. Rows saved before the check may still hold
other dates: calendars leave them out (``is_kept``), and pages show them without
arithmetic.
"""

import datetime

from django.core.exceptions import ValidationError

FIRST_YEAR = 1990
LAST_YEAR = 2100


def is_kept_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def is_kept(value: datetime.date) -> bool:
    """Whether ``value`` (a date or a datetime) falls in the years Newsroom keeps."""
    return is_kept_year(value.year)


def validate_kept_year(year: int) -> None:
    if not is_kept_year(year):
        raise ValidationError(
            "The year %(year)s is outside the dates Newsroom keeps (%(first)s to "
            "%(last)s): check the year.",
            code="year_out_of_range",
            params={"year": year, "first": FIRST_YEAR, "last": LAST_YEAR},
        )


def validate_kept_date(value: datetime.date) -> None:
    """For date and datetime fields: refuses a year outside the range, saying so."""
    validate_kept_year(value.year)
