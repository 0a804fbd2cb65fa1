from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from events.models import Deadline, Event


def event_list(request):
    today = timezone.localdate()
    open_deadlines = Prefetch(
        "deadlines", queryset=Deadline.objects.open(today), to_attr="open_deadlines"
    )
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": list(
                Event.objects.upcoming(today).prefetch_related(open_deadlines)
            ),
            "past": list(Event.objects.past(today)),
        },
    )


def event(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "deadlines": list(event.deadlines.order_by("date", "label")),
            "today": timezone.localdate(),
        },
    )
