"""
The content snapshot of an issue: everything the e-mail, the plain text and the public
page of an issue show, as plain JSON-serialisable data, read in a fixed number of
queries whatever the number of items.

The e-mail and the plain text are rendered from the snapshot, never from the models,
and the snapshot is what is frozen (``Issue.frozen_content``) when an issue is marked
Sent: later edits to people, events, sections or the publication never change it.

Format, version 1 (dates are ISO 8601 strings; ``*_display`` is how readers see them;
every link is absolute; rich text is HTML as the sanitiser stores it)::

    {
      "version": 1,
      "site_url": "https://news.example.org",
      "publication": {"name", "slug", "url", "intro", "brand_colour", "signup_url",
                      "postal_address", "copyright_holder", "banner": IMAGE | null},
      "issue": {"id", "title", "slug", "year", "month", "url", "preheader", "intro",
                "date", "date_display", "sent_at"},
      "contact": {"name", "job_title", "organisation", "email", "url"} | null,
      "sections": [
        {"title", "slug", "kind": "items" | "team", "image": IMAGE | null,
         "items": [ITEM, ...],
         "team": [{"name", "organisation", "role", "url"}, ...]}
      ],
      "social_links": [{"network", "label", "url"}, ...]
    }

    IMAGE = {"src": absolute URL, "alt", "width": display width in pixels,
             "file": path of the e-mail rendition under MEDIA_ROOT, or "" for an
             image hosted elsewhere}
    ITEM = the item's content as data (issues/models/content.py: "title", "body",
           "image_url", "cta_label", "section_title"…, and any field Item gains),
           with these keys added or in place of the stored values:
           {"id", "anchor", "image": IMAGE | null,
            "deadline": {"label", "date", "date_display"} | null,
            "event": EVENT | null, "cta": {"label", "url"} | null}
    EVENT = {"title", "slug", "url", "start_date", "end_date", "when", "location",
             "format", "organiser", "registration_url",
             "deadlines": [{"label", "date", "date_display"}, ...]}

Sections without items are left out, and the team section when the team had nobody on
the issue's date, as on the public page.

Keys are only ever added to version 1: a snapshot frozen before one was (an item's
content fields beyond its title and body, a field added to Item) lacks it, and the
templates show nothing for it.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from events.models import Deadline, Event
from issues.export import images
from issues.models import ITEM_CONTENT, Issue, Item, Publication, Section
from newsroom.core.site import absolute_url

VERSION = 1

# Images span the whole e-mail, 600 px wide; text has 24 px of padding either side.
EMAIL_WIDTH = 600


def display_date(value: datetime.date) -> str:
    """18 December 2024: the same in every locale and on every platform."""
    return f"{value.day} {value:%B %Y}"


def build_snapshot(issue: Issue) -> dict:
    """The content of ``issue`` as it would be sent now."""
    publication = Publication.objects.select_related("contact", "team").get(
        pk=issue.publication_id
    )
    items = (
        Item.objects.filter(issue=issue)
        .select_related(*ITEM_CONTENT.relations)
        .prefetch_related(
            Prefetch("event__deadlines", queryset=Deadline.objects.order_by("date"))
        )
        .order_by("position", "pk")
    )
    sections = list(
        publication.sections.order_by("position", "pk").prefetch_related(
            Prefetch("items", queryset=items, to_attr="issue_items")
        )
    )
    team = []
    if publication.team_id and any(s.kind == Section.Kind.TEAM for s in sections):
        team = [
            {
                "name": membership.person.name,
                "organisation": membership.person.organisation,
                "role": membership.role,
                "url": absolute_url(membership.person.get_absolute_url()),
            }
            for membership in publication.team.members_on(issue.date)
        ]

    section_data = []
    for section in sections:
        if section.kind == Section.Kind.TEAM:
            if not team:
                continue
        elif not section.issue_items:
            continue
        section_data.append(
            {
                "title": section.title,
                "slug": section.slug,
                "kind": section.kind,
                "image": _image(section.image, section.image_url, section.image_alt),
                "items": [_item(issue, item) for item in section.issue_items],
                "team": team if section.kind == Section.Kind.TEAM else [],
            }
        )

    contact = publication.contact
    return {
        "version": VERSION,
        "site_url": settings.SITE_URL,
        "publication": {
            "name": publication.name,
            "slug": publication.slug,
            "url": absolute_url(publication.get_absolute_url()),
            "intro": publication.intro,
            "brand_colour": publication.brand_colour,
            "signup_url": publication.signup_url,
            "postal_address": publication.postal_address,
            "copyright_holder": publication.copyright_holder,
            "banner": _image(
                publication.banner,
                publication.banner_url,
                publication.banner_alt,
            ),
        },
        "issue": {
            "id": issue.pk,
            "title": issue.display_title,
            "slug": issue.slug,
            "year": issue.year,
            "month": issue.month,
            "url": absolute_url(
                reverse(
                    "issues:issue",
                    kwargs={"publication": publication.slug, "slug": issue.slug},
                )
            ),
            "preheader": issue.preheader,
            "intro": issue.intro,
            "date": issue.date.isoformat(),
            "date_display": display_date(issue.date),
            "sent_at": issue.sent_at.isoformat() if issue.sent_at else None,
        },
        "contact": contact
        and {
            "name": contact.name,
            "job_title": contact.job_title,
            "organisation": contact.organisation,
            "email": contact.email,
            "url": absolute_url(contact.get_absolute_url()),
        },
        "sections": section_data,
        "social_links": [
            {"network": link.network, "label": str(link), "url": link.url}
            for link in publication.social_links.all()
        ],
    }


def content_checksum(snapshot: dict) -> str:
    """The sha256 of the snapshot as canonical JSON, whatever order its keys are in."""
    canonical = json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def reviewed_checksum(snapshot: dict) -> str:
    """
    The checksum of what a reviewer approves in ``snapshot``: all of it but the time
    it is sent, which is only known once it is.
    """
    issue = {key: value for key, value in snapshot["issue"].items() if key != "sent_at"}
    return content_checksum({**snapshot, "issue": issue})


def _item(issue: Issue, item: Item) -> dict:
    return {
        **ITEM_CONTENT.data(item),
        "id": item.pk,
        "anchor": item.anchor,
        "image": _image(item.image, item.image_url, item.image_alt),
        "deadline": item.deadline
        and {
            "label": item.deadline_label or "Deadline",
            "date": item.deadline.isoformat(),
            "date_display": display_date(item.deadline),
        },
        "event": item.event and _event(item.event),
        "cta": item.cta_url
        and {"label": item.cta_label or "Find out more", "url": item.cta_url},
    }


def _event(event: Event) -> dict:
    return {
        "title": event.title,
        "slug": event.slug,
        "url": absolute_url(event.get_absolute_url()),
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "when": event_when(event),
        "location": event.location,
        "format": event.get_format_display() if event.format else "",
        "organiser": event.organiser,
        "registration_url": event.registration_url,
        "deadlines": [
            {
                "label": deadline.label,
                "date": deadline.date.isoformat(),
                "date_display": display_date(deadline.date),
            }
            for deadline in event.deadlines.all()
        ],
    }


def event_when(event: Event) -> str:
    """When an event happens, in its own time zone: “20 November 2024, 14:00–16:00”."""
    text = display_date(event.start_date)
    if event.start_time:
        text += f", {event.start_time:%H:%M}"
    if event.end_date and event.end_date != event.start_date:
        text += f" to {display_date(event.end_date)}"
        if event.end_time:
            text += f", {event.end_time:%H:%M}"
    elif event.end_time:
        text += f"–{event.end_time:%H:%M}"
    if event.start_time:
        text += f" ({event.time_zone} time)"
    return text


def _image(file, url: str, alt: str, *, width: int = EMAIL_WIDTH) -> dict | None:
    if file:
        rendition = images.email_rendition(file, slot_width=width)
        return {
            "src": rendition.url,
            "alt": alt,
            "width": rendition.display_width,
            "file": rendition.name,
        }
    if url:
        return {"src": url, "alt": alt, "width": width, "file": ""}
    return None
