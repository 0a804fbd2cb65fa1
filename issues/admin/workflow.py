"""
The review workflow, stale-save protection and revisions in the admin: the step
buttons and the history of steps and errata on an issue's page, the “History of
changes” page, and sent issues (and their items) kept read-only.
"""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST

from issues.admin.errata import plain_text
from issues.editorial import revisions, sending, workflow
from issues.editorial.concurrency import StaleSave, VersionedFormMixin
from issues.models import Issue, IssueRevision

Status = Issue.Status


@dataclasses.dataclass(frozen=True)
class Step:
    slug: str
    label: str
    from_statuses: tuple[str, ...]
    permission: str
    needs_comment: bool = False
    help: str = ""

    def run(self, *, issue: Issue, user, comment: str) -> Issue:
        if self.slug == "submit":
            return workflow.submit_issue(issue=issue, user=user, comment=comment)
        if self.slug == "approve":
            return workflow.approve_issue(issue=issue, user=user, comment=comment)
        if self.slug == "send-back":
            return workflow.send_back(issue=issue, user=user, comment=comment)
        return sending.mark_sent(issue=issue, user=user, comment=comment)


STEPS = [
    Step(
        "submit",
        "Submit for review",
        (Status.DRAFT,),
        "issues.change_issue",
        help="Approvers are asked to read it; it can still be edited.",
    ),
    Step("approve", "Approve", (Status.IN_REVIEW,), "issues.approve_issue"),
    Step(
        "send-back",
        "Send back",
        (Status.IN_REVIEW, Status.APPROVED),
        "issues.approve_issue",
        needs_comment=True,
        help="Say what should change; the editors read it on this page.",
    ),
    Step(
        "mark-sent",
        "Mark sent",
        (Status.APPROVED,),
        "issues.mark_issue_sent",
        help="Once the mailer has sent it. The issue is then frozen for good.",
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
SUCCESS = {
    "submit": "{issue} is now in review.",
    "approve": "{issue} is approved.",
    "send-back": "{issue} is back in Draft, with your comment.",
    "mark-sent": "{issue} is marked sent and frozen as readers received it.",
}


class WorkflowCommentForm(forms.Form):
    comment = forms.CharField(required=False, strip=False)


def steps_for(issue: Issue, user) -> list[Step]:
    """The workflow steps ``user`` may take on ``issue`` now."""
    return [
        step
        for step in STEPS
        if issue.status in step.from_statuses and user.has_perm(step.permission)
    ]


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


def _with_version_field(fieldsets):
    (name, options), *rest = fieldsets
    options = {**options, "fields": [*options["fields"], "loaded_version"]}
    return [(name, options), *rest]


class WorkflowItemFormMixin(VersionedFormMixin):
    """For item forms: no item goes into an issue that was sent."""

    def clean_issue(self):
        issue = self.cleaned_data.get("issue")
        if issue is not None and issue.is_sent:
            raise forms.ValidationError(
                f"{issue} was sent and cannot take new items. Choose another issue, "
                "or leave it empty to keep the item in the inbox."
            )
        return issue


class WorkflowIssueFormMixin(VersionedFormMixin):
    """For the issue form: an issue marked sent while it was open is not saved."""

    def clean(self):
        cleaned_data = super().clean()
        stored = getattr(self, "stored", None)
        if stored is not None and stored.is_sent:
            raise forms.ValidationError(
                "This issue was marked sent since you opened it and can no longer "
                "be changed. Your changes below are not saved.",
                code="sent",
            )
        return cleaned_data


class SentIssueReadOnlyInlineMixin:
    """For the items inline: a sent issue's items are shown, never changed."""

    def _editable(self, obj) -> bool:
        return obj is None or not obj.is_sent

    def has_add_permission(self, request, obj):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return _with_version_field(fieldsets)
        return fieldsets


class VersionedChangeFormMixin:
    """
    The change form carries the version it was opened at; a save that loses the
    race at the last moment is refused with a message (``noun``: what was saved).
    """

    noun = "page"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            return _with_version_field(fieldsets)
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleSave:
            return _stale_save_refused(request, self.noun)

    def save_model(self, request, obj, form, change):
        # Called only once the form and every inline are valid.
        form.claim_stored_version()
        super().save_model(request, obj, form, change)


class ItemWorkflowAdminMixin(VersionedChangeFormMixin):
    """
    For ItemAdmin: items of a sent issue are read-only; a change to an item in an
    approved issue returns the issue to Draft, and keeps a revision of the issue.
    """

    noun = "item"

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.issue_id and obj.issue.is_sent:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.issue_id and obj.issue.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.has_changed():
            issue_ids = {obj.issue_id, form.initial.get("issue")}
            self._issues_edited(request, issue_ids, f"Item “{obj.title}” saved")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._issues_edited(request, {obj.issue_id}, f"Item “{obj.title}” deleted")

    def _issues_edited(self, request, issue_ids: set, note: str) -> None:
        for issue in Issue.objects.filter(pk__in=issue_ids - {None}):
            workflow.record_edit(issue=issue, user=request.user)
            revisions.record_revision(issue=issue, user=request.user, note=note)


def _stale_save_refused(request, noun: str):
    # Only where the database cannot lock the row between the check and the save.
    messages.error(
        request,
        f"Someone else saved this {noun} while you were saving it; your changes "
        "were not saved. Make them again on the page as it is now.",
    )
    return redirect(request.path)


class IssueWorkflowAdminMixin(VersionedChangeFormMixin):
    """For IssueAdmin: see the module's docstring."""

    noun = "issue"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:issue_id>/workflow/<slug:step>/",
                view(require_POST(self.workflow_step_view)),
                name="issues_issue_workflow",
            ),
            path(
                "<int:issue_id>/revisions/",
                view(self.revisions_view),
                name="issues_issue_revisions",
            ),
            path(
                "<int:issue_id>/revisions/<int:number>/restore/",
                view(require_POST(self.restore_view)),
                name="issues_issue_restore",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        # What readers received is never changed.
        if obj is not None and obj.is_sent:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Nor taken back: the public page, the exports and the history stay.
        if obj is not None and obj.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, **kw):
        issue = kw.get("obj")
        if issue is not None:
            context["workflow_steps"] = steps_for(issue, request.user)
            context["history"] = review_history(issue)
        return super().render_change_form(request, context, add, change, **kw)

    def save_model(self, request, obj, form, change):
        stored = getattr(form, "stored", None)
        if stored is not None:
            # The form knows nothing of the status: a step taken since it was
            # opened must not be undone by this save.
            obj.status = stored.status
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        issue = form.instance
        edited = form.has_changed() or any(fs.has_changed() for fs in formsets)
        if change and not edited:
            return
        workflow.record_edit(issue=issue, user=request.user)
        revisions.record_revision(
            issue=issue, user=request.user, note="" if change else "Created"
        )

    def _workflow_issue(self, request, issue_id: int) -> Issue:
        issue = get_object_or_404(
            Issue.objects.select_related("publication"), pk=issue_id
        )
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def workflow_step_view(self, request, issue_id: int, step: str):
        issue = self._workflow_issue(request, issue_id)
        chosen = STEPS_BY_SLUG.get(step)
        if chosen is None:
            raise Http404("No such workflow step.")
        if not request.user.has_perm(chosen.permission):
            raise PermissionDenied
        form = WorkflowCommentForm(request.POST)
        if not form.is_valid():
            # A null character, which PostgreSQL refuses to store in any text.
            messages.error(
                request,
                f"{issue} is unchanged: the comment has a character that cannot be "
                "saved (a null character, often pasted from another program). "
                "Type the comment again.",
            )
            return redirect("admin:issues_issue_change", issue.pk)
        try:
            issue = chosen.run(
                issue=issue, user=request.user, comment=form.cleaned_data["comment"]
            )
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, SUCCESS[chosen.slug].format(issue=issue))
        return redirect("admin:issues_issue_change", issue.pk)

    def revisions_view(self, request, issue_id: int):
        issue = self._workflow_issue(request, issue_id)
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"History of changes: {issue}",
            "issue": issue,
            "original": issue,
            "revisions": listed,
            "older": older,
            "newer": newer,
            "comparison": comparison,
            "can_restore": not issue.is_sent
            and self.has_change_permission(request, issue),
        }
        return TemplateResponse(request, "admin/issues/issue/revisions.html", context)

    def restore_view(self, request, issue_id: int, number: int):
        issue = self._workflow_issue(request, issue_id)
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        revision = get_object_or_404(IssueRevision, issue=issue, number=number)
        try:
            restored = revisions.restore_revision(
                issue=issue, revision=revision, user=request.user
            )
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("admin:issues_issue_revisions", issue.pk)
        messages.success(
            request,
            f"Revision {number} is restored, kept as revision {restored.number}. "
            "Items added since are back in the inbox.",
        )
        return redirect("admin:issues_issue_change", issue.pk)


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
