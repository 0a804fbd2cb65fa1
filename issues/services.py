"""
Changes to issues that follow rules: exporting for a mailer, marking sent,
publishing an erratum, and the review workflow (see issues/workflow.py).
"""

import dataclasses
import hashlib
import json
from html import unescape
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from issues import checks
from issues.export import budget, package
from issues.export.content import build_snapshot, display_date
from issues.export.html import render_html
from issues.export.text import render_text
from issues.issue_page import forget_issue_page
from issues.models import Erratum, Issue, IssueExport, Item, MailerProfile
from issues.workflow import (  # noqa: F401 (the workflow's steps are services too)
    WorkflowError,
    approve_issue,
    check_mark_sent,
    record_edit,
    record_sent,
    send_back,
    submit_issue,
)
from newsroom.sanitizer import clean_html

# Characters of the correction as stored: a sentence or two, not a new article.
ERRATUM_MAX_LENGTH = 2000


class ExportError(Exception):
    """An export that cannot be made, with a message for the editor."""


class OverBudget(ExportError):
    def __init__(self, report: budget.SizeReport):
        self.report = report
        lines = [
            f"The e-mail is {budget.kilobytes(report.size)}, over the "
            f"{budget.kilobytes(report.limit)} at which Gmail clips messages (it "
            "hides the rest, unsubscribe link included, behind “View entire "
            "message”). The largest parts:"
        ]
        lines += [
            f"  {budget.kilobytes(size):>9}  {label}"
            for label, size in report.largest()
        ]
        lines.append(
            "Shorten or remove items, or export anyway (--force on the command "
            "line, “Download anyway” in the admin)."
        )
        super().__init__("\n".join(lines))


class BlockingProblems(ExportError):
    """Pre-flight checks that must be fixed before the issue goes to the mailer."""

    def __init__(self, problems: list[checks.Problem]):
        self.problems = problems
        lines = [
            f"The issue cannot be exported yet: {len(problems)} "
            f"problem{'s' if len(problems) != 1 else ''} must be fixed first."
        ]
        lines += [f"  - {problem.message} {problem.fix}" for problem in problems]
        lines.append(
            "Fix them, or export anyway (--force on the command line, “Download "
            "anyway” in the admin)."
        )
        super().__init__("\n".join(lines))


