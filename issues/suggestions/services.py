"""Taking in a suggestion from the public, and an editor's decision on it."""

import datetime
import html
import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateformat import format as date_format

from issues.models import Item, Suggestion, SuggestionCount
from issues.suggestions import limits
from newsroom.core.richtext import clean_html

# At most this many suggestions from one network address in a clock hour; everyone's
# together are capped by settings.NEWSROOM_SUGGESTIONS_PER_HOUR.
RATE_LIMIT = 5

CTA_LABEL = "Find out more"
DEADLINE_LABEL = "Deadline"

_BLANK_LINES = re.compile(r"\n\s*\n")


class SuggestionError(Exception):
    """A suggestion that cannot be taken in or decided on, with the reason."""


class TooManySuggestions(SuggestionError):
    """Refused for now: the hour has no room left. There is again at ``retry_at``."""

    def __init__(self, message: str, *, retry_at: datetime.datetime):
        super().__init__(message)
        self.retry_at = retry_at


class HourIsFull(TooManySuggestions):
    """Everyone's suggestions have filled the hour."""


def sender_key(address: str) -> str:
    """
    A keyed hash of a sender's network address: the same address always gives the
    same key, and the key cannot be turned back into the address without SECRET_KEY.
    An IPv6 address counts as its /64 network, which one household or phone holds
    whole and can change addresses within at will.
    """
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        network = address.strip()
    else:
        if parsed.version == 6 and parsed.ipv4_mapped:
            parsed = parsed.ipv4_mapped
        if parsed.version == 6:
            network = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
        else:
            network = str(parsed)
    return salted_hmac(
        "newsroom.suggestions.sender", network, algorithm="sha256"
    ).hexdigest()


def summary_html(text: str) -> str:
    """
    Plain text typed by the public as rich text: each block separated by a blank line
    is a paragraph, a single line break stays one. Whatever looks like HTML is shown
    as the characters typed, never read as markup.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [block.strip() for block in _BLANK_LINES.split(text) if block.strip()]
    rendered = "".join(
        "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>"
        for block in paragraphs
    )
    return clean_html(rendered)


def _take_places(key: str, *, now: datetime.datetime) -> None:
    """
    Count a suggestion from the sender ``key`` this hour, then one from everyone;
    TooManySuggestions when either has no room left. In the caller's transaction.
    """
    hour = limits.hour_of(now)
    retry_at = hour + limits.HOUR
    again = date_format(timezone.localtime(retry_at), "H:i")
    if not limits.take_place(key, limit=RATE_LIMIT, hour=hour, now=now):
        raise TooManySuggestions(
            f"You have sent {RATE_LIMIT} suggestions this hour, the most we take "
            "from one connection. Nothing was saved: keep your text, and send it "
            f"again after {again}, or e-mail it to us.",
            retry_at=retry_at,
        )
    cap = settings.NEWSROOM_SUGGESTIONS_PER_HOUR
    if not limits.take_place(SuggestionCount.EVERYONE, limit=cap, hour=hour, now=now):
        raise HourIsFull(
            "We have had more suggestions than usual this hour and cannot take more "
            f"until {again}. Nothing was saved: your text is still below, so send "
            f"it again after {again}, or e-mail it to us.",
            retry_at=retry_at,
        )


def submit_suggestion(
    *,
    title: str,
    summary: str,
    url: str = "",
    deadline: datetime.date | None = None,
    event_date: datetime.date | None = None,
    contact_name: str,
    contact_email: str,
    consent: bool,
    sender_address: str,
) -> Suggestion:
    """
    Keep a suggestion from the public form for the editors to decide on. ``summary``
    is plain text. Refused with TooManySuggestions when the sender's address has
    already sent RATE_LIMIT this hour, or everyone NEWSROOM_SUGGESTIONS_PER_HOUR.
    """
    if not consent:
        raise ValidationError(
            {"consent": "A suggestion is only kept with its sender's agreement."}
        )
    suggestion = Suggestion(
        title=title.strip(),
        summary=summary_html(summary),
        url=url,
        deadline=deadline,
        event_date=event_date,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        consent=consent,
        sender_key=sender_key(sender_address),
        created_at=timezone.now(),
    )
    # The fields' own checks; the table's constraints, which hold whatever the form
    # lets through, are left to the database rather than queried first.
    suggestion.full_clean(validate_constraints=False)
    now = suggestion.created_at
    try:
        with transaction.atomic():
            _take_places(suggestion.sender_key, now=now)
            suggestion.save()
            limits.forget_past_hours(now)
    except HourIsFull:
        # Counted for the editors once the refused suggestion's transaction has
        # given back the sender's place.
        limits.note_turned_away(hour=limits.hour_of(now))
        raise
    return suggestion


def _pending(suggestion: Suggestion) -> Suggestion:
    """``suggestion`` as the database has it now, locked, if it is still pending."""
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != Suggestion.Status.PENDING:
        decided = date_format(timezone.localtime(locked.decided_at), "j F Y, H:i")
        raise SuggestionError(
            f"“{locked}” was already {locked.get_status_display().lower()} on "
            f"{decided}; nothing was changed."
        )
    return locked


def accept_suggestion(*, suggestion: Suggestion, user) -> Item:
    """
    Accept ``suggestion``: it becomes an inbox item (no issue yet) with its title,
    its summary as the body, its link as the call to action and its deadline, and
    the suggestion keeps a link to that item.
    """
    with transaction.atomic():
        suggestion = _pending(suggestion)
        body = suggestion.summary
        if suggestion.event_date:
            when = date_format(suggestion.event_date, "l j F Y")
            body += f"<p>Date of the event, as suggested: {when}.</p>"
        item = Item(
            issue=None,
            section=None,
            title=suggestion.title,
            body=body,
            cta_label=CTA_LABEL if suggestion.url else "",
            cta_url=suggestion.url,
            deadline=suggestion.deadline,
            deadline_label=DEADLINE_LABEL if suggestion.deadline else "",
        )
        item.full_clean()
        item.save()
        suggestion.item = item
        suggestion.status = Suggestion.Status.ACCEPTED
        suggestion.decided_by = user
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["item", "status", "decided_by", "decided_at"])
        return item


def decline_suggestion(*, suggestion: Suggestion, user) -> Suggestion:
    """Decline ``suggestion``: it is kept, marked declined, and becomes no item."""
    with transaction.atomic():
        suggestion = _pending(suggestion)
        suggestion.status = Suggestion.Status.DECLINED
        suggestion.decided_by = user
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
        return suggestion
