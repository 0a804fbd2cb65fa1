"""
The review workflow and revisions in the admin: the step buttons and the history of
steps and errata on an issue's page, and the “History of changes” page with its
restores.
"""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property

from issues.admin.views import IssueAdminView
from issues.editorial import revisions
from issues.editorial.workflow import (
    TRANSITIONS_BY_SLUG,
    Transition,
    WorkflowError,
    transitions_for,
)
from issues.models import Issue, IssueRevision
from newsroom.core.richtext import plain_text


class WorkflowCommentForm(forms.Form):
    comment = forms.CharField(required=False, strip=False)


@dataclasses.dataclass
class HistoryEntry:
    """A row of an issue's review history: a workflow step or an erratum."""

    when: datetime.datetime
    by: object
    step: str
    comment: str

    @property
    def who(self) -> str:
        if self.by is None:
            return "—"
        return self.by.get_full_name() or self.by.get_username()


def review_history(issue: Issue) -> list[HistoryEntry]:
    """The issue's workflow steps and, once sent, its errata, newest first."""
    entries = [
        HistoryEntry(
            transition.created_at,
            transition.by,
            f"{transition.get_from_status_display()} → "
            f"{transition.get_to_status_display()}",
            transition.comment,
        )
        for transition in issue.transitions.select_related("by").order_by(
            "-created_at", "-pk"
        )
    ]
    if issue.is_sent:
        errata = issue.errata.select_related("published_by", "item")
        for erratum in errata.order_by("-published_at", "-pk"):
            comment = plain_text(erratum.text)
            if erratum.item is not None:
                comment = f"On “{erratum.item.title}”: {comment}"
            entries.append(
                HistoryEntry(
                    erratum.published_at,
                    erratum.published_by,
                    "Erratum published",
                    comment,
                )
            )
    # Stable: entries of the same moment keep their newest-first order.
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def review_context(request, issue: Issue) -> dict:
    """For the issue's page: the steps the person may take, and the history."""
    return {
        "workflow_steps": transitions_for(issue, request.user),
        "history": review_history(issue),
    }


class WorkflowStepView(IssueAdminView):
    """A step of the review, taken with its button on the issue's page."""

    http_method_names = ["post"]

    @cached_property
    def transition(self) -> Transition:
        try:
            return TRANSITIONS_BY_SLUG[self.kwargs["step"]]
        except KeyError:
            raise Http404("No such workflow step.") from None

    def has_permission(self) -> bool:
        return super().has_permission() and self.transition.allows(self.request.user)

    def post(self, request, issue_id: int, step: str):
        form = WorkflowCommentForm(request.POST)
        if not form.is_valid():
            # A null character, which PostgreSQL refuses to store in any text.
            messages.error(
                request,
                f"{self.issue} is unchanged: the comment has a character that cannot "
                "be saved (a null character, often pasted from another program). "
                "Type the comment again.",
            )
            return redirect("admin:issues_issue_change", self.issue.pk)
        try:
            issue = self.transition.take(
                issue=self.issue,
                user=request.user,
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.transition.success.format(issue=issue))
        return redirect("admin:issues_issue_change", self.issue.pk)


class RevisionsView(IssueAdminView):
    """The issue's revisions, and what changed between two of them."""

    template_name = "admin/issues/issue/revisions.html"

    def get(self, request, issue_id: int):
        issue = self.issue
        listed = list(
            issue.revisions.select_related("by").defer("content").order_by("-number")
        )
        numbers = [revision.number for revision in listed]
        older, newer = _chosen_pair(request, numbers)
        comparison = None
        if older is not None:
            contents = dict(
                issue.revisions.filter(number__in=[older, newer])
                .order_by()
                .values_list("number", "content")
            )
            comparison = revisions.compare(contents[older], contents[newer])
        return self.render(
            title=f"History of changes: {issue}",
            revisions=listed,
            older=older,
            newer=newer,
            comparison=comparison,
            can_restore=not issue.is_sent
            and self.model_admin.has_change_permission(request, issue),
        )


def _chosen_pair(request, numbers: list[int]) -> tuple[int | None, int | None]:
    """
    The two revisions to compare: ``from`` and ``to`` in the address, else the last
    two. Numbers that are not the issue's are ignored.
    """
    if len(numbers) < 2:
        return None, None
    try:
        older = int(request.GET.get("from", numbers[1]))
        newer = int(request.GET.get("to", numbers[0]))
    except ValueError:
        older, newer = numbers[1], numbers[0]
    if older not in numbers or newer not in numbers or older == newer:
        older, newer = numbers[1], numbers[0]
    return min(older, newer), max(older, newer)


class RestoreRevisionView(IssueAdminView):
    """Puts the issue back as one of its revisions, kept as a new one."""

    http_method_names = ["post"]
    permission = "change"

    def post(self, request, issue_id: int, number: int):
        issue = self.issue
        revision = get_object_or_404(IssueRevision, issue=issue, number=number)
        try:
            restored = revisions.restore_revision(
                issue=issue, revision=revision, user=request.user
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("admin:issues_issue_revisions", issue.pk)
        messages.success(
            request,
            f"Revision {number} is restored, kept as revision {restored.number}. "
            "Items added since are back in the inbox.",
        )
        return redirect("admin:issues_issue_change", issue.pk)
