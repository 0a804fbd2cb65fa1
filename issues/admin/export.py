"""The admin's e-mail preview and download buttons on an issue's change page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator

from issues.editorial import checks
from issues.editorial.sending import (
    BlockingProblems,
    ExportError,
    OverBudget,
    export_issue,
)
from issues.export.budget import kilobytes
from issues.models import Issue, MailerProfile
from newsroom.core.csp import shows_email


class IssueExportAdminMixin:
    """Adds “Preview e-mail” and “Download for <mailer>” to IssueAdmin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:issue_id>/preview/",
                view(self.email_preview_view),
                name="issues_issue_preview",
            ),
            path(
                "<int:issue_id>/export/<slug:profile>/",
                view(self.email_download_view),
                name="issues_issue_export",
            ),
            *super().get_urls(),
        ]

    def _issue_for(self, request, issue_id: int) -> Issue:
        issue = get_object_or_404(
            Issue.objects.select_related("publication"), pk=issue_id
        )
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "mailer_profiles": list(MailerProfile.objects.active()),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(shows_email)
    def email_preview_view(self, request, issue_id: int):
        issue = self._issue_for(request, issue_id)
        profiles = list(MailerProfile.objects.active())
        if not profiles:
            raise Http404("No active mailer profile.")
        slug = request.GET.get("profile") or profiles[0].slug
        profile = next((p for p in profiles if p.slug == slug), None)
        if profile is None:
            raise Http404("No such mailer profile.")
        error = ""
        result = None
        problems = []
        try:
            result = export_issue(issue=issue, profile=profile, force=True)
        except ExportError as exc:
            error = str(exc)
        if not issue.is_sent:
            problems = checks.preflight(
                issue, profile=profile, report=result.report if result else None
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Preview e-mail: {issue}",
            "issue": issue,
            "original": issue,
            "profile": profile,
            "profiles": profiles,
            "result": result,
            "error": error,
            "problems": problems,
            "blocking": any(problem.blocking for problem in problems),
            "contributors": [
                (label, kilobytes(size)) for label, size in result.report.largest()
            ]
            if result
            else [],
            "size": kilobytes(result.report.size) if result else "",
            "limit": kilobytes(result.report.limit) if result else "",
        }
        return TemplateResponse(
            request, "admin/issues/issue/email_preview.html", context
        )

    def email_download_view(self, request, issue_id: int, profile: str):
        issue = self._issue_for(request, issue_id)
        profile = get_object_or_404(MailerProfile, slug=profile)
        preview = (
            reverse("admin:issues_issue_preview", args=[issue.pk])
            + f"?profile={profile.slug}"
        )
        try:
            result = export_issue(
                issue=issue, profile=profile, force=request.GET.get("force") == "1"
            )
        except BlockingProblems as exc:
            count = len(exc.problems)
            messages.error(
                request,
                f"Not downloaded: {count} problem{'s' if count != 1 else ''} must "
                "be fixed first. The checks beside the preview say what to fix and "
                "where; or use “Download anyway”.",
            )
            return redirect(preview)
        except OverBudget as exc:
            messages.error(
                request,
                f"Not downloaded: the e-mail is {kilobytes(exc.report.size)}, over "
                f"the {kilobytes(exc.report.limit)} at which Gmail clips it. The "
                "preview lists its largest parts; shorten them, or use “Download "
                "anyway”.",
            )
            return redirect(preview)
        except ExportError as exc:
            messages.error(request, str(exc))
            return redirect(preview)
        response = HttpResponse(result.zip_bytes(), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="{result.basename}.zip"'
        )
        return response
