"""
The admin's side of previewing an issue: the public web page as readers will see it,
the open problems of each issue in the list, and the shareable preview links on the
issue's page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin

from issues.editorial import checks
from issues.editorial.preview_links import (
    DEFAULT_DAYS,
    MAX_DAYS,
    PreviewLinkError,
    create_preview_link,
    revoke_preview_link,
    url_for,
)
from issues.export.snapshot import build_snapshot
from issues.models import Issue, PreviewLink
from issues.public.issue_page import published_errata, render_issue_page
from newsroom.core.csp import framed_by_admin


class PreviewLinkForm(forms.Form):
    note = forms.CharField(
        max_length=200,
        required=False,
        label="For",
        help_text="Who it is for, e.g. “Partnership board”.",
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        label="Works for (days)",
        help_text=f"From 1 to {MAX_DAYS} days.",
    )


class IssueChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Counted for the whole page at once, not once per row.
        unsent = [issue for issue in self.result_list if not issue.is_sent]
        counts = checks.problem_counts(unsent)
        for issue in self.result_list:
            issue.problem_count = counts.get(issue.pk)


class IssuePreviewAdminMixin:
    """Adds the web page preview, the open problems and preview links to IssueAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:issue_id>/preview/web/",
                view(self.web_preview_view),
                name="issues_issue_web_preview",
            ),
            path(
                "<int:issue_id>/preview-links/",
                view(self.preview_link_create_view),
                name="issues_issue_preview_link_create",
            ),
            path(
                "<int:issue_id>/preview-links/<int:link_id>/revoke/",
                view(self.preview_link_revoke_view),
                name="issues_issue_preview_link_revoke",
            ),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        return IssueChangeList

    def get_list_display(self, request):
        return [*super().get_list_display(request), "open_problems"]

    @admin.display(description="open problems")
    def open_problems(self, issue):
        count = getattr(issue, "problem_count", None)
        if count is None:
            return "–"
        if not count.total:
            return "None"
        return format_html(
            '<span title="Open the preview to see them; the size is checked there">'
            "{} blocking, {} warning{}</span>",
            count.blocking,
            count.warnings,
            "" if count.warnings == 1 else "s",
        )

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.pk is not None:
            links = list(obj.preview_links.select_related("created_by"))
            for link in links:
                link.url = url_for(link)
            can_change = self.has_change_permission(request, obj)
            context = {
                **context,
                "preview_links": links,
                "preview_link_form": PreviewLinkForm(),
                "can_share_preview": can_change and not obj.is_sent,
                "can_revoke_preview": can_change,
            }
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def _changeable_issue(self, request, issue_id: int) -> Issue:
        issue = get_object_or_404(
            Issue.objects.select_related("publication"), pk=issue_id
        )
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        return issue

    def preview_link_create_view(self, request, issue_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._changeable_issue(request, issue_id)
        change_url = reverse("admin:issues_issue_change", args=[issue.pk])
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"No link made. {label}: {' '.join(errors)}".strip()
                )
            return redirect(f"{change_url}#preview-links")
        try:
            link = create_preview_link(
                issue=issue,
                user=request.user,
                note=form.cleaned_data["note"],
                days=form.cleaned_data["days"],
            )
        except PreviewLinkError as error:
            messages.error(request, f"No link made. {error}")
        else:
            messages.success(
                request,
                f"Preview link made, working until "
                f"{link.expires_at:%-d %B %Y}: {url_for(link)}",
            )
        return redirect(f"{change_url}#preview-links")

    def preview_link_revoke_view(self, request, issue_id: int, link_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._changeable_issue(request, issue_id)
        link = get_object_or_404(PreviewLink, pk=link_id, issue=issue)
        revoke_preview_link(link=link)
        messages.success(
            request, "Preview link withdrawn: it no longer shows the issue to anyone."
        )
        change_url = reverse("admin:issues_issue_change", args=[issue.pk])
        return redirect(f"{change_url}#preview-links")

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(framed_by_admin)
    def web_preview_view(self, request, issue_id: int):
        """The public page of the issue as readers will see it, sent or not."""
        issue = get_object_or_404(
            Issue.objects.select_related(
                "publication", "publication__contact", "publication__team"
            ),
            pk=issue_id,
        )
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        snapshot = issue.frozen_content if issue.is_frozen else build_snapshot(issue)
        errata = published_errata(issue) if issue.is_sent else ()
        response = render_issue_page(
            request, snapshot=snapshot, preview=True, errata=errata
        )
        response["Cache-Control"] = "private, no-store"
        return response
