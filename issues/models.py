import calendar
import datetime
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from newsroom.fields import (
    RichTextField,
    SafeImageField,
    SafeURLField,
    url_scheme_constraint,
)
from newsroom.sanitizer import is_allowed_url

validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$",
    "Enter the colour as # and six hexadecimal digits, e.g. #1F4E79.",
)


class Publication(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    intro = RichTextField(
        blank=True, help_text="Shown under the banner of every issue: who you are."
    )
    contact = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Readers are told to write to this person.",
    )
    signup_url = SafeURLField("sign-up link", blank=True)
    postal_address = models.TextField(
        blank=True, help_text="Required by law in marketing e-mail; one line is fine."
    )
    copyright_holder = models.CharField(max_length=200, blank=True)
    brand_colour = models.CharField(
        max_length=7, default="#1F4E79", validators=[validate_colour]
    )
    banner = SafeImageField(upload_to="banners/", blank=True)
    banner_url = SafeURLField(
        "banner image link",
        blank=True,
        help_text="An image hosted elsewhere, used when no banner is uploaded.",
    )
    banner_alt = models.CharField("banner alt text", max_length=300, blank=True)
    team = models.ForeignKey(
        "people.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        help_text="The team listed in each issue, as it stood on the issue's date.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            url_scheme_constraint("signup_url", "publication_signup_url_scheme"),
            url_scheme_constraint("banner_url", "publication_banner_url_scheme"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("issues:publication", kwargs={"slug": self.slug})


class SocialLink(models.Model):
    class Network(models.TextChoices):
        WEBSITE = "website", "Website"
        LINKEDIN = "linkedin", "LinkedIn"
        X = "x", "X (Twitter)"
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        BLUESKY = "bluesky", "Bluesky"
        MASTODON = "mastodon", "Mastodon"
        SLACK = "slack", "Slack"
        OTHER = "other", "Other"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="social_links"
    )
    network = models.CharField(max_length=16, choices=Network)
    label = models.CharField(
        max_length=100, blank=True, help_text="Link text, e.g. “Slack workspace”."
    )
    url = SafeURLField("link", blank=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["publication", "position", "pk"]
        constraints = [
            url_scheme_constraint("url", "social_link_url_scheme"),
            models.CheckConstraint(condition=~Q(url=""), name="social_link_has_url"),
        ]

    def __str__(self):
        return self.label or self.get_network_display()

    def get_absolute_url(self):
        return self.url


class Section(models.Model):
    class Kind(models.TextChoices):
        ITEMS = "items", "Items"
        TEAM = "team", "Team list"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        max_length=8,
        choices=Kind,
        default=Kind.ITEMS,
        help_text="A team list shows the publication's team instead of items.",
    )
    is_default = models.BooleanField(
        "in every issue",
        default=True,
        help_text="Expected in every issue; an issue where it is empty is flagged.",
    )
    image = SafeImageField(upload_to="sections/", blank=True)
    image_url = SafeURLField("image link", blank=True)
    image_alt = models.CharField("image alt text", max_length=300, blank=True)

    class Meta:
        ordering = ["publication", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "slug"],
                name="section_slug_unique_per_publication",
                violation_error_message="This publication already has this section.",
            ),
            url_scheme_constraint("image_url", "section_image_url_scheme"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.publication.get_absolute_url()


class IssueQuerySet(models.QuerySet):
    def sent(self):
        """Issues readers have received, newest first: the only public ones."""
        return self.filter(status=Issue.Status.SENT).order_by("-year", "-month")


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="issues"
    )
    year = models.PositiveSmallIntegerField()
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
    planned_send_date = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    frozen_content = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The issue as readers received it; see issues/export/content.py.",
    )
    frozen_content_sha256 = models.CharField(max_length=64, blank=True, editable=False)
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
    deadline = models.DateField(null=True, blank=True)
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


_MERGE_TAG = re.compile(r"^\*\|[A-Z0-9_:]+\|\*$")


