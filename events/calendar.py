"""
Events and deadlines as iCalendar (RFC 5545), built with the icalendar library.

- An all-day event is a VEVENT of DATE values, ending (exclusively) the day after
  its last day, as RFC 5545 counts it.
- A timed event keeps its own wall-clock times with the TZID of its time zone, and
  the calendar carries a VTIMEZONE for every zone it names. Times stay as organisers
  gave them ("10:00 in New York"), and clients convert them correctly across
  daylight-saving changes; UTC would also be right, but would hide the zone the
  event happens in from anyone reading the file.
- A deadline is an all-day VEVENT, transparent so that it never blocks time.
  VTODO would fit the meaning, but most calendar applications ignore to-dos in a
  subscribed calendar, and readers would never see them.

The calendar of everything upcoming also carries the deadlines of items in sent
issues: it is the site's (``newsroom.pages.calendar``), which puts the two together.

An event or a deadline saved before dates were held to the years Newsroom keeps
(``newsroom.core.dates``), on 31 December 9999 say, is left out of every calendar
(``in_calendars``): the day after it has no date, and the VTIMEZONE of a timed event
would be written out from its first day to its last.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from events.models import Deadline, Event
from newsroom.core.dates import is_kept
from newsroom.core.richtext import plain_text, spelled_out
from newsroom.core.site import absolute_url

PRODID = "-//Newsroom//Events and deadlines//EN"
# Asked of subscribing clients (RFC 7986 REFRESH-INTERVAL); they may check less often.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def site_host() -> str:
    """The host of ``SITE_URL``: the right-hand side of every UID."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def subscription_url(path: str) -> str:
    """A webcal:// link, which opens the reader's calendar application to subscribe."""
    return "webcal://" + absolute_url(path).split("://", 1)[1]


def join_paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def in_calendars(event: Event) -> bool:
    """Whether ``event``'s days are all in the years Newsroom keeps."""
    return is_kept(event.start_date) and is_kept(event.last_day)


def event_component(event: Event) -> icalendar.Event:
    page = absolute_url(event.get_absolute_url())
    if event.is_all_day:
        start = event.start_date
        end = event.last_day + datetime.timedelta(days=1)
    else:
        start = event.starts_at
        end = event.ends_at
        if end is None and event.last_day > event.start_date:
            # Several days with no end time given: it runs to the end of its last day.
            end = datetime.datetime.combine(
                event.last_day + datetime.timedelta(days=1), datetime.time(), event.tz
            )
        # With neither, DTEND is left out: RFC 5545 then reads it as ending when it
        # starts, which is all that is known.
    facts = [
        f"Format: {event.get_format_display()}" if event.format else "",
        f"Organiser: {event.organiser}" if event.organiser else "",
        f"Register: {event.registration_url}" if event.registration_url else "",
        f"More information: {event.url}" if event.url else "",
        f"Details: {page}",
    ]
    body = plain_text(event.body, link=spelled_out)
    # The summary is often the body's first sentence: say it once.
    summary = "" if body.startswith(event.summary) else event.summary
    return icalendar.Event.new(
        uid=f"event-{event.pk}@{site_host()}",
        stamp=event.updated_at,
        last_modified=event.updated_at,
        summary=event.title,
        start=start,
        end=end,
        location=event.location or None,
        url=page,
        description=join_paragraphs(
            summary, body, "\n".join(fact for fact in facts if fact)
        ),
    )


def deadline_entry(
    *, uid: str, label: str, title: str, date: datetime.date, url: str, **fields
) -> icalendar.Event:
    return icalendar.Event.new(
        uid=uid,
        summary=f"{label}: {title}",
        start=date,
        end=date + datetime.timedelta(days=1),
        transparency="TRANSPARENT",
        url=url,
        **fields,
    )


def deadline_component(deadline: Deadline, event: Event) -> icalendar.Event:
    url = absolute_url(deadline.get_absolute_url())
    return deadline_entry(
        uid=f"deadline-{deadline.pk}@{site_host()}",
        label=deadline.label,
        title=event.title,
        date=deadline.date,
        url=url,
        # Deadlines have no time of change of their own; their event's is the nearest.
        stamp=event.updated_at,
        description=join_paragraphs(event.summary, f"Details: {url}"),
    )


def make_calendar(
    *, name: str, uid: str, components: list[icalendar.Event], timed: list[Event]
) -> icalendar.Calendar:
    """A calendar of ``components``, with a VTIMEZONE for the zones of ``timed``."""
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        name=name,
        uid=uid,
        refresh_interval=REFRESH_INTERVAL,
        subcomponents=components,
    )
    if timed:
        # Each VTIMEZONE covers only the span of the events, which keeps it short.
        calendar.add_missing_timezones(
            first_date=min(event.start_date for event in timed)
            - datetime.timedelta(days=1),
            last_date=max(event.last_day for event in timed)
            + datetime.timedelta(days=2),
        )
    return calendar


def event_calendar(event: Event) -> icalendar.Calendar:
    """One event and all its deadlines, passed or not: one query for the deadlines."""
    deadlines = event.deadlines.order_by("date", "label")
    shown = in_calendars(event)
    components = [event_component(event)] if shown else []
    components += [
        deadline_component(deadline, event)
        for deadline in deadlines
        if is_kept(deadline.date)
    ]
    return make_calendar(
        name=event.title,
        uid=f"event-calendar-{event.pk}@{site_host()}",
        components=components,
        timed=[event] if shown and not event.is_all_day else [],
    )
