"""
Exporting an issue for a mailer and marking it sent, which freezes it.
"""

import dataclasses
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from issues.editorial import checks
from issues.editorial.workflow import (
    WorkflowError,
    changed_after_approval,
    changed_since_approval,
    check_mark_sent,
    record_sent,
    returned_if_changed,
)
from issues.export import budget, package
from issues.export.html import render_html
from issues.export.snapshot import build_snapshot, content_checksum, display_date
from issues.export.text import render_text
from issues.models import Issue, IssueExport, MailerProfile


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
    # Whether the issue is approved and this is not what was approved (a preview).
    changed_since_approval: bool = False

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


def render_export(*, snapshot: dict, profile: MailerProfile):
    """The HTML (with its parts' sizes) and the text of ``snapshot`` for ``profile``."""
    rendered = render_html(snapshot, profile)
    return rendered, render_text(snapshot, profile)


def export_issue(
    *,
    issue: Issue,
    profile: MailerProfile,
    force: bool = False,
    preview: bool = False,
) -> ExportResult:
    """
    The e-mail HTML, plain text and images of ``issue`` for ``profile``.

    A frozen (sent) issue gives the copies stored when it was sent, byte for byte;
    for a profile added since, they are rendered from the frozen content. Over the
    size budget the export is refused with OverBudget, and an issue not yet sent
    with blocking pre-flight problems with BlockingProblems, unless ``force``.

    An approved issue whose content changed since it was approved is sent back to
    Draft and refused with ExportError, unless the export is a ``preview``, which
    shows the content as it is now.
    """
    if not preview:
        _refuse_if_changed(issue)
    with transaction.atomic():
        if issue.is_frozen:
            copy = _frozen_copy(issue, profile)
        else:
            copy = _current_copy(issue, profile)
        report = budget.size_report(copy.html, copy.parts)
        if report.over and copy.parts is None:
            # A frozen copy: measure its parts from the content it was made from.
            report = budget.size_report(
                copy.html, render_html(copy.snapshot, profile).parts
            )
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
            html=copy.html,
            text=copy.text,
            report=report,
            images=package.local_images(copy.snapshot),
            frozen=copy.frozen,
            note=copy.note,
            changed_since_approval=changed_since_approval(issue, copy.snapshot),
        )


@dataclasses.dataclass
class _Copy:
    """An issue's e-mail for one profile, and the content it was made from."""

    snapshot: dict
    html: str
    text: str
    # The sizes of its parts, when it was rendered now.
    parts: list[tuple[str, int]] | None = None
    frozen: bool = False
    note: str = ""


def _frozen_copy(issue: Issue, profile: MailerProfile) -> _Copy:
    """The copy stored when ``issue`` was sent, or one made from its frozen content."""
    snapshot = issue.frozen_content
    if content_checksum(snapshot) != issue.frozen_content_sha256:
        raise ExportError(
            "The content frozen when this issue was sent no longer matches "
            "its checksum; it has been changed outside Newsroom. Restore it "
            "from a backup before exporting."
        )
    stored = IssueExport.objects.filter(issue=issue, profile=profile).first()
    if stored is None:
        rendered, text = render_export(snapshot=snapshot, profile=profile)
        return _Copy(
            snapshot,
            rendered.html,
            text,
            parts=rendered.parts,
            note=(
                f"Rendered from the content frozen when the issue was sent: "
                f"no copy for {profile} was frozen then."
            ),
        )
    if not stored.is_intact:
        raise ExportError(
            f"The copy for {profile} frozen when this issue was sent no "
            "longer matches its checksum; it has been changed outside "
            "Newsroom. Restore it from a backup before exporting."
        )
    return _Copy(
        snapshot,
        stored.html,
        stored.text,
        frozen=True,
        note=(
            f"The copy frozen when the issue was sent, on "
            f"{display_date(timezone.localdate(issue.frozen_at))}."
        ),
    )


def _current_copy(issue: Issue, profile: MailerProfile) -> _Copy:
    """``issue``'s e-mail rendered from its content as it is now."""
    snapshot = build_snapshot(issue)
    rendered, text = render_export(snapshot=snapshot, profile=profile)
    note = ""
    if issue.is_sent:
        note = (
            "This issue was marked sent before exports were frozen: this is "
            "today's rendering of its current content."
        )
    return _Copy(snapshot, rendered.html, text, parts=rendered.parts, note=note)


def _refuse_if_changed(issue: Issue) -> None:
    """
    Refuse to export an approved issue whose content changed since it was approved,
    sending it back to Draft: what is exported is what the mailer sends.
    """
    if issue.status != Issue.Status.APPROVED:
        return
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        returned = returned_if_changed(
            issue=locked,
            snapshot=build_snapshot(locked),
            user=None,
            doing="exporting it",
        )
    if returned:
        issue.status = locked.status
        raise ExportError(changed_after_approval(issue, not_done="exported"))


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
        snapshot = build_snapshot(issue)
        returned = returned_if_changed(
            issue=issue, snapshot=snapshot, user=user, doing="marking it sent"
        )
        if not returned:
            _freeze(issue, snapshot, sent_at=sent_at, user=user, comment=comment)
    if returned:
        raise WorkflowError(changed_after_approval(issue, not_done="marked sent"))
    return issue


def _freeze(issue: Issue, snapshot: dict, *, sent_at, user, comment: str) -> None:
    """Mark ``issue`` (locked) sent, storing ``snapshot`` and every profile's copy."""
    record_sent(issue=issue, user=user, comment=comment)
    issue.status = Issue.Status.SENT
    issue.sent_at = sent_at or issue.sent_at or timezone.now()
    snapshot["issue"]["sent_at"] = issue.sent_at.isoformat()
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
