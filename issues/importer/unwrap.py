"""
Links as readers' mail clients and mailers rewrote them, taken back to where they lead.

A link in a received newsletter is often wrapped more than once: Outlook's safe links
around the mailer's click-tracking redirect around the real link, with tracking
parameters added to it. ``unwrap`` peels the wrappers off one at a time, with the first
``Unwrapper`` of ``UNWRAPPERS`` that knows the link, then drops tracking parameters,
until nothing changes. A link that still looks like a redirect nobody here knows is
kept as it is and reported, never guessed at.

To teach the importer a new mailer, add an ``Unwrapper`` to ``UNWRAPPERS``, and its
hosts to ``MAILER_HOSTS`` when it has links of its own (unsubscribe, tracking pixel).
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from newsroom.core.dates import is_kept

# Parameters that only tell a sender who clicked: Dynamics 365 Customer Insights,
# Google Analytics, Mailchimp, HubSpot, and the ad networks' click identifiers.
TRACKING_PARAMETER = re.compile(
    r"^(msdynmkt_trackingcontext|utm_[a-z_]+|mc_cid|mc_eid|_hsenc|_hsmi|fbclid|gclid"
    r"|msclkid)(=|$)",
    re.IGNORECASE,
)

# Hosts of mailers: their links (unsubscribe, preference centre, view in browser) and
# their tracking pixels are the mailer's, added again when an issue is exported.
MAILER_HOSTS = re.compile(r"^public-[a-z]+\.mkt\.dynamics\.com$")

# Hosts where mailers keep the images of a message: real pictures, kept by link.
ASSET_HOSTS = re.compile(r"^assets-[a-z]+\.mkt\.dynamics\.com$")

# What a redirect nobody here knows tends to look like.
_REDIRECT_PATH = re.compile(r"/(r|redirect|track/click|click|ls/click|c)(/|$)", re.I)
_REDIRECT_HOST = re.compile(r"^(click|clicks|links?|track|trk|email|go)\.", re.I)

# Safety net against a wrapper that wraps itself.
_MAX_STEPS = 10

# .NET ticks: 100 ns since 0001-01-01 UTC.
_TICKS_EPOCH = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def _query_value(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


def _decoded_until_absolute(value: str) -> str:
    """``value`` percent-decoded until it reads as an http(s) link, and no further."""
    for _ in range(_MAX_STEPS):
        if re.match(r"https?://", value, re.IGNORECASE):
            return value
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    return value


@dataclass(frozen=True)
class Unwrapper:
    """One kind of wrapper: which links it wraps, and how to read the inner one."""

    name: str
    host: re.Pattern
    path: re.Pattern = re.compile(r".*")

    def matches(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
        except ValueError:
            # Not a URL Python can read, such as "https://[host" with no "]".
            return False
        return bool(
            self.host.match(parts.hostname or "") and self.path.match(parts.path)
        )

    def inner(self, url: str) -> str | None:
        raise NotImplementedError


class QueryParameterUnwrapper(Unwrapper):
    """The inner link is a query parameter's value, e.g. ``?url=…``."""

    def __init__(self, name: str, host: str, parameter: str, path: str = r".*"):
        super().__init__(name=name, host=re.compile(host), path=re.compile(path))
        object.__setattr__(self, "parameter", parameter)

    def inner(self, url: str) -> str | None:
        value = _query_value(url, self.parameter)
        return _decoded_until_absolute(value) if value else None


class DynamicsRedirectUnwrapper(Unwrapper):
    """
    Dynamics 365 Customer Insights' click tracking,
    ``…/api/orgs/<org>/r/<id>?target=<JSON>&digest=…``: the JSON's ``TargetUrl`` is
    the link, percent-encoded once more than the parameter itself.
    """

    def __init__(self):
        super().__init__(
            name="Dynamics 365 click tracking",
            host=MAILER_HOSTS,
            path=re.compile(r"^/api/orgs/[^/]+/r/[^/]+$"),
        )

    def inner(self, url: str) -> str | None:
        target = _query_value(url, "target")
        if not target:
            return None
        try:
            value = json.loads(target)["TargetUrl"]
        except (ValueError, KeyError, TypeError):
            return None
        return _decoded_until_absolute(value) if isinstance(value, str) else None


UNWRAPPERS: list[Unwrapper] = [
    QueryParameterUnwrapper(
        "Outlook safe links", r"^[a-z0-9]+\.safelinks\.protection\.outlook\.com$", "url"
    ),
    DynamicsRedirectUnwrapper(),
    QueryParameterUnwrapper(
        "Google redirect", r"^www\.google\.[a-z.]+$", "q", r"^/url$"
    ),
]


