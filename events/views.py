from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from events import calendar, structured_data
from events.models import Deadline, Event
from newsroom.core.caching import public_page
from newsroom.core.site import absolute_url

# Past events pile up over the years: they are listed this many to a page.
PAST_EVENTS_PER_PAGE = 50


@public_page
def event_list(request):
    """Upcoming events and their open deadlines, then past events, latest first."""
    today = timezone.localdate()
    # A page number that is not one, or past the end, gives the nearest page.
    past = Paginator(Event.objects.past(today), PAST_EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    upcoming = None
    if past.number == 1:
        open_deadlines = Prefetch(
            "deadlines", queryset=Deadline.objects.open(today), to_attr="open_deadlines"
        )
        upcoming = list(Event.objects.upcoming(today).prefetch_related(open_deadlines))
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "subscription_url": calendar.subscription_url(reverse("events:calendar")),
        },
    )


@public_page
def event(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "event_json_ld": structured_data.script_json(
                structured_data.event_data(event)
            ),
            "page_url": absolute_url(event.get_absolute_url()),
            "deadlines": list(event.deadlines.order_by("date", "label")),
            "today": timezone.localdate(),
        },
    )


def calendar_response(ics, filename: str) -> HttpResponse:
    response = HttpResponse(ics.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


@public_page
def event_calendar(request, slug):
    """One event and its deadlines, for adding to a calendar."""
    event = get_object_or_404(Event, slug=slug)
    return calendar_response(calendar.event_calendar(event), f"{event.slug}.ics")
