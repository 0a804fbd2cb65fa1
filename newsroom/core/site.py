"""The site's public address, for links that leave it: e-mails, feeds, calendars."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (a URL of this site, or already absolute) as an absolute URL."""
    if path.startswith(("https://", "http://", "mailto:")):
        return path
    return settings.SITE_URL + "/" + path.lstrip("/")
