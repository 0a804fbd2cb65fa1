"""Issues and their items."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from issues.models.publication import Publication, Section
from newsroom.core.dates import validate_kept_date, validate_kept_year
from newsroom.core.fields import (
    RichTextField,
    SafeImageField,
    SafeURLField,
    url_scheme_constraint,
)


class IssueQuerySet(models.QuerySet):
    def sent(self):
        """Issues readers have received, newest first: the only public ones."""
        return self.filter(status=Issue.Status.SENT).order_by("-year", "-month")

    def editable_by(self, user):
        """The issues of the publications ``user`` works on (see Publication)."""
        return self.filter(publication__in=Publication.objects.editable_by(user))


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="issues"
    )
    year = models.PositiveSmallIntegerField(validators=[validate_kept_year])
    month = models.PositiveSmallIntegerField(
        choices=[(number, calendar.month_name[number]) for number in range(1, 13)]
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Leave empty to use the month, e.g. “December 2024”.",
    )
    slug = models.SlugField(
        max_length=100,
        blank=True,
        help_text="Part of the web address. Leave empty for e.g. “2024-12”.",
    )
    preheader = models.CharField(
        max_length=200,
        blank=True,
        help_text="The line inboxes show after the subject. Aim for 40–130 characters.",
    )
    intro = RichTextField(blank=True)
    status = models.CharField(
        max_length=16, choices=Status, default=Status.DRAFT, editable=False
    )
    planned_send_date = models.DateField(
        null=True, blank=True, validators=[validate_kept_date]
    )
    # Not edited, but an imported issue's comes from the file.
    sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, validators=[validate_kept_date]
    )
    frozen_content = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The issue as readers received it; see issues/export/snapshot.py.",
    )
    frozen_content_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The checksum of the content as it was approved (issues/export/snapshot.py:
    # reviewed_checksum): sending, or exporting, content that differs from it sends
    # the issue back to Draft instead, whatever path changed it.
    approved_content_sha256 = models.CharField(
        max_length=64, blank=True, editable=False
    )
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised by every save through the admin; a form opened at an older version is
    # refused, so that two people cannot overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "publication"]
        permissions = [
            ("approve_issue", "Can approve an issue or send it back"),
            ("mark_issue_sent", "Can mark an approved issue sent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "month"],
                name="issue_one_per_month",
                violation_error_message=(
                    "This publication already has an issue for this month. Open that "
                    "issue instead, or choose another month."
                ),
            ),
            models.UniqueConstraint(
                fields=["publication", "slug"],
                name="issue_slug_unique_per_publication",
                violation_error_message=(
                    "This publication already has an issue with this slug."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="issue_month_valid",
                violation_error_message="The month must be between 1 and 12.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2200),
                name="issue_year_valid",
                violation_error_message="The year must be between 1990 and 2200.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="issue_sent_has_sent_at",
                violation_error_message="A sent issue records when it was sent.",
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="issue_has_slug",
                violation_error_message="The issue needs a slug.",
            ),
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True, frozen_content__isnull=True)
                | Q(
                    frozen_at__isnull=False,
                    frozen_content__isnull=False,
                    status="sent",
                )
                & Q(Exact(Length("frozen_content_sha256"), 64)),
                name="issue_frozen_only_when_sent",
                violation_error_message=(
                    "Only a sent issue is frozen, with its content, time and checksum."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.publication} – {self.display_title}"

    def save(self, *args, **kwargs):
        if not self.slug and self.year and self.month:
            self.slug = f"{self.year}-{self.month:02d}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "issues:issue",
            kwargs={"publication": self.publication.slug, "slug": self.slug},
        )

    def clean(self):
        super().clean()
        if not self.slug and self.year and self.month:
            self.slug = f"{self.year}-{self.month:02d}"

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def date(self) -> datetime.date:
        """The issue's date: when it went out, else when it is due, else its month."""
        if self.sent_at:
            return timezone.localdate(self.sent_at)
        return self.planned_send_date or self.first_day

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


# What inboxes show of a preheader, about.
PREHEADER_LENGTH = 130


