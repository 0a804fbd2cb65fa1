"""
The review workflow of an issue: Draft → In review → Approved → Sent, with “send
back” to Draft. TRANSITIONS, at the end, holds each step's rules: the statuses it
is taken from, the permission it needs and the service that takes it. The services
check those rules here, on the server, and record every step as an IssueTransition
with who, when and why; the admin offers and accepts steps from the same table.
"""

import dataclasses
from collections.abc import Callable

from django.db import transaction

from issues.editorial import checks
from issues.export.snapshot import build_snapshot, reviewed_checksum
from issues.models import Issue, IssueTransition

Status = Issue.Status

EDITED_AFTER_APPROVAL = "Edited after approval"
CHANGED_AFTER_APPROVAL = (
    "Changed after approval: found when {doing}. Something it shows (an event, "
    "a deadline, a person, a section or the publication) was edited since it was "
    "approved."
)


class WorkflowError(Exception):
    """A workflow step that is refused, with a message saying why and what to do."""


@dataclasses.dataclass(frozen=True)
class Transition:
    """A step of the review: who may take it, from where, and what it does."""

    slug: str
    label: str
    from_statuses: tuple[Status, ...]
    to_status: Status
    permission: str
    # The service, called with the issue, the user and the comment.
    service: Callable[..., Issue]
    # Completing “You are not allowed to …” and “only an issue that is … can be …”.
    act: str
    acted: str
    # Told once the step is taken; {issue} is the issue.
    success: str
    needs_comment: bool = False
    help: str = ""

    def allows(self, user) -> bool:
        return user.has_perm(self.permission)

    def is_open(self, issue: Issue) -> bool:
        return issue.status in self.from_statuses

    def check(self, *, issue: Issue, user) -> None:
        """Refuse with WorkflowError unless ``user`` may take the step on ``issue``."""
        if not self.allows(user):
            raise WorkflowError(
                f"You are not allowed to {self.act}: ask an approver to do it."
            )
        if not self.is_open(issue):
            wanted = " or ".join(f"“{status.label}”" for status in self.from_statuses)
            raise WorkflowError(
                f"{issue} is {issue.get_status_display()}: only an issue that is "
                f"{wanted} can be {self.acted}. Reload the page to see where it stands."
            )

    def take(self, *, issue: Issue, user, comment: str = "") -> Issue:
        return self.service(issue=issue, user=user, comment=comment)


def transitions_for(issue: Issue, user) -> list["Transition"]:
    """The steps ``user`` may take on ``issue`` now."""
    return [t for t in TRANSITIONS if t.is_open(issue) and t.allows(user)]


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


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
        SUBMIT.check(issue=issue, user=user)
        blocking = [p for p in checks.preflight(issue) if p.blocking]
        if blocking:
            raise WorkflowError(
                "Not submitted: " + " ".join(f"{p.message} {p.fix}" for p in blocking)
            )
        record_transition(
            issue=issue, to_status=SUBMIT.to_status, user=user, comment=comment
        )
        return issue


def approve_issue(*, issue: Issue, user, comment: str = "") -> Issue:
    """
    Approve an issue in review, keeping the checksum of the content approved: see
    ``returned_if_changed``.
    """
    with transaction.atomic():
        issue = _locked(issue)
        APPROVE.check(issue=issue, user=user)
        issue.approved_content_sha256 = reviewed_checksum(build_snapshot(issue))
        Issue.objects.filter(pk=issue.pk).update(
            approved_content_sha256=issue.approved_content_sha256
        )
        record_transition(
            issue=issue, to_status=APPROVE.to_status, user=user, comment=comment
        )
        return issue


def returned_if_changed(*, issue: Issue, snapshot: dict, user, doing: str) -> bool:
    """
    Send ``issue`` (locked) back to Draft when it is approved and ``snapshot``, its
    content built now, differs from the content that was approved; the step records
    why. Returns whether it went back.

    Edits to the issue and its items send it back as they are saved
    (``record_edit``); this catches every other way what an issue shows can change
    (its events, deadlines, people, sections, publication) without each of them
    having to remember it. An issue approved before checksums were kept has none and
    is taken as approved.
    """
    if not changed_since_approval(issue, snapshot):
        return False
    record_transition(
        issue=issue,
        to_status=Status.DRAFT,
        user=user,
        comment=CHANGED_AFTER_APPROVAL.format(doing=doing),
    )
    return True


