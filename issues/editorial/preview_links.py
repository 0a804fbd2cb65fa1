"""
Shareable preview links: a read-only view of an issue's e-mail for someone without an
account, such as a partnership lead asked to approve it.

The link's token is the PreviewLink's id, signed with the site's secret key and a salt
of its own, so that no other signed value of the site can be passed off as one and no
id can be guessed. The row, not the token, holds the expiry and the revocation: a link
is withdrawn at once, and its token never works again.
"""

import datetime

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, PreviewLink
from newsroom.core.site import absolute_url

SALT = "issues.preview-link"
DEFAULT_DAYS = 7
MAX_DAYS = 30


class PreviewLinkError(Exception):
    """A preview link that cannot be made, with a message for the editor."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def token_for(link: PreviewLink) -> str:
    """The same token every time for a link, so that the one listed stays valid."""
    return _signer().sign_object(link.pk)


def url_for(link: PreviewLink) -> str:
    """The absolute address to send to the reader."""
    return absolute_url(reverse("preview_link", kwargs={"token": token_for(link)}))


def link_for_token(token: str) -> PreviewLink | None:
    """The link ``token`` was made for, whether or not it still works; else None."""
    try:
        pk = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return (
        PreviewLink.objects.select_related("issue__publication").filter(pk=pk).first()
    )


def create_preview_link(
    *, issue: Issue, user, note: str = "", days: int = DEFAULT_DAYS
) -> PreviewLink:
    """A new link to ``issue``'s preview, working for ``days`` days from now."""
    if not 1 <= days <= MAX_DAYS:
        raise PreviewLinkError(
            f"A preview link works for 1 to {MAX_DAYS} days; make a new one when "
            "it expires."
        )
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.is_sent:
            raise PreviewLinkError(
                "This issue has been sent: share its public page instead."
            )
        now = timezone.now()
        return PreviewLink.objects.create(
            issue=issue,
            created_by=user,
            note=note.strip(),
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )


def revoke_preview_link(*, link: PreviewLink) -> PreviewLink:
    """Withdraw ``link``; withdrawing it again changes nothing."""
    with transaction.atomic():
        link = PreviewLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        return link
