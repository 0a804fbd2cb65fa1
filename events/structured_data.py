"""
schema.org data about an event, for search engines: JSON-LD in the event's page.

Event titles and places are typed by editors, so the JSON is escaped the way Django's
``json_script`` escapes it (``<``, ``>`` and ``&`` as Unicode escapes): nothing in it
can close the script element or open another.
"""

import json

from django.utils.safestring import SafeString, mark_safe

from events.models import Event
from newsroom.core.site import absolute_url

ATTENDANCE_MODES = {
    Event.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def event_data(event: Event) -> dict:
    page = absolute_url(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page,
        "startDate": (event.starts_at or event.start_date).isoformat(),
    }
    if event.ends_at or event.end_date:
        data["endDate"] = (event.ends_at or event.end_date).isoformat()
    if event.summary:
        data["description"] = event.summary
    if event.format:
        data["eventAttendanceMode"] = ATTENDANCE_MODES[event.format]
    if event.format == Event.Format.ONLINE:
        data["location"] = {
            "@type": "VirtualLocation",
            "url": event.registration_url or event.url or page,
        }
    elif event.location:
        data["location"] = {"@type": "Place", "name": event.location}
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    if event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url}
    return data


def script_json(data: dict) -> SafeString:
    """``data`` as JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))