def changed_since_approval(issue: Issue, snapshot: dict) -> bool:
    """Whether ``issue`` is approved and ``snapshot`` is not what was approved."""
    return (
        issue.status == Status.APPROVED
        and bool(issue.approved_content_sha256)
        and reviewed_checksum(snapshot) != issue.approved_content_sha256
    )


def changed_after_approval(issue: Issue, *, not_done: str) -> str:
    """What the editor is told when ``returned_if_changed`` sent ``issue`` back."""
    return (
        f"{issue} was not {not_done}: what it shows changed after it was approved "
        "(an event, a deadline, a person, a section or the publication was edited "
        "since). It is back in Draft: check it in the preview and submit it for "
        "review again."
    )


def send_back(*, issue: Issue, user, comment: str) -> Issue:
    """Return an issue in review, or approved, to its editors, saying why."""
    with transaction.atomic():
        issue = _locked(issue)
        SEND_BACK.check(issue=issue, user=user)
        if not comment.strip():
            raise WorkflowError(
                "Say what should change before the issue can be approved: the "
                "comment is what its editors will read."
            )
        record_transition(
            issue=issue,
            to_status=SEND_BACK.to_status,
            user=user,
            comment=comment.strip(),
        )
        return issue


def _mark_sent(*, issue: Issue, user, comment: str = "") -> Issue:
    # Marking sent freezes the issue's exports: sending.py does it, and builds on
    # this module.
    from issues.editorial import sending

    return sending.mark_sent(issue=issue, user=user, comment=comment)


def check_mark_sent(*, issue: Issue, user) -> None:
    """
    The rule for marking ``issue`` (locked) Sent. Without a user, the issue is a past
    one recorded by the import or the demo, and any status is accepted.
    """
    if user is None:
        return
    MARK_SENT.check(issue=issue, user=user)


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
    An approved issue goes back to Draft, to be approved again; a sent issue is
    never edited. Returns whether the issue went back to Draft. Called by
    ``revisions.issue_edited``, which every edit goes through.
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


SUBMIT = Transition(
    slug="submit",
    label="Submit for review",
    from_statuses=(Status.DRAFT,),
    to_status=Status.IN_REVIEW,
    permission="issues.change_issue",
    service=submit_issue,
    act="submit issues for review",
    acted="submitted for review",
    success="{issue} is now in review.",
    help="Approvers are asked to read it; it can still be edited.",
)
APPROVE = Transition(
    slug="approve",
    label="Approve",
    from_statuses=(Status.IN_REVIEW,),
    to_status=Status.APPROVED,
    permission="issues.approve_issue",
    service=approve_issue,
    act="approve issues",
    acted="approved",
    success="{issue} is approved.",
)
SEND_BACK = Transition(
    slug="send-back",
    label="Send back",
    from_statuses=(Status.IN_REVIEW, Status.APPROVED),
    to_status=Status.DRAFT,
    permission="issues.approve_issue",
    service=send_back,
    act="send issues back",
    acted="sent back",
    success="{issue} is back in Draft, with your comment.",
    needs_comment=True,
    help="Say what should change; the editors read it on this page.",
)
MARK_SENT = Transition(
    slug="mark-sent",
    label="Mark sent",
    from_statuses=(Status.APPROVED,),
    to_status=Status.SENT,
    permission="issues.mark_issue_sent",
    service=_mark_sent,
    act="mark issues sent",
    acted="marked sent",
    success="{issue} is marked sent and frozen as readers received it.",
    help="Once the mailer has sent it. The issue is then frozen for good.",
)
TRANSITIONS = (SUBMIT, APPROVE, SEND_BACK, MARK_SENT)
TRANSITIONS_BY_SLUG = {transition.slug: transition for transition in TRANSITIONS}
