"""UTM parameters on the links of an exported issue."""

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_HREF = re.compile(r'href="([^"]*)"')


def utm_parameters(profile, snapshot: dict) -> dict[str, str]:
    """The profile's UTM parameters for this issue, or {} when it adds none."""
    if not profile.utm_source:
        return {}
    campaign = profile.utm_campaign or (
        f"{snapshot['publication']['slug']}-{snapshot['issue']['slug']}"
    )
    return {
        "utm_source": profile.utm_source,
        "utm_medium": profile.utm_medium,
        "utm_campaign": campaign,
    }


def with_utm(url: str, parameters: dict[str, str]) -> str:
    """
    ``url`` with the UTM parameters added, once: a mailto: link, a merge tag, or a
    link that already carries any UTM parameter is returned as it is.
    """
    if not parameters or not url.startswith(("https://", "http://")):
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name.startswith("utm_") for name, _ in query):
        return url
    extra = urlencode(parameters)
    new_query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=new_query))


def html_with_utm(fragment: str, parameters: dict[str, str]) -> str:
    """The rich-text ``fragment`` with UTM parameters on its links."""
    if not parameters or "href=" not in fragment:
        return fragment

    def replace(match: re.Match) -> str:
        url = with_utm(html.unescape(match.group(1)), parameters)
        return f'href="{html.escape(url, quote=True)}"'

    return _HREF.sub(replace, fragment)
