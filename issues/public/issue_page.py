"""
The public page of an issue: the web version of the e-mail, rendered from the issue's
snapshot (``issues/export/snapshot.py``), never from the models.

A sent issue is shown from its frozen content, so the page is what readers received,
whatever has been edited since. Its address is looked up once (one query, the issue
without its content), its content read once (a second query), whatever the issue's
size; then the rendered page is kept in the ``pages`` cache under the checksum of the
frozen content and the errata published since, and which content an address names for
``PUBLIC_CACHE_MAX_AGE`` seconds: a page served again runs no query at all. That
version is also the page's ETag, so a revalidation is answered 304 without reading the
content.

Errata are not part of the frozen content, which stays what readers received: they
are read with the address, in the same query, and shown above the issue and beside
the items they correct. Publishing one forgets the address (``forget_address``).

An issue marked sent before content was frozen (older data) is shown from a snapshot
of its current content, built on every request and never cached.

Once a page is in the cache, ``CachedIssuePageMiddleware`` answers a request for it
before the session, CSRF, authentication and message middleware and the view run:
the page is the same for every reader, so none of them has anything to add. It is
what keeps the issue page close to a static file under load (``make bench``).
"""

import dataclasses
import datetime
import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import condition

from issues.editorial.errata import ISSUE_PAGE_ADDRESS
from issues.export.snapshot import build_snapshot, display_date
from issues.models import Erratum, Issue
from newsroom.core.caching import address_key, public_page

# Raise when the page template changes how a frozen issue looks: every cached copy
# and every browser's copy (through the ETag) is then renewed.
PAGE_FORMAT = 1
# Rendered pages never go stale (their key is their content), so they are kept long.
RENDERED_PAGE_SECONDS = 7 * 24 * 60 * 60


@dataclasses.dataclass(frozen=True)
class PublishedErratum:
    """An erratum as the public page shows it; kept in the cache with the address."""

    id: int
    item_id: int | None
    text: str
    published_at: datetime.datetime

    @classmethod
    def of(cls, erratum: Erratum) -> "PublishedErratum":
        return cls(erratum.pk, erratum.item_id, erratum.text, erratum.published_at)


def published_errata(issue: Issue) -> tuple[PublishedErratum, ...]:
    """The errata of ``issue``, oldest first, in one query."""
    return tuple(PublishedErratum.of(erratum) for erratum in issue.errata.in_order())


def render_issue_page(
    request: HttpRequest,
    *,
    snapshot: dict,
    preview: bool = False,
    errata: tuple[PublishedErratum, ...] = (),
) -> HttpResponse:
    """The issue page of ``snapshot``; a preview is marked as such and not indexed."""
    return HttpResponse(
        issue_page_html(request, snapshot=snapshot, preview=preview, errata=errata)
    )


def _errata_shown(
    snapshot: dict, errata: tuple[PublishedErratum, ...]
) -> tuple[list[dict], dict[int, list[dict]]]:
    """The errata for the notice at the top, and those of each item by its id."""
    items = {item["id"]: item for s in snapshot["sections"] for item in s["items"]}
    shown, by_item = [], {}
    for erratum in errata:
        date = timezone.localdate(erratum.published_at)
        item = items.get(erratum.item_id)
        entry = {
            "anchor": f"erratum-{erratum.id}",
            "text": erratum.text,
            "date": date.isoformat(),
            "date_display": display_date(date),
            "item": item and {"anchor": item["anchor"], "title": item["title"]},
        }
        shown.append(entry)
        if item is not None:
            by_item.setdefault(item["id"], []).append(entry)
    return shown, by_item


def issue_page_html(
    request: HttpRequest,
    *,
    snapshot: dict,
    preview: bool = False,
    errata: tuple[PublishedErratum, ...] = (),
):
    issue = snapshot["issue"]
    sections = snapshot["sections"]
    shown, by_item = _errata_shown(snapshot, errata)
    if by_item:
        # The snapshot itself is left as it was frozen.
        sections = [
            {
                **section,
                "items": [
                    {**item, "errata": by_item.get(item["id"], [])}
                    for item in section["items"]
                ],
            }
            for section in sections
        ]
    return render_to_string(
        "issues/issue_detail.html",
        {
            "snapshot": snapshot,
            "publication": snapshot["publication"],
            "issue": issue,
            "sent_at": issue["sent_at"]
            and datetime.datetime.fromisoformat(issue["sent_at"]),
            "contact": snapshot["contact"],
            "sections": sections,
            "social_links": snapshot["social_links"],
            "description": _description(snapshot),
            "share_image": _share_image(snapshot),
            "preview": preview,
            "errata": shown,
        },
        request=request,
    )


def _description(snapshot: dict) -> str:
    """One line for search results and link previews."""
    if snapshot["issue"]["preheader"]:
        return snapshot["issue"]["preheader"]
    titles = [item["title"] for s in snapshot["sections"] for item in s["items"]]
    return "In this issue: " + "; ".join(titles[:3]) if titles else ""


def _share_image(snapshot: dict) -> dict | None:
    """The banner, else the first image of an item: what link previews show."""
    if snapshot["publication"]["banner"]:
        return snapshot["publication"]["banner"]
    for section in snapshot["sections"]:
        for item in section["items"]:
            if item["image"]:
                return item["image"]
    return None


