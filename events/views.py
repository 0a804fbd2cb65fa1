from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from events.models import Event


def event_list(request):
    today = timezone.localdate()
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": list(Event.objects.upcoming(today).prefetch_related("deadlines")),
            "past": list(Event.objects.past(today)[:50]),
        },
    )


def event(request, slug):
    event = get_object_or_404(Event.objects.prefetch_related("deadlines"), slug=slug)
    return render(request, "events/event_detail.html", {"event": event})
