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


class SuggestionCountQuerySet(models.QuerySet):
    def of_everyone(self):
        return self.filter(key=SuggestionCount.EVERYONE)

    def full_since(self, moment):
        """Everyone's counts of hours from ``moment`` on that reached their limit."""
        return self.of_everyone().filter(hour__gt=moment, full_at__isnull=False)


class SuggestionCount(models.Model):
    """
    How many suggestions the public form took in one clock hour from one sender, or
    from everyone together: the counters its limits are held by, raised one at a
    time by ``issues.suggestions.limits``. Kept for a day at most.
    """

    # The key of everyone's count; a sender's key is 64 hexadecimal digits.
    EVERYONE = "everyone"

    # A sender's keyed hash (Suggestion.sender_key), or EVERYONE.
    key = models.CharField(max_length=64)
    # The start of the hour counted.
    hour = models.DateTimeField()
    taken = models.PositiveIntegerField(default=0)
    # Turned away for want of room in the hour; counted on everyone's count only.
    refused = models.PositiveIntegerField(default=0)
    # When the count reached its limit, if it did.
    full_at = models.DateTimeField(null=True, blank=True)

    objects = SuggestionCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "hour"], name="suggestion_count_one_per_hour"
            ),
        ]
        # Past hours are deleted by their start.
        indexes = [models.Index(fields=["hour"], name="suggestion_count_hour")]

    def __str__(self):
        return f"{self.taken} suggestions in the hour from {self.hour:%Y-%m-%d %H:%M}"