def shortened_preheader(text: str) -> str:
    """``text`` cut at a word to what inboxes show, and “…” where it was cut."""
    if len(text) > PREHEADER_LENGTH:
        text = text[: PREHEADER_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ;,") + "…"
    return text


def default_preheader(item_titles: list[str], publication_name: str) -> str:
    """The preheader of an issue that has none: its items' titles, as they fit."""
    return shortened_preheader("; ".join(item_titles) or publication_name)


class ItemQuerySet(models.QuerySet):
    def inbox(self):
        """Items waiting for an editor to place them in an issue, oldest first."""
        return self.filter(issue__isnull=True).order_by("created_at", "pk")

    def in_order(self):
        """As they appear in the issue: by section, then by position."""
        return self.order_by("section__position", "section", "position", "pk")

    def open_deadlines(self, today: datetime.date | None = None):
        """Items with a deadline on or after ``today``, soonest first."""
        today = today or timezone.localdate()
        return self.filter(deadline__gte=today).order_by("deadline", "title")

    def with_issue(self):
        """
        With each item's issue and publication, but not what a sent issue froze:
        that is the whole issue, read only where it is shown.
        """
        return self.select_related("issue__publication").defer("issue__frozen_content")

    def editable_by(self, user):
        """
        The items ``user`` works on: those in the inbox, which belong to no
        publication yet, and those of the issues they work on.
        """
        return self.filter(
            Q(issue__isnull=True) | Q(issue__in=Issue.objects.editable_by(user))
        )


class Item(models.Model):
    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
        help_text="Leave empty to keep the item in the inbox for a later issue.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    body = RichTextField(blank=True)
    image = SafeImageField(upload_to="items/%Y/%m/", blank=True)
    image_url = SafeURLField(
        "image link",
        blank=True,
        help_text="An image hosted elsewhere, used when no image is uploaded.",
    )
    image_alt = models.CharField(
        "image alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for people who cannot see it.",
    )
    deadline = models.DateField(null=True, blank=True, validators=[validate_kept_date])
    deadline_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="E.g. “Application deadline”. “Deadline” if left empty.",
    )
    cta_label = models.CharField("call-to-action label", max_length=100, blank=True)
    cta_url = SafeURLField("call-to-action link", blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        help_text="Its date, place and registration link are shown with the item.",
    )
    # See Issue.version.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "section__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue__isnull=True) | Q(section__isnull=False),
                name="item_in_issue_has_section",
                violation_error_message="Choose the section this item goes in.",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | ~Q(deadline_label=""),
                name="item_deadline_has_label",
                violation_error_message="Give the deadline a label.",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=False) | Q(deadline_label=""),
                name="item_deadline_label_has_date",
                violation_error_message="Give the date of the deadline.",
            ),
            models.CheckConstraint(
                condition=Q(cta_label="") | ~Q(cta_url=""),
                name="item_cta_label_has_url",
                violation_error_message="Give the link for the call to action.",
            ),
            models.CheckConstraint(
                condition=Q(image="") | Q(image_url=""),
                name="item_one_image",
                violation_error_message=(
                    "Upload an image or give an image link, not both."
                ),
            ),
            url_scheme_constraint("cta_url", "item_cta_url_scheme"),
            url_scheme_constraint("image_url", "item_image_url_scheme"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.deadline and not self.deadline_label:
            self.deadline_label = "Deadline"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.issue_id is None:
            return reverse("admin:issues_item_change", args=[self.pk])
        return f"{self.issue.get_absolute_url()}#{self.anchor}"

    def clean(self):
        super().clean()
        if self.deadline and not self.deadline_label:
            self.deadline_label = "Deadline"
        if (
            self.issue_id
            and self.section_id
            and self.section.publication_id != self.issue.publication_id
        ):
            raise ValidationError(
                {"section": "Choose a section of this issue's publication."}
            )

    @property
    def anchor(self) -> str:
        return f"item-{self.pk}"

    @property
    def image_src(self) -> str:
        """Where the image is: the uploaded file, else the remote link, else ""."""
        if self.image:
            return self.image.url
        return self.image_url
