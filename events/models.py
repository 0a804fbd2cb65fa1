import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from newsroom.core.dates import validate_kept_date
from newsroom.core.fields import RichTextField, SafeURLField, url_scheme_constraint


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    # OSError: a name that is a folder of the time zone database (“Europe”) or
    # longer than a file name can be.
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValidationError(
            "“%(value)s” is not a time zone name. Use a name such as Europe/London "
            "or America/New_York.",
            code="invalid_time_zone",
            params={"value": value},
        ) from error


def default_time_zone() -> str:
    return settings.TIME_ZONE


class EventQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date | None = None):
        """Events that have not yet ended, soonest first."""
        today = today or timezone.localdate()
        return self.filter(
            Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)
        ).order_by("start_date", "start_time", "title")

    def past(self, today: datetime.date | None = None):
        """Events that are over, most recent first."""
        today = today or timezone.localdate()
        return self.filter(
            Q(end_date__lt=today) | Q(end_date__isnull=True, start_date__lt=today)
        ).order_by("-start_date", "-start_time", "title")


class Event(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One line for lists and calendars."
    )
    body = RichTextField(blank=True)
    start_date = models.DateField(validators=[validate_kept_date])
    start_time = models.TimeField(
        null=True, blank=True, help_text="Leave empty for an all-day event."
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_kept_date],
        help_text="Leave empty if it ends on the start date.",
    )
    end_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Where the times are given, e.g. Europe/London.",
    )
    format = models.CharField(max_length=16, choices=Format, blank=True)
    location = models.CharField(
        max_length=300, blank=True, help_text="Venue and city, or the platform."
    )
    organiser = models.CharField(max_length=200, blank=True)
    url = SafeURLField("more information", blank=True)
    registration_url = SafeURLField("registration link", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
                violation_error_message="The event cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="event_end_time_needs_start_time",
                violation_error_message="Give a start time before an end time.",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                # Spelled out: "end_date > start_date" alone is NULL, not false,
                # when end_date is empty, and a NULL check passes.
                | Q(end_date__isnull=False, end_date__gt=F("start_date"))
                | Q(end_time__gte=F("start_time")),
                name="event_end_time_after_start_time",
                violation_error_message="The event cannot end before it starts.",
            ),
            url_scheme_constraint("url", "event_url_scheme"),
            url_scheme_constraint("registration_url", "event_registration_url_scheme"),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%-d %b %Y})"

    def get_absolute_url(self):
        return reverse("events:event", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_all_day(self) -> bool:
        return self.start_time is None

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The aware start, or None for an all-day event."""
        if self.start_time is None:
            return None
        return datetime.datetime.combine(self.start_date, self.start_time, self.tz)

    @property
    def ends_at(self) -> datetime.datetime | None:
        if self.end_time is None:
            return None
        end_date = self.end_date or self.start_date
        return datetime.datetime.combine(end_date, self.end_time, self.tz)

    @property
    def last_day(self) -> datetime.date:
        return self.end_date or self.start_date


class DeadlineQuerySet(models.QuerySet):
    def open(self, today: datetime.date | None = None):
        """Deadlines on or after ``today``, soonest first."""
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "label")


class Deadline(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deadlines")
    label = models.CharField(
        max_length=100, help_text="E.g. “Registration deadline”, “Call for papers”."
    )
    date = models.DateField(validators=[validate_kept_date])

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["date", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "label", "date"],
                name="deadline_unique_per_event",
                violation_error_message="This event already has this deadline.",
            ),
            models.CheckConstraint(
                condition=~Q(label=""),
                name="deadline_has_label",
                violation_error_message="Give the deadline a label.",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#deadline-{self.pk}"
