"""What happens to an issue: its workflow steps, errata, revisions and preview links."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from issues.models.issue import Issue, Item
from newsroom.core.fields import (
    RichTextField,
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
