"""
The admin's side of previewing an issue: the public web page as readers will see it,
the open problems of each issue in the list, and the shareable preview links on the
issue's page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin

from issues.admin.views import IssueAdminView
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


@admin.display(description="open problems")
def open_problems(issue):
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


def preview_links_context(issue: Issue, *, can_change: bool) -> dict:
    """For the issue's page: its preview links, and who may make or withdraw one."""
    links = list(issue.preview_links.select_related("created_by"))
    for link in links:
        link.url = url_for(link)
    return {
        "preview_links": links,
        "preview_link_form": PreviewLinkForm(),
        "can_share_preview": can_change and not issue.is_sent,
        "can_revoke_preview": can_change,
    }


@method_decorator([xframe_options_sameorigin, framed_by_admin], name="dispatch")
class WebPreviewView(IssueAdminView):
    """The public page of the issue as readers will see it, sent or not."""

    queryset = Issue.objects.select_related(
        "publication", "publication__contact", "publication__team"
    )

    def get(self, request, issue_id: int):
        issue = self.issue
        snapshot = issue.frozen_content if issue.is_frozen else build_snapshot(issue)
        errata = published_errata(issue) if issue.is_sent else ()
        response = render_issue_page(
            request, snapshot=snapshot, preview=True, errata=errata
        )
        response["Cache-Control"] = "private, no-store"
        return response


class PreviewLinkView(IssueAdminView):
    http_method_names = ["post"]
    permission = "change"

    def back_to_issue(self):
        change_url = reverse("admin:issues_issue_change", args=[self.issue.pk])
        return redirect(f"{change_url}#preview-links")


class PreviewLinkCreateView(PreviewLinkView):
    """Makes a link that shows the issue to someone without an account."""

    def post(self, request, issue_id: int):
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"No link made. {label}: {' '.join(errors)}".strip()
                )
            return self.back_to_issue()
        try:
            link = create_preview_link(
                issue=self.issue,
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
        return self.back_to_issue()


class PreviewLinkRevokeView(PreviewLinkView):
    def post(self, request, issue_id: int, link_id: int):
        link = get_object_or_404(PreviewLink, pk=link_id, issue=self.issue)
        revoke_preview_link(link=link)
        messages.success(
            request, "Preview link withdrawn: it no longer shows the issue to anyone."
        )
        return self.back_to_issue()
