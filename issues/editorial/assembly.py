"""
Assembling an issue: putting its items in order, pulling in the events that fall
before the next issue, and placing items waiting in the inbox.
"""

import dataclasses
import datetime
from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import F, Max, Prefetch, Q
from django.utils.html import escape

from events.models import Deadline, Event
from issues.editorial import revisions
from issues.models import Issue, Item, Section
from newsroom.core.dates import is_kept


class AssemblyError(Exception):
    """A change to an issue's items that cannot be made, with the editor's message."""


def one_month_after(date: datetime.date) -> datetime.date:
    """The same day a month later, or the month's last day when it has no such day."""
    if date.month == 12:
        year, month = date.year + 1, 1
    else:
        year, month = date.year, date.month + 1
    for day in (date.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("Every month has a 28th.")


def kept_or_none(date: datetime.date | None) -> datetime.date | None:
    return date if date is not None and is_kept(date) else None


def next_issue(issue: Issue) -> Issue | None:
    """The publication's issue that follows this one, if one is planned."""
    return (
        Issue.objects.filter(publication=issue.publication_id)
        .filter(Q(year__gt=issue.year) | Q(year=issue.year, month__gt=issue.month))
        .order_by("year", "month")
        .first()
    )


@dataclasses.dataclass(frozen=True)
class EventWindow:
    """The days an issue announces events for: ``start`` to the day before ``end``."""

    start: datetime.date
    end: datetime.date
    next_issue: Issue | None = None

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)


def event_window(issue: Issue) -> EventWindow:
    """
    From the issue's send date (its planned date, else the first of its month) until
    the next issue goes out (its planned date, else one month later). An event on the
    next issue's send date is left to that issue. A planned date saved before dates
    were checked (31 December 9999, which has no month after it) counts as none.
    """
    start = kept_or_none(issue.planned_send_date) or issue.first_day
    following = next_issue(issue)
    end = kept_or_none(following.planned_send_date) if following else None
    if end is None or end <= start:
        end = one_month_after(start)
    return EventWindow(start=start, end=end, next_issue=following)


@dataclasses.dataclass
class EventOffer:
    """An event the issue could feature, with what its item would say."""

    event: Event
    deadline: Deadline | None
    # Other issues that already feature it.
    featured_in: list[Issue]


def upcoming_events(
    issue: Issue, window: EventWindow | None = None
) -> list[EventOffer]:
    """
    Events that start, or have a deadline, within the issue's window and that the
    issue does not feature yet, soonest first. Three queries, however many there are.
    """
    window = window or event_window(issue)
    in_window = Q(start_date__gte=window.start, start_date__lt=window.end) | Q(
        deadlines__date__gte=window.start, deadlines__date__lt=window.end
    )
    featured = (
        Item.objects.filter(issue__isnull=False)
        .select_related("issue__publication")
        .order_by()
    )
    events = (
        Event.objects.filter(
            pk__in=Event.objects.filter(in_window).values("pk"),
        )
        .exclude(pk__in=issue.items.filter(event__isnull=False).values("event"))
        .order_by("start_date", "start_time", "title", "pk")
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.order_by("date", "label")),
            Prefetch("items", queryset=featured, to_attr="featuring_items"),
        )
    )
    offers = []
    for event in events:
        issues = {item.issue_id: item.issue for item in event.featuring_items}
        offers.append(
            EventOffer(
                event=event,
                deadline=earliest_open_deadline(event, window.start),
                featured_in=sorted(
                    issues.values(), key=lambda other: (other.year, other.month)
                ),
            )
        )
    return offers


def earliest_open_deadline(event: Event, day: datetime.date) -> Deadline | None:
    """The event's first deadline on or after ``day``, from its loaded deadlines."""
    open_deadlines = [d for d in event.deadlines.all() if d.date >= day]
    return min(open_deadlines, key=lambda d: (d.date, d.label), default=None)


def guess_events_section(sections: Iterable[Section]) -> Section | None:
    """
    The section events go in: the first item section whose slug, else whose title,
    speaks of events (“events-from-the-community”, “Upcoming events”).
    """
    candidates = [s for s in sections if s.kind == Section.Kind.ITEMS]
    for matches in (
        lambda s: "event" in s.slug.lower(),
        lambda s: "event" in s.title.lower(),
    ):
        for section in candidates:
            if matches(section):
                return section
    return None


def item_sections(issue: Issue) -> list[Section]:
    """The sections of the issue's publication that hold items, in order."""
    return list(
        Section.objects.filter(
            publication=issue.publication_id, kind=Section.Kind.ITEMS
        ).order_by("position", "pk")
    )


def _check_section(issue: Issue, section: Section) -> None:
    if section.publication_id != issue.publication_id:
        raise AssemblyError(
            f"“{section}” is a section of another publication; choose one of "
            f"{issue.publication}'s."
        )
    if section.kind != Section.Kind.ITEMS:
        raise AssemblyError(
            f"“{section}” lists the team, not items; choose another section."
        )


