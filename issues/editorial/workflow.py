"""
The review workflow of an issue: Draft → In review → Approved → Sent, with “send
back” to Draft. Every step is checked here, on the server, and recorded as an
IssueTransition with who, when and why.
"""

from django.db import transaction

from issues.editorial import checks
from issues.models import Issue, IssueTransition

Status = Issue.Status

EDITED_AFTER_APPROVAL = "Edited after approval"


class WorkflowError(Exception):
    """A workflow step that is refused, with a message saying why and what to do."""


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _require_status(issue: Issue, allowed: tuple[str, ...], step: str) -> None:
    if issue.status not in allowed:
        wanted = " or ".join(f"“{Status(status).label}”" for status in allowed)
        raise WorkflowError(
            f"{issue} is {issue.get_status_display()}: only an issue that is "
            f"{wanted} can be {step}. Reload the page to see where it stands."
        )


def _require_permission(user, permission: str, step: str) -> None:
    if not user.has_perm(permission):
        raise WorkflowError(f"You are not allowed to {step}: ask an approver to do it.")


def record_transition(
    *, issue: Issue, to_status: str, user=None, comment: str = ""
) -> IssueTransition:
    """Move ``issue`` (already locked) to ``to_status`` and record the step."""
    transition = IssueTransition.objects.create(
        issue=issue,
        from_status=issue.status,
        to_status=to_status,
        by=user if user is not None and user.is_authenticated else None,
        comment=comment,
    )
    issue.status = to_status
    Issue.objects.filter(pk=issue.pk).update(status=to_status)
    return transition


def submit_issue(*, issue: Issue, user, comment: str = "") -> Issue:
    """Send a draft for review. Refused while it has blocking pre-flight problems."""
    with transaction.atomic():
        issue = _locked(issue)
        _require_permission(user, "issues.change_issue", "submit issues for review")
        _require_status(issue, (Status.DRAFT,), "submitted for review")
        blocking = [p for p in checks.preflight(issue) if p.blocking]
        if blocking:
            raise WorkflowError(
                "Not submitted: " + " ".join(f"{p.message} {p.fix}" for p in blocking)
            )
        record_transition(
            issue=issue, to_status=Status.IN_REVIEW, user=user, comment=comment
        )
        return issue


def approve_issue(*, issue: Issue, user, comment: str = "") -> Issue:
    with transaction.atomic():
        issue = _locked(issue)
        _require_permission(user, "issues.approve_issue", "approve issues")
        _require_status(issue, (Status.IN_REVIEW,), "approved")
        record_transition(
            issue=issue, to_status=Status.APPROVED, user=user, comment=comment
        )
        return issue


def send_back(*, issue: Issue, user, comment: str) -> Issue:
    """Return an issue in review, or approved, to its editors, saying why."""
    with transaction.atomic():
        issue = _locked(issue)
        _require_permission(user, "issues.approve_issue", "send issues back")
        _require_status(issue, (Status.IN_REVIEW, Status.APPROVED), "sent back")
        if not comment.strip():
            raise WorkflowError(
                "Say what should change before the issue can be approved: the "
                "comment is what its editors will read."
            )
        record_transition(
            issue=issue, to_status=Status.DRAFT, user=user, comment=comment.strip()
        )
        return issue


def check_mark_sent(*, issue: Issue, user) -> None:
    """
    The rule for marking ``issue`` (locked) Sent. Without a user, the issue is a past
    one recorded by the import or the demo, and any status is accepted.
    """
    if user is None:
        return
    _require_permission(user, "issues.mark_issue_sent", "mark issues sent")
    _require_status(issue, (Status.APPROVED,), "marked sent")


def record_sent(*, issue: Issue, user=None, comment: str = "") -> None:
    """Record the step to Sent of ``issue`` (locked), whatever status it had."""
    from_status = Status.DRAFT if issue.status == Status.SENT else issue.status
    if user is None and not comment:
        comment = "Recorded as sent outside the review, as a past issue."
    IssueTransition.objects.create(
        issue=issue,
        from_status=from_status,
        to_status=Status.SENT,
        by=user if user is not None and user.is_authenticated else None,
        comment=comment,
    )


def record_edit(*, issue: Issue, user) -> bool:
    """
    Call on every saved change to ``issue`` or its items: an approved issue goes back
    to Draft, to be approved again. A sent issue is never edited. Returns whether
    the issue went back to Draft.
    """
    with transaction.atomic():
        locked = _locked(issue)
        if locked.status == Status.SENT:
            raise WorkflowError(
                f"{issue} was sent; it cannot be changed. Publish an erratum instead."
            )
        if locked.status != Status.APPROVED:
            return False
        record_transition(
            issue=locked,
            to_status=Status.DRAFT,
            user=user,
            comment=EDITED_AFTER_APPROVAL,
        )
        issue.status = locked.status
        return True