@dataclass(frozen=True)
class UnwrappedLink:
    original: str
    url: str
    # The names of the wrappers taken off, outermost first.
    steps: tuple[str, ...] = ()
    # A wrapper that is left on because nobody here knows how to read it.
    unknown_redirect: bool = False

    @property
    def changed(self) -> bool:
        return self.url != self.original


def unwrap(url: str) -> UnwrappedLink:
    """Where ``url`` really leads, with every known wrapper and tracking mark gone."""
    try:
        return _unwrap(url.strip())
    except ValueError:
        # Not a URL Python can read (such as "https://[host" with no closing
        # bracket): kept as written, for the allowed-link check to refuse and list.
        return UnwrappedLink(original=url.strip(), url=url.strip())


def _unwrap(url: str) -> UnwrappedLink:
    original = url
    steps = []
    for _ in range(_MAX_STEPS):
        unwrapper = next((u for u in UNWRAPPERS if u.matches(url)), None)
        inner = unwrapper.inner(url) if unwrapper else None
        if inner and inner != url:
            steps.append(unwrapper.name)
            url = inner
            continue
        untracked = strip_tracking(url)
        if untracked == url:
            break
        steps.append("tracking parameters")
        url = untracked
    return UnwrappedLink(
        original=original,
        url=url,
        steps=tuple(steps),
        unknown_redirect=looks_like_redirect(url),
    )


def strip_tracking(url: str) -> str:
    """``url`` without tracking parameters in its query or fragment."""
    if not re.match(r"https?://", url, re.IGNORECASE):
        return url
    parts = urlsplit(url)
    # Split by hand so that the parameters kept are written exactly as before.
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not TRACKING_PARAMETER.match(piece)
    )
    fragment = parts.fragment
    if TRACKING_PARAMETER.match(fragment) or all(
        TRACKING_PARAMETER.match(piece) for piece in fragment.split("&") if piece
    ):
        fragment = ""
    return urlunsplit(parts._replace(query=query, fragment=fragment))


def looks_like_redirect(url: str) -> bool:
    """Whether ``url`` is probably a click tracker that was not undone."""
    if any(unwrapper.matches(url) for unwrapper in UNWRAPPERS):
        return True
    parts = urlsplit(url)
    if is_mailer_link(url):
        return False
    for values in parse_qs(parts.query).values():
        if any(re.match(r"https?(://|%3A)", value, re.IGNORECASE) for value in values):
            return True
    return bool(
        _REDIRECT_HOST.match(parts.hostname or "") and _REDIRECT_PATH.search(parts.path)
    )


def is_mailer_link(url: str) -> bool:
    """A link of the mailer's own (unsubscribe, preferences, tracking pixel)."""
    return bool(MAILER_HOSTS.match(_hostname(url)))


def is_mailer_asset(url: str) -> bool:
    return bool(ASSET_HOSTS.match(_hostname(url)))


def _hostname(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def safe_links_time(url: str) -> datetime.datetime | None:
    """
    When Outlook wrapped ``url`` on delivery, from the .NET ticks in its ``data``
    parameter, to the second; None for any other link.
    """
    if not UNWRAPPERS[0].matches(url):
        return None
    data = _query_value(url, "data") or ""
    ticks = [int(piece) for piece in data.split("|") if re.fullmatch(r"\d{18}", piece)]
    if not ticks:
        return None
    moment = _TICKS_EPOCH + datetime.timedelta(microseconds=min(ticks) // 10)
    return moment.replace(microsecond=0)


@dataclass
class LinkReport:
    """Every link met in a newsletter, as the importer read it."""

    links: list[UnwrappedLink] = field(default_factory=list)
    # Links that are not http(s) or mailto: left out, their words kept.
    refused: list[str] = field(default_factory=list)

    def add(self, url: str) -> UnwrappedLink:
        link = unwrap(url)
        self.links.append(link)
        return link

    @property
    def unwrapped(self) -> list[UnwrappedLink]:
        return [link for link in self.links if link.changed]

    @property
    def kept_redirects(self) -> list[UnwrappedLink]:
        seen = set()
        kept = []
        for link in self.links:
            if link.unknown_redirect and link.url not in seen:
                seen.add(link.url)
                kept.append(link)
        return kept

    def delivered_at(self) -> datetime.datetime | None:
        """The earliest wrapping time, of those in the years Newsroom keeps."""
        times = [safe_links_time(link.original) for link in self.links]
        times = [moment for moment in times if moment and is_kept(moment)]
        return min(times) if times else None
