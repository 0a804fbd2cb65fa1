"""Mailer profiles and the e-mails exported for them."""

import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse

from issues.models.issue import Issue
from newsroom.core.richtext import is_allowed_url

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

    def save(self, *args, **kwargs):
        self.html_sha256 = sha256_hex(self.html)
        self.text_sha256 = sha256_hex(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:issues_issue_preview", args=[self.issue_id])

    @property
    def is_intact(self) -> bool:
        """Whether the stored copies still match the checksums taken when frozen."""
        return (
            sha256_hex(self.html) == self.html_sha256
            and sha256_hex(self.text) == self.text_sha256
        )
