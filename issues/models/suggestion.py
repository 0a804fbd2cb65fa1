"""Items proposed by readers through the public form."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from issues.models.issue import Item
from newsroom.core.dates import validate_kept_date
from newsroom.core.fields import (
    RichTextField,
    SafeURLField,
    url_scheme_constraint,
)


class Suggestion(models.Model):
    """An item proposed through the public form, waiting for an editor's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    title = models.CharField(max_length=300)
    summary = RichTextField()
    url = SafeURLField("link", blank=True)
    deadline = models.DateField(null=True, blank=True, validators=[validate_kept_date])
    event_date = models.DateField(
        null=True, blank=True, validators=[validate_kept_date]
    )
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    consent = models.BooleanField(
        default=False,
        help_text="The sender agreed to be contacted about the suggestion.",
    )
    status = models.CharField(
        max_length=16, choices=Status, default=Status.PENDING, editable=False
    )
    # The inbox item made when an editor accepts the suggestion.
    item = models.OneToOneField(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="suggestion",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A keyed hash of the sender's network address, for the rate limit; never the
    # address itself.
    sender_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True),
                name="suggestion_has_consent",
                violation_error_message="A suggestion needs the sender's consent.",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="suggestion_decision_has_time",
                violation_error_message="A decision records when it was made.",
            ),
            url_scheme_constraint("url", "suggestion_url_scheme"),
        ]

    def __str__(self):
        return self.title
