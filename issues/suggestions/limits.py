"""
How many suggestions the public form takes in a clock hour: a few from one sender,
and a cap on everyone's together.

Each limit is a counter row per key and hour (``SuggestionCount``). A place is taken
by one conditional UPDATE (``count < limit``), never by counting first and saving
after: when two posts arrive at once, the database makes the second wait for the
first and then sees the first's count, on SQLite and PostgreSQL alike. A shared
cache could hold the same counters; ``take_place`` is the one function that would
move there.
"""

import datetime

from django.db.models import Case, F, Q, Value, When

from issues.models import SuggestionCount

HOUR = datetime.timedelta(hours=1)
# How long everyone's counts are kept: the editors' list says when the cap was
# reached within the last day.
KEPT_FOR_EDITORS = datetime.timedelta(days=1)


def hour_of(moment: datetime.datetime) -> datetime.datetime:
    """The start of the clock hour ``moment`` falls in."""
    return moment.replace(minute=0, second=0, microsecond=0)


def take_place(
    key: str, *, limit: int, hour: datetime.datetime, now: datetime.datetime
) -> bool:
    """
    Count one more suggestion for ``key`` in ``hour`` if fewer than ``limit`` were
    counted there; False, counting nothing, if the hour is full. Runs in the
    caller's transaction, so that a suggestion refused or not saved after all gives
    its place back when the transaction is rolled back.
    """
    # The row exists before it is raised; a row made at the same moment by another
    # post is left as it is.
    SuggestionCount.objects.bulk_create(
        [SuggestionCount(key=key, hour=hour)], ignore_conflicts=True
    )
    taken = SuggestionCount.objects.filter(key=key, hour=hour, taken__lt=limit).update(
        taken=F("taken") + 1,
        full_at=Case(
            When(taken__gte=limit - 1, full_at__isnull=True, then=Value(now)),
            default=F("full_at"),
        ),
    )
    return taken == 1


def note_turned_away(*, hour: datetime.datetime) -> None:
    """Count a suggestion turned away because everyone's count for ``hour`` is full."""
    SuggestionCount.objects.of_everyone().filter(hour=hour).update(
        refused=F("refused") + 1
    )


def forget_past_hours(now: datetime.datetime) -> None:
    """
    Delete senders' counts of hours that are over, and everyone's after a day: the
    table holds about one row per suggestion taken in the current hour.
    """
    senders_past = Q(hour__lt=hour_of(now)) & ~Q(key=SuggestionCount.EVERYONE)
    SuggestionCount.objects.filter(
        senders_past | Q(hour__lte=now - KEPT_FOR_EDITORS)
    ).delete()


def last_full_hour(now: datetime.datetime) -> SuggestionCount | None:
    """Everyone's count of the latest hour of the last day that reached the cap."""
    return (
        SuggestionCount.objects.full_since(now - KEPT_FOR_EDITORS)
        .order_by("-hour")
        .first()
    )