def _lock_open_issue(issue: Issue) -> Issue:
    """Holds the issue until the transaction ends, so that two clicks add once."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.is_sent:
        raise AssemblyError(
            "This issue has been sent; what readers received cannot change. Add the "
            "items to the next issue instead."
        )
    return locked


def _next_positions(issue: Issue) -> dict[int, int]:
    """The position after the last item of each of the issue's sections."""
    last = (
        Item.objects.filter(issue=issue)
        .values("section")
        .annotate(last=Max("position"))
        .order_by()
    )
    return {row["section"]: row["last"] + 1 for row in last}


def event_item(event: Event, *, issue: Issue, section: Section, position: int) -> Item:
    """A new item featuring ``event``: its summary, deadline and registration link."""
    deadline = earliest_open_deadline(event, issue.planned_send_date or issue.first_day)
    if event.registration_url:
        cta_label, cta_url = "Register", event.registration_url
    elif event.url:
        cta_label, cta_url = "Find out more", event.url
    else:
        cta_label, cta_url = "", ""
    return Item(
        issue=issue,
        section=section,
        position=position,
        title=event.title,
        body=f"<p>{escape(event.summary)}</p>" if event.summary else "",
        event=event,
        deadline=deadline.date if deadline else None,
        deadline_label=deadline.label if deadline else "",
        cta_label=cta_label,
        cta_url=cta_url,
    )


@dataclasses.dataclass
class Added:
    """What an “add” did: the new items, and what was already in the issue."""

    items: list[Item]
    skipped: int = 0


def titles(items: list[Item]) -> str:
    """The items' titles in quotes, for messages and revision notes."""
    return ", ".join(f"“{item.title}”" for item in items)


@transaction.atomic
def add_events(
    *, issue: Issue, events: Iterable[Event], section: Section, user
) -> Added:
    """
    Adds an item for each event, at the end of ``section``, in the order given.
    An event the issue already features is skipped, so adding twice adds once.
    ``user`` is who adds them, for the review history and the revision.
    """
    _check_section(issue, section)
    issue = _lock_open_issue(issue)
    chosen = list(dict.fromkeys(event.pk for event in events))
    featured = set(issue.items.filter(event__in=chosen).values_list("event", flat=True))
    # Each item's deadline is its event's earliest open one: read them all at once.
    by_pk = Event.objects.prefetch_related("deadlines").in_bulk(chosen)
    position = _next_positions(issue).get(section.pk, 1)
    new_items = []
    for pk in chosen:
        if pk in featured or pk not in by_pk:
            continue
        item = event_item(by_pk[pk], issue=issue, section=section, position=position)
        item.full_clean()
        item.save()
        new_items.append(item)
        position += 1
    if new_items:
        revisions.issue_edited(
            issue=issue,
            user=user,
            note=f"Events added to “{section}”: {titles(new_items)}",
        )
    return Added(items=new_items, skipped=len(chosen) - len(new_items))


@transaction.atomic
def place_inbox_items(
    *, issue: Issue, placements: Iterable[tuple[Item, Section]], user
) -> Added:
    """
    Moves each inbox item into the issue, at the end of its chosen section, in the
    order given. An item placed meanwhile (in this issue or another) stays where it is.
    ``user`` is who places them, for the review history and the revision.
    """
    placements = list(placements)
    for _, section in placements:
        _check_section(issue, section)
    issue = _lock_open_issue(issue)
    # Without joins, not even for the default ordering: PostgreSQL cannot lock the
    # nullable side of an outer join.
    waiting = {
        item.pk: item
        for item in Item.objects.select_for_update()
        .filter(pk__in=[item.pk for item, _ in placements], issue__isnull=True)
        .order_by("pk")
    }
    positions = _next_positions(issue)
    placed = []
    for chosen, section in placements:
        item = waiting.pop(chosen.pk, None)
        if item is None:
            continue
        item.issue = issue
        item.section = section
        item.position = positions.get(section.pk, 1)
        positions[section.pk] = item.position + 1
        item.full_clean()
        # Raised like a save in the admin: a form opened on the inbox item must not
        # take it back out of the issue.
        item.version += 1
        item.save()
        placed.append(item)
    if placed:
        revisions.issue_edited(
            issue=issue,
            user=user,
            note=f"Placed from the inbox: {titles(placed)}",
        )
    return Added(items=placed, skipped=len(placements) - len(placed))


@transaction.atomic
def renumber_positions(*, issue: Issue, moved: Collection[int] = ()) -> int:
    """
    Numbers the items of each section 1, 2, 3… in their order. Where two items share
    a position, one just ``moved`` there goes first: typing 2 puts an item second.
    Returns how many items changed position.

    The version of each item that changes position is raised, so that a form opened
    on it before cannot put the old position back.
    """
    # Locked against a save in between; without the default ordering's join, which
    # PostgreSQL cannot lock on its nullable side.
    items = list(
        Item.objects.filter(issue=issue)
        .select_for_update()
        .only("pk", "section", "position", "issue")
        .order_by("pk")
    )
    items.sort(key=lambda i: (i.section_id or 0, i.position, i.pk not in moved, i.pk))
    changed = []
    counter: dict[int | None, int] = {}
    for item in items:
        counter[item.section_id] = counter.get(item.section_id, 0) + 1
        if item.position != counter[item.section_id]:
            item.position = counter[item.section_id]
            item.version = F("version") + 1
            changed.append(item)
    Item.objects.bulk_update(changed, ["position", "version"])
    return len(changed)
