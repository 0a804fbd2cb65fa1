"""The page behind a shareable preview link, open to anyone who has the link."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from issues.editorial.preview_links import link_for_token
from issues.editorial.sending import ExportError, export_issue
from issues.models import MailerProfile
from newsroom.core.csp import shows_email

# The e-mail as most mailers would send it, without any one mailer's merge tags.
PROFILE = "generic"


@require_safe
@shows_email
def preview_link(request, token):
    link = link_for_token(token)
    if link is None:
        return unavailable(request, status=404)
    if not link.is_usable():
        return unavailable(request, status=410)
    issue = link.issue
    if issue.is_sent:
        # Readers have it now: the public page is the one to read.
        return redirect(issue)
    profile = (
        MailerProfile.objects.filter(slug=PROFILE).first()
        or MailerProfile.objects.active().first()
    )
    if profile is None:
        return unavailable(request, status=404)
    try:
        result = export_issue(issue=issue, profile=profile, force=True, preview=True)
    except ExportError:
        return unavailable(request, status=404)
    response = render(
        request,
        "issues/preview_link.html",
        {
            "issue": issue,
            "publication": issue.publication,
            "html": result.html,
            "expires_at": timezone.localtime(link.expires_at),
        },
    )
    return private(response)


def unavailable(request, *, status: int):
    """The same page for a link that never was, has expired or was withdrawn."""
    response = render(request, "issues/preview_unavailable.html", status=status)
    return private(response)


def private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    # The token is in the address: links followed from the preview must not carry
    # it to other sites.
    response["Referrer-Policy"] = "no-referrer"
    return response
