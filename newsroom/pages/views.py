import dataclasses
import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from events.models import Deadline, Event
from events.views import calendar_response
from issues.models import Issue, Item
from newsroom.core.caching import public_page
from newsroom.pages import calendar
from newsroom.pages import search as search_module

LATEST_ISSUES = 5
UPCOMING_EVENTS = 5
ITEMS_OF_LATEST = 3
CLOSING_SOON = 6
RESULTS_PER_PAGE = 20


@public_page
def home(request):
    today = timezone.localdate()
    latest_issues = list(
        Issue.objects.sent()
        .defer("frozen_content")
        .select_related("publication")[:LATEST_ISSUES]
    )
    latest = latest_issues[0] if latest_issues else None
    return render(
        request,
        "home.html",
        {
            "latest": latest,
            "latest_items": list(
                Item.objects.filter(issue=latest)
                .in_order()
                .values_list("title", flat=True)[:ITEMS_OF_LATEST]
            )
            if latest
            else [],
            "earlier_issues": latest_issues[1:],
            "deadlines": closing_soon(today),
            "upcoming_events": list(Event.objects.upcoming(today)[:UPCOMING_EVENTS]),
        },
    )


@dataclasses.dataclass(frozen=True)
class OpenDeadline:
    label: str
    title: str
    date: datetime.date
    url: str


def closing_soon(today: datetime.date) -> list[OpenDeadline]:
    """
    The next open deadlines, soonest first: those of events, and those of items in
    sent issues (never of an issue not sent, nor of the inbox). Two queries.
    """
    event_deadlines = list(
        Deadline.objects.open(today).select_related("event")[:CLOSING_SOON]
    )
    item_deadlines = (
        Item.objects.filter(issue__status=Issue.Status.SENT)
        .open_deadlines(today)
        .with_issue()
    )
    deadlines = [
        OpenDeadline(d.label, d.event.title, d.date, d.get_absolute_url())
        for d in event_deadlines
    ]
    # An item about an event often repeats one of the event's own deadlines.
    known = {(d.event_id, d.date, d.label.casefold()) for d in event_deadlines}
    deadlines += [
        OpenDeadline(i.deadline_label, i.title, i.deadline, i.get_absolute_url())
        for i in item_deadlines[:CLOSING_SOON]
        if (i.event_id, i.deadline, i.deadline_label.casefold()) not in known
    ]
    deadlines.sort(key=lambda deadline: (deadline.date, deadline.title))
    return deadlines[:CLOSING_SOON]


@public_page
def robots_txt(request):
    """Crawlers may read everything but the admin; the sitemap is named in full."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": settings.SITE_URL + reverse("sitemap")},
        content_type="text/plain; charset=utf-8",
    )


@public_page
def search(request):
    """Sent issues, their items and events matching ``q``, 20 to a page."""
    query = search_module.clean_query(request.GET.get("q", ""))
    context = {"search_query": query, "max_length": search_module.MAX_QUERY_LENGTH}
    if query:
        paginator = Paginator(search_module.search(query), RESULTS_PER_PAGE)
        # A page number that is not one, or past the end, gives the nearest page.
        page = paginator.get_page(request.GET.get("page"))
        context["page"] = page
        terms = search_module.query_terms(query)
        context["results"] = [search_module.Result.from_row(row, terms) for row in page]
    return render(request, "search.html", context)


@public_page
def upcoming_calendar(request):
    """Every upcoming event and open deadline, for subscribing."""
    return calendar_response(
        calendar.upcoming_calendar(timezone.localdate()), "events.ics"
    )
