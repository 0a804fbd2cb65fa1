from django.shortcuts import render
from django.utils import timezone

from events.models import Event
from issues.models import Issue


def home(request):
    today = timezone.localdate()
    return render(
        request,
        "home.html",
        {
            "latest_issues": list(Issue.objects.sent().select_related("publication")[:3]),
            "upcoming_events": list(Event.objects.upcoming(today)[:5]),
        },
    )