def validate_mailer_link(value: str) -> None:
    """A link in a mailer profile: a full https/http link, or a merge tag."""
    if not value or _MERGE_TAG.match(value) or is_allowed_url(value):
        return
    raise ValidationError(
        "Enter a full link starting with https:// (or mailto:), or one of the "
        "mailer's merge tags such as *|UNSUB|*.",
        code="invalid_mailer_link",
    )


def validate_no_template_tokens(value: str) -> None:
    if "{{" in value or "}}" in value:
        raise ValidationError(
            "“{{” and “}}” are read by some mailers as their own template tags; "
            "leave them out.",
            code="template_tokens",
        )


class MailerProfileQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).order_by("position", "name")


class MailerProfile(models.Model):
    """
    What one mailer needs in an exported issue: its placeholders for unsubscribing,
    the preference centre, the web version and the postal address, its footer, and
    the UTM parameters added to outgoing links.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(
        "active", default=True, help_text="Offered in the admin and frozen on sending."
    )
    unsubscribe_url = models.CharField(
        "unsubscribe link",
        max_length=500,
        blank=True,
        validators=[validate_mailer_link, validate_no_template_tokens],
        help_text=(
            "A link or merge tag, e.g. *|UNSUB|*. Leave empty when the mailer adds "
            "its own unsubscribe link; without one readers are asked to write to "
            "the publication's contact."
        ),
    )
    preferences_url = models.CharField(
        "preference centre link",
        max_length=500,
        blank=True,
        validators=[validate_mailer_link, validate_no_template_tokens],
        help_text="E.g. *|UPDATE_PROFILE|*. Leave empty for none.",
    )
    web_version_url = models.CharField(
        "web version link",
        max_length=500,
        blank=True,
        validators=[validate_mailer_link, validate_no_template_tokens],
        help_text="E.g. *|ARCHIVE|*. Leave empty to link to the issue's public page.",
    )
    postal_address = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_no_template_tokens],
        help_text=(
            "E.g. *|HTML:LIST_ADDRESS_HTML|*. Leave empty to show the publication's "
            "postal address."
        ),
    )
    footer_text = models.TextField(
        blank=True,
        validators=[validate_no_template_tokens],
        help_text="A last line in the footer, e.g. why readers receive the e-mail.",
    )
    handles_unsubscribe = models.BooleanField(
        "mailer adds its own unsubscribe footer",
        default=False,
        help_text=(
            "For mailers such as Dynamics 365 Customer Insights that add their own "
            "unsubscribe and preference-centre links to every e-mail."
        ),
    )
    utm_source = models.CharField(
        max_length=100,
        blank=True,
        help_text="Leave empty to add no UTM parameters to links.",
    )
    utm_medium = models.CharField(max_length=100, blank=True, default="email")
    utm_campaign = models.CharField(
        max_length=100,
        blank=True,
        help_text="Leave empty for the publication and the issue, e.g. news-2024-11.",
    )

    objects = MailerProfileQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(unsubscribe_url__contains="{{")
                & ~Q(preferences_url__contains="{{")
                & ~Q(web_version_url__contains="{{")
                & ~Q(postal_address__contains="{{")
                & ~Q(footer_text__contains="{{"),
                name="mailer_profile_no_template_tokens",
                violation_error_message="Leave “{{” out of the mailer's fields.",
            ),
            models.CheckConstraint(
                condition=Q(utm_source="") | ~Q(utm_medium=""),
                name="mailer_profile_utm_has_medium",
                violation_error_message="Give the UTM medium too, e.g. “email”.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:issues_mailerprofile_change", args=[self.pk])


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class IssueExport(models.Model):
    """The e-mail HTML and plain text of a sent issue, for one mailer, frozen."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="exports")
    # A profile that has frozen exports is deactivated, never deleted.
    profile = models.ForeignKey(
        MailerProfile, on_delete=models.PROTECT, related_name="exports"
    )
    html = models.TextField()
    text = models.TextField()
    html_sha256 = models.CharField(max_length=64)
    text_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issue", "profile"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "profile"],
                name="issue_export_one_per_profile",
                violation_error_message="This issue is already frozen for this mailer.",
            ),
            models.CheckConstraint(
                condition=Q(Exact(Length("html_sha256"), 64))
                & Q(Exact(Length("text_sha256"), 64)),
                name="issue_export_has_checksums",
                violation_error_message="A frozen export records its checksums.",
            ),
        ]

    def __str__(self):
        return f"{self.issue} for {self.profile}"

    def get_absolute_url(self):
        return reverse("admin:issues_issue_preview", args=[self.issue_id])

    def save(self, *args, **kwargs):
        self.html_sha256 = sha256_hex(self.html)
        self.text_sha256 = sha256_hex(self.text)
        super().save(*args, **kwargs)

    @property
    def is_intact(self) -> bool:
        """Whether the stored copies still match the checksums taken when frozen."""
        return (
            sha256_hex(self.html) == self.html_sha256
            and sha256_hex(self.text) == self.text_sha256
        )