@dataclasses.dataclass(frozen=True)
class PageAddress:
    """What an issue's address names: the issue, and the checksum of its content."""

    issue_id: int
    checksum: str
    # The latest of the freezing, the issue's last save and its last erratum.
    modified: datetime.datetime | None
    errata: tuple[PublishedErratum, ...] = ()
    # Only for an issue without frozen content, which is rendered from the models.
    issue: Issue | None = None

    # Asked for by the ETag, the cache key and the middleware: worked out once.
    @functools.cached_property
    def etag(self) -> str | None:
        if not self.checksum:
            return None
        # The stylesheet's address changes with its content once collected, and a
        # cached page names it: a new stylesheet is a new page.
        version = f"{self.checksum}:{PAGE_FORMAT}:{static('newsroom/site.css')}"
        for erratum in self.errata:
            version += f"\n{erratum.id}:{erratum.published_at.isoformat()}:"
            version += erratum.text
        return hashlib.sha256(version.encode()).hexdigest()[:40]


def _address_key(publication: str, slug: str) -> str:
    return address_key(ISSUE_PAGE_ADDRESS, publication, slug)


def _read_address(publication: str, slug: str) -> PageAddress | None:
    """The issue without its content, and its errata, in one query."""
    # One row per erratum (or one without any), each with the issue's small fields.
    rows = list(
        Issue.objects.sent()
        .defer("frozen_content")
        .filter(publication__slug=publication, slug=slug)
        .annotate(
            erratum_id=F("errata__pk"),
            erratum_item_id=F("errata__item_id"),
            erratum_text=F("errata__text"),
            erratum_published_at=F("errata__published_at"),
        )
        .order_by("errata__published_at", "errata__pk")
    )
    if not rows:
        return None
    issue = rows[0]
    errata = tuple(
        PublishedErratum(
            row.erratum_id,
            row.erratum_item_id,
            row.erratum_text,
            row.erratum_published_at,
        )
        for row in rows
        if row.erratum_id is not None
    )
    modified = None
    if issue.is_frozen:
        modified = max(
            [issue.frozen_at, issue.updated_at]
            + [erratum.published_at for erratum in errata]
        )
    return PageAddress(
        issue_id=issue.pk,
        checksum=issue.frozen_content_sha256 if issue.is_frozen else "",
        modified=modified,
        errata=errata,
        issue=None if issue.is_frozen else issue,
    )


def page_address(request: HttpRequest, publication: str, slug: str) -> PageAddress:
    """The sent issue at this address, or a 404 as if no other issue existed."""
    # Asked for by the ETag, the Last-Modified and the view: looked up once.
    if getattr(request, "issue_page_address", None) is None:
        cache = caches["pages"]
        address = cache.get(_address_key(publication, slug))
        if address is None:
            address = _read_address(publication, slug)
            if address is None:
                raise Http404("No sent issue at this address.")
            if address.checksum:
                cache.set(
                    _address_key(publication, slug),
                    address,
                    timeout=settings.PUBLIC_CACHE_MAX_AGE,
                )
        request.issue_page_address = address
    return request.issue_page_address


def _etag(request, publication, slug):
    return page_address(request, publication, slug).etag


def _last_modified(request, publication, slug):
    return page_address(request, publication, slug).modified


@public_page
@condition(etag_func=_etag, last_modified_func=_last_modified)
def issue(request, publication, slug):
    address = page_address(request, publication, slug)
    if address.issue is not None:
        return render_issue_page(
            request, snapshot=build_snapshot(address.issue), errata=address.errata
        )
    cache = caches["pages"]
    key = _page_key(address.etag)
    html = cache.get(key)
    if html is None:
        snapshot = (
            Issue.objects.sent()
            .filter(pk=address.issue_id)
            .values_list("frozen_content", flat=True)
            .first()
        )
        if snapshot is None:
            raise Http404("No sent issue at this address.")
        html = issue_page_html(
            request, snapshot=snapshot, errata=address.errata
        ).encode()
        cache.set(key, html, timeout=RENDERED_PAGE_SECONDS)
    return HttpResponse(html)


def _page_key(etag: str) -> str:
    return f"issue-page:html:{etag}"


class CachedIssuePageMiddleware:
    """
    Answer a GET or HEAD for a sent issue's page from the ``pages`` cache, when both its
    address and its rendered page are there, with the headers the view gives it.
    Anything else (another page, a first request, an issue not sent) goes on to the
    view as usual. Placed after the middleware that set headers on every response
    (security, Content-Security-Policy) and before the session middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._address = None

    def address_pattern(self) -> re.Pattern:
        # Built from the URLconf on the first request, when the script prefix is set.
        if self._address is None:
            archive = re.escape(reverse("issues:archive"))
            slug = r"[-a-zA-Z0-9_]+"
            self._address = re.compile(
                rf"{archive}(?P<publication>{slug})/(?P<slug>{slug})/\Z"
            )
        return self._address

    def __call__(self, request):
        # The server leaves out the body of an answer to HEAD.
        if request.method in ("GET", "HEAD"):
            match = self.address_pattern().match(request.path)
            if match:
                response = self.cached_response(request, **match.groupdict())
                if response is not None:
                    return response
        return self.get_response(request)

    def cached_response(self, request, publication, slug) -> HttpResponse | None:
        cache = caches["pages"]
        address = cache.get(_address_key(publication, slug))
        if address is None or not address.checksum:
            return None
        html = cache.get(_page_key(address.etag))
        if html is None:
            return None
        modified = int(address.modified.timestamp())
        response = HttpResponse(html)
        response["ETag"] = f'"{address.etag}"'
        response["Last-Modified"] = http_date(modified)
        patch_cache_control(
            response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE
        )
        # The view's response is given this header by XFrameOptionsMiddleware.
        response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        response["Content-Length"] = str(len(html))
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=modified,
            response=response,
        )
