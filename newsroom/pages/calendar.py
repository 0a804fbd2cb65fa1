"""
The site's calendar of everything upcoming: events and their deadlines, and the
deadlines of items in sent issues. Only items of sent issues bring their deadlines;
inbox items and items of issues not yet sent never appear here.
"""

import datetime

import icalendar

from events.calendar import (
    deadline_component,
    event_component,
    in_calendars,
    make_calendar,
    site_host,
)
from events.models import Deadline, Event
from issues.models import Issue, Item
from issues.public.calendar import item_deadline_component
from newsroom.core.dates import is_kept


def upcoming_calendar(today: datetime.date) -> icalendar.Calendar:
    """
    Every event that has not ended, every deadline of an event still open on
    ``today``, and the open deadlines of items in sent issues: three queries. Those
    dated outside the years Newsroom keeps are left out (see ``events.calendar``).
    """
    events = [event for event in Event.objects.upcoming(today) if in_calendars(event)]
    deadlines = [
        deadline
        for deadline in Deadline.objects.open(today).select_related("event")
        if is_kept(deadline.date)
    ]
    sent_items = Item.objects.filter(issue__status=Issue.Status.SENT)
    items = [
        item
        for item in sent_items.open_deadlines(today).with_issue()
        if is_kept(item.deadline)
    ]
    # An item about an event often repeats one of the event's own deadlines.
    known = {
        (deadline.event_id, deadline.date, deadline.label.casefold())
        for deadline in deadlines
    }
    items = [
        item
        for item in items
        if (item.event_id, item.deadline, item.deadline_label.casefold()) not in known
    ]
    components = [event_component(event) for event in events]
    components += [
        deadline_component(deadline, deadline.event) for deadline in deadlines
    ]
    components += [item_deadline_component(item) for item in items]
    return make_calendar(
        name="Events and deadlines",
        uid=f"events@{site_host()}",
        components=components,
        timed=[event for event in events if not event.is_all_day],
    )
