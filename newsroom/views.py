from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from issues.models import Issue

LATEST_ISSUES = 5
UPCOMING_EVENTS = 5


def home(request):
    today = timezone.localdate()
    latest_issues = Issue.objects.sent().select_related("publication")
    upcoming_events = Event.objects.upcoming(today)
    return render(
        request,
        "home.html",
        {
            "latest_issues": list(latest_issues[:LATEST_ISSUES]),
            "upcoming_events": list(upcoming_events[:UPCOMING_EVENTS]),
        },
    )


def robots_txt(request):
    """Crawlers may read everything but the admin; the sitemap is named in full."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": settings.SITE_URL + reverse("sitemap")},
        content_type="text/plain; charset=utf-8",
    )
