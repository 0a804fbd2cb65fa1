"""The admin's e-mail preview and download buttons on an issue's change page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from issues.admin.views import IssueAdminView
from issues.editorial import checks
from issues.editorial.sending import (
    BlockingProblems,
    ExportError,
    ExportResult,
    OverBudget,
    export_issue,
)
from issues.export.budget import kilobytes
from issues.models import MailerProfile
from newsroom.core.csp import shows_email


def export_context() -> dict:
    """For the issue's page: a download button for each active mailer profile."""
    return {"mailer_profiles": list(MailerProfile.objects.active())}


@method_decorator(shows_email, name="dispatch")
class EmailPreviewView(IssueAdminView):
    """“Preview e-mail”: the e-mail as a mailer profile gets it, and its checks."""

    template_name = "admin/issues/issue/email_preview.html"

    def get(self, request, issue_id: int):
        issue = self.issue
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
            result = export_issue(
                issue=issue, profile=profile, force=True, preview=True
            )
        except ExportError as exc:
            error = str(exc)
        if not issue.is_sent:
            problems = checks.preflight(
                issue, profile=profile, report=result.report if result else None
            )
        return self.render(
            title=f"Preview e-mail: {issue}",
            profile=profile,
            profiles=profiles,
            result=result,
            error=error,
            problems=problems,
            blocking=any(problem.blocking for problem in problems),
            **_size_context(result),
        )


def _size_context(result: ExportResult | None) -> dict:
    if result is None:
        return {"contributors": [], "size": "", "limit": ""}
    return {
        "contributors": [
            (label, kilobytes(size)) for label, size in result.report.largest()
        ],
        "size": kilobytes(result.report.size),
        "limit": kilobytes(result.report.limit),
    }


class EmailDownloadView(IssueAdminView):
    """“Download for <mailer>”: the ZIP for the mailer, once nothing blocks it."""

    def get(self, request, issue_id: int, profile: str):
        issue = self.issue
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