class IssueTransition(models.Model):
    """One step of an issue's workflow: who moved it, when, and why."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16, choices=Issue.Status)
    to_status = models.CharField(max_length=16, choices=Issue.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issue", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="issue_transition_changes_status",
                violation_error_message="A transition moves an issue to a new status.",
            ),
        ]

    def __str__(self):
        return (
            f"{self.issue}: {self.get_from_status_display()} → "
            f"{self.get_to_status_display()}"
        )


class ErratumQuerySet(models.QuerySet):
    def in_order(self):
        """As readers see them: the oldest correction first."""
        return self.order_by("published_at", "pk")


class Erratum(models.Model):
    """
    A correction published after an issue was sent, kept with its date. The frozen
    e-mails stay as readers received them; the issue's public page shows the
    correction, near the top and beside the item it corrects.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="errata")
    # An item that a correction names is never deleted on its own; deleting the
    # whole issue takes both.
    item = models.ForeignKey(
        Item,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="errata",
        help_text="The item it corrects, if it corrects one.",
    )
    text = RichTextField(
        "correction",
        help_text="What was wrong and what is right, in a sentence or two.",
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ErratumQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "errata"
        ordering = ["published_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="erratum_has_text",
                violation_error_message="Write the correction.",
            ),
        ]

    def __str__(self):
        return f"Correction to {self.issue}, {timezone.localdate(self.published_at)}"

    def get_absolute_url(self):
        return f"{self.issue.get_absolute_url()}#{self.anchor}"

    def clean(self):
        super().clean()
        if self.issue_id is None:
            return
        if not self.issue.is_sent:
            raise ValidationError(
                {"issue": "Only a sent issue is corrected by an erratum."}
            )
        if self.item_id is not None and self.item.issue_id != self.issue_id:
            raise ValidationError({"item": "Choose an item of this issue."})

    @property
    def anchor(self) -> str:
        return f"erratum-{self.pk}"


class IssueRevision(models.Model):
    """
    The issue and its items as one save left them, numbered from 1. Restoring a
    revision saves its content as a new revision; none is ever changed.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issue", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "number"],
                name="issue_revision_number_unique",
                violation_error_message="The issue has a revision of that number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="issue_revision_number_positive",
                violation_error_message="Revisions are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"{self.issue}, revision {self.number}"


class PreviewLink(models.Model):
    """
    A read-only preview of an issue for someone without an account. The link carries
    a signature of this row's id; it works until it expires or is revoked.
    """

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="preview_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Who it is for, e.g. “Partnership board”."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issue", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="preview_link_expires_after_creation",
                violation_error_message="A preview link expires after it is made.",
            ),
        ]

    def __str__(self):
        return f"Preview of {self.issue}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


class Suggestion(models.Model):
    """An item proposed through the public form, waiting for an editor's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    title = models.CharField(max_length=300)
    summary = RichTextField()
    url = SafeURLField("link", blank=True)
    deadline = models.DateField(null=True, blank=True)
    event_date = models.DateField(null=True, blank=True)
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
