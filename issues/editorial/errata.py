"""
Errata: dated corrections of a sent issue, published beside what readers received.
"""

from django.db import transaction
from django.utils import timezone

from issues.editorial.workflow import (
    WorkflowError,
)
from issues.models import Erratum, Issue, Item
from newsroom.core.caching import forget_address
from newsroom.core.richtext import clean_html, plain_text

# The kind under which the pages cache keeps what an issue page's address names
# (issues.public.issue_page): every erratum makes it be read again.
ISSUE_PAGE_ADDRESS = "issue-page"
# Characters of the correction as stored: a sentence or two, not a new article.
ERRATUM_MAX_LENGTH = 2000


class ErratumError(WorkflowError):
    """An erratum that cannot be published, with what to do instead."""


def not_sent_message(issue: Issue) -> str:
    return (
        f"{issue} is {issue.get_status_display()}, not sent: correct the issue "
        "itself. An erratum is only for what readers have received."
    )


def _erratum_changed(issue: Issue, when) -> None:
    """The issue's pages, feeds and archive take an erratum as a change."""
    Issue.objects.filter(pk=issue.pk).update(updated_at=when)
    publication, slug = issue.publication.slug, issue.slug
    transaction.on_commit(lambda: forget_address(ISSUE_PAGE_ADDRESS, publication, slug))


def publish_erratum(
    *, issue: Issue, user, text: str, item: Item | None = None
) -> Erratum:
    """
    Publish a correction to a sent ``issue``, optionally naming one of its items. The
    frozen e-mails stay as readers received them; the public page shows the
    correction at once, with its date.
    """
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("publication")
            .defer("frozen_content")
            .get(pk=issue.pk)
        )
        if user is None or not user.has_perm("issues.add_erratum"):
            raise ErratumError(
                "You are not allowed to publish errata: ask an approver to do it."
            )
        if not issue.is_sent:
            raise ErratumError(not_sent_message(issue))
        if item is not None and item.issue_id != issue.pk:
            raise ErratumError(
                f"“{item}” is not an item of {issue}: choose one of its items, or none."
            )
        cleaned = clean_html(text).strip()
        if not plain_text(cleaned):
            raise ErratumError(
                "Write the correction: what was wrong and what is right. Nothing "
                "was published."
            )
        if len(cleaned) > ERRATUM_MAX_LENGTH:
            raise ErratumError(
                f"The correction is {len(cleaned)} characters long, formatting "
                f"included; keep it under {ERRATUM_MAX_LENGTH}. Nothing was "
                "published."
            )
        erratum = Erratum.objects.create(
            issue=issue,
            item=item,
            text=cleaned,
            # To the second, which a JSON backup keeps exactly.
            published_at=timezone.now().replace(microsecond=0),
            published_by=user if user.is_authenticated else None,
        )
        _erratum_changed(issue, erratum.published_at)
        return erratum


def withdraw_erratum(*, erratum: Erratum, user) -> None:
    """
    Take back an erratum published by mistake: for superusers only, since what
    readers were told otherwise stays on record.
    """
    with transaction.atomic():
        if user is None or not user.is_superuser:
            raise ErratumError(
                "Published errata stay on record; only a superuser may withdraw one."
            )
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("publication")
            .defer("frozen_content")
            .get(pk=erratum.issue_id)
        )
        erratum.delete()
        _erratum_changed(issue, timezone.now())