@dataclasses.dataclass
class ExportResult:
    issue: Issue
    profile: MailerProfile
    html: str
    text: str
    report: budget.SizeReport
    images: list[str]
    # Whether html and text are the copies stored when the issue was sent.
    frozen: bool = False
    note: str = ""

    @property
    def basename(self) -> str:
        return f"{self.issue.publication.slug}-{self.issue.slug}-{self.profile.slug}"

    def zip_bytes(self) -> bytes:
        return package.build_zip(
            basename=self.basename, html=self.html, text=self.text, images=self.images
        )

    def write(self, directory: Path) -> list[Path]:
        """Write <basename>.html, .txt and .zip into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = [
            directory / f"{self.basename}.html",
            directory / f"{self.basename}.txt",
            directory / f"{self.basename}.zip",
        ]
        paths[0].write_bytes(self.html.encode())
        paths[1].write_bytes(self.text.encode())
        paths[2].write_bytes(self.zip_bytes())
        return paths


def content_checksum(snapshot: dict) -> str:
    """The sha256 of the snapshot as canonical JSON, whatever order its keys are in."""
    canonical = json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def render_export(*, snapshot: dict, profile: MailerProfile):
    """The HTML (with its parts' sizes) and the text of ``snapshot`` for ``profile``."""
    rendered = render_html(snapshot, profile)
    return rendered, render_text(snapshot, profile)


def export_issue(
    *, issue: Issue, profile: MailerProfile, force: bool = False
) -> ExportResult:
    """
    The e-mail HTML, plain text and images of ``issue`` for ``profile``.

    A frozen (sent) issue gives the copies stored when it was sent, byte for byte;
    for a profile added since, they are rendered from the frozen content. Over the
    size budget the export is refused with OverBudget, and an issue not yet sent
    with blocking pre-flight problems with BlockingProblems, unless ``force``.
    """
    with transaction.atomic():
        note = ""
        frozen = False
        parts = None
        if issue.is_frozen:
            snapshot = issue.frozen_content
            if content_checksum(snapshot) != issue.frozen_content_sha256:
                raise ExportError(
                    "The content frozen when this issue was sent no longer matches "
                    "its checksum; it has been changed outside Newsroom. Restore it "
                    "from a backup before exporting."
                )
            stored = IssueExport.objects.filter(issue=issue, profile=profile).first()
            if stored is not None:
                if not stored.is_intact:
                    raise ExportError(
                        f"The copy for {profile} frozen when this issue was sent no "
                        "longer matches its checksum; it has been changed outside "
                        "Newsroom. Restore it from a backup before exporting."
                    )
                html, text, frozen = stored.html, stored.text, True
                note = (
                    f"The copy frozen when the issue was sent, on "
                    f"{display_date(timezone.localdate(issue.frozen_at))}."
                )
            else:
                rendered, text = render_export(snapshot=snapshot, profile=profile)
                html, parts = rendered.html, rendered.parts
                note = (
                    f"Rendered from the content frozen when the issue was sent: "
                    f"no copy for {profile} was frozen then."
                )
        else:
            snapshot = build_snapshot(issue)
            rendered, text = render_export(snapshot=snapshot, profile=profile)
            html, parts = rendered.html, rendered.parts
            if issue.is_sent:
                note = (
                    "This issue was marked sent before exports were frozen: this is "
                    "today's rendering of its current content."
                )

        report = budget.size_report(html, parts)
        if report.over and parts is None:
            # A frozen copy: measure its parts from the content it was made from.
            report = budget.size_report(html, render_html(snapshot, profile).parts)
        if not force and not issue.is_sent:
            blocking = [
                problem
                for problem in checks.preflight(issue, report=report)
                if problem.blocking
            ]
            if any(problem.code != checks.OVER_BUDGET for problem in blocking):
                raise BlockingProblems(blocking)
        if report.over and not force:
            raise OverBudget(report)
        return ExportResult(
            issue=issue,
            profile=profile,
            html=html,
            text=text,
            report=report,
            images=package.local_images(snapshot),
            frozen=frozen,
            note=note,
        )


def mark_sent(*, issue: Issue, sent_at=None, user=None, comment: str = "") -> Issue:
    """
    Mark ``issue`` Sent and freeze it: its content as JSON, and the e-mail HTML and
    plain text for every active mailer profile, each with its sha256 checksum.
    Marking an issue that is already frozen changes nothing.

    With a ``user``, only an approved issue is marked sent, by someone allowed to;
    without one (a past issue, imported or loaded), any issue is.
    """
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.is_frozen:
            return issue
        check_mark_sent(issue=issue, user=user)
        record_sent(issue=issue, user=user, comment=comment)
        issue.status = Issue.Status.SENT
        issue.sent_at = sent_at or issue.sent_at or timezone.now()
        snapshot = build_snapshot(issue)
        issue.frozen_content = snapshot
        issue.frozen_content_sha256 = content_checksum(snapshot)
        issue.frozen_at = timezone.now()
        issue.save(
            update_fields=[
                "status",
                "sent_at",
                "frozen_content",
                "frozen_content_sha256",
                "frozen_at",
                "updated_at",
            ]
        )
        for profile in MailerProfile.objects.active():
            rendered, text = render_export(snapshot=snapshot, profile=profile)
            IssueExport.objects.create(
                issue=issue, profile=profile, html=rendered.html, text=text
            )
        return issue


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
    transaction.on_commit(lambda: forget_issue_page(publication=publication, slug=slug))


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
        if not unescape(strip_tags(cleaned)).strip():
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
