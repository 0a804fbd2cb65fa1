"""
Importing a past issue: read the file, then write what it holds in one transaction.

An imported issue is a past issue: it is stored as Sent, with the time it went out
(from the source when it tells, see ``reader``), and so appears in the public archive.
A Sent issue is never overwritten: importing a file whose issue is already there and
the same says so and changes nothing; one that differs is refused. An issue still
being worked on for the same month is refused too, so that no editor's work is lost.
"""

import dataclasses
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from issues.editorial.sending import mark_sent
from issues.importer.build import Changes, ContentRejected, count_phrase, write_content
from issues.importer.reader import (
    ParsedNewsletter,
    UnreadableNewsletter,
    read_newsletter,
)
from issues.importer.unwrap import is_mailer_asset
from issues.models import Issue, Publication
from newsroom.core import fetching
from newsroom.core.dates import FIRST_YEAR, LAST_YEAR
from newsroom.core.images import prepare_image

# Uploads and files bigger than this are not newsletters.
MAX_SOURCE_BYTES = 2 * 1024 * 1024

FETCH_TIMEOUT_SECONDS = 10
MAX_IMAGE_BYTES = 10 * 1024 * 1024

__all__ = [
    "ImportRefused",
    "ImportResult",
    "UnreadableNewsletter",
    "import_newsletter",
]


class ImportRefused(Exception):
    """The file was read, but importing it would overwrite an issue."""


@dataclasses.dataclass
class ImportResult:
    parsed: ParsedNewsletter
    changes: Changes
    dry_run: bool = False
    already_imported: bool = False
    issue: Issue | None = None
    images_fetched: list[str] = dataclasses.field(default_factory=list)
    # (link, why) for every image that stays a remote reference.
    images_not_fetched: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def title(self) -> str:
        issue = self.parsed.issue
        return f"{self.parsed.publication.name} – {issue.title}"

    def summary(self, *, detailed: bool = False) -> list[str]:
        """
        What was done (or, in a dry run, would be), line by line; ``detailed`` lists
        every link unwrapped.
        """
        if self.already_imported:
            return [f"{self.title}: already imported; nothing changed."]
        would = "would be " if self.dry_run else ""
        lines = [f"{self.title}{' (dry run: nothing saved)' if self.dry_run else ''}"]
        changes = self.changes
        created = count_phrase(changes.created) or "nothing"
        lines.append(f"  {'would create' if self.dry_run else 'created'}: {created}")
        # An import only adds: a row already there is left as an editor left it.
        lines.append(f"  {'would change' if self.dry_run else 'changed'}: nothing")
        left = count_phrase(changes.unchanged) or "nothing"
        lines.append(
            f"  {'would leave' if self.dry_run else 'left'} as they were: {left}"
        )
        links = self.parsed.links
        unwrapped = {link.original: link for link in links.unwrapped}
        lines.append(f"  links unwrapped: {len(unwrapped)}")
        if detailed:
            for link in unwrapped.values():
                lines.append(f"    {link.url}  (undone: {', '.join(link.steps)})")
        for link in links.kept_redirects:
            lines.append(f"  redirect kept, not known: {link.url}")
        for url in links.refused:
            lines.append(
                f"  link left out (only http, https and mailto links are kept): {url}"
            )
        for line, text in self.parsed.dates.kept_as_text:
            lines.append(
                f"  date kept as text only (Newsroom keeps the years {FIRST_YEAR} to "
                f"{LAST_YEAR}): line {line}, “{text}”"
            )
        if not self.parsed.sent_at_from_source:
            told = (
                "at what time it was sent"
                if self.parsed.sent_on_from_source
                else "when it was sent"
            )
            lines.append(
                f"  the file does not say {told}: recorded as sent on "
                f"{self.parsed.issue.sent_at:%-d %B %Y at %H:%M}"
            )
        for url in self.images_fetched:
            lines.append(f"  image {would}fetched: {url}")
        for url, reason in self.images_not_fetched:
            lines.append(f"  image not fetched, kept as a link: {url} ({reason})")
        return lines


def fetch_url(url: str) -> bytes:
    """
    The image at ``url``, fetched only from a public address over https (see
    ``newsroom.core.fetching``); raises ``FetchError`` saying why not.
    """
    return fetching.fetch(
        url,
        max_bytes=MAX_IMAGE_BYTES,
        timeout=FETCH_TIMEOUT_SECONDS,
        user_agent="Newsroom importer",
    )


def import_newsletter(
    *,
    source: bytes | str,
    publication_slug: str = "",
    dry_run: bool = False,
    fetch_images: bool = False,
    fetch: Callable[[str], bytes] | None = None,
) -> ImportResult:
    """
    Import the newsletter in ``source``. Raises ``UnreadableNewsletter`` (with the
    line) when it cannot be read and ``ImportRefused`` when it would overwrite an
    issue; either way nothing is saved. With ``dry_run`` nothing is saved either, and
    the result says what would have been.
    """
    if len(source) > MAX_SOURCE_BYTES:
        raise UnreadableNewsletter(
            f"the file is {len(source) / 1024 / 1024:.1f} MB; a newsletter is at most "
            "2 MB"
        )
    parsed = read_newsletter(source, publication_slug=publication_slug)
    if not publication_slug:
        # A publication already there under the same name is the one meant.
        existing = Publication.objects.filter(
            name__iexact=parsed.publication.name
        ).first()
        if existing is not None:
            parsed.publication = dataclasses.replace(
                parsed.publication, slug=existing.slug
            )
    result = ImportResult(parsed=parsed, changes=Changes(), dry_run=dry_run)

    downloads = {}
    if fetch_images:
        downloads = _download_images(parsed, fetch or fetch_url, result)

    with transaction.atomic():
        existing = (
            Issue.objects.filter(
                publication__slug=parsed.publication.slug,
                year=parsed.issue.year,
                month=parsed.issue.month,
            )
            .select_related("publication")
            .first()
        )
        if existing is not None:
            _check_existing(existing, parsed)
            result.already_imported = True
            result.issue = existing
            return result
        try:
            issue = write_content(
                publication=parsed.publication,
                issue=parsed.issue,
                changes=result.changes,
            )
        except ContentRejected as error:
            raise UnreadableNewsletter(str(error)) from error
        if dry_run:
            # No file is written for a dry run.
            result.images_fetched = list(downloads)
            transaction.set_rollback(True)
            return result
        _attach_images(issue, downloads, result)
        # A past issue is frozen like any issue marked Sent: its content and its
        # e-mail for every mailer, as they are now.
        result.issue = mark_sent(issue=issue, sent_at=issue.sent_at)
    return result


def _check_existing(issue: Issue, parsed: ParsedNewsletter) -> None:
    if not issue.is_sent:
        raise ImportRefused(
            f"{issue} already exists and is {issue.get_status_display()}: importing "
            "would overwrite an editor's work. Finish or delete that issue first; "
            "nothing was saved."
        )
    if not _same_rows(_fingerprint_of_issue(issue), _fingerprint_of_file(parsed)):
        raise ImportRefused(
            f"{issue} is already Sent and differs from this file. A sent issue is "
            "never overwritten; nothing was saved."
        )


def _fingerprint_of_issue(issue: Issue) -> list:
    rows = [(issue.title, issue.preheader, issue.intro)]
    for item in issue.items.in_order().select_related("section", "event"):
        rows.append(
            (
                item.section.title.lower(),
                item.title,
                item.body,
                # An image fetched since is the remote one, now kept here.
                None if item.image else item.image_url,
                item.image_alt,
                item.deadline,
                item.deadline_label,
                item.cta_label,
                item.cta_url,
                item.event.slug if item.event else "",
            )
        )
    return rows


def _same_rows(stored: list, read: list) -> bool:
    """Row by row equal, a stored ``None`` matching anything."""
    return len(stored) == len(read) and all(
        len(a) == len(b) and all(x is None or x == y for x, y in zip(a, b, strict=True))
        for a, b in zip(stored, read, strict=True)
    )


def _fingerprint_of_file(parsed: ParsedNewsletter) -> list:
    issue = parsed.issue
    titles = {section.slug: section.title for section in parsed.publication.sections}
    rows = [(issue.title, issue.preheader, issue.intro)]
    for slug, items in issue.items.items():
        for item in items:
            rows.append(
                (
                    titles[slug].lower(),
                    item.title,
                    item.body,
                    item.image_url,
                    item.image_alt,
                    item.deadline,
                    item.deadline_label,
                    item.cta_label,
                    item.cta_url,
                    item.event.slug if item.event else "",
                )
            )
    return rows


def _image_urls(parsed: ParsedNewsletter) -> list[str]:
    urls = [
        item.image_url
        for items in parsed.issue.items.values()
        for item in items
        if item.image_url
    ]
    return [url for url in dict.fromkeys(urls) if is_mailer_asset(url)]


def _download_images(parsed, fetch, result: ImportResult) -> dict[str, ContentFile]:
    """Every item image on the mailer's asset host, fetched and checked."""
    downloads = {}
    for url in _image_urls(parsed):
        try:
            data = fetch(url)
            name = urlsplit(url).path.rsplit("/", 1)[-1] or "image"
            downloads[url] = prepare_image(ContentFile(data, name=name))
        except fetching.FetchError as error:
            result.images_not_fetched.append((url, error.reason))
        except ValidationError as error:
            result.images_not_fetched.append((url, " ".join(error.messages)))
    return downloads


def _attach_images(issue: Issue, downloads: dict, result: ImportResult) -> None:
    if not downloads:
        return
    for item in issue.items.exclude(image_url=""):
        prepared = downloads.get(item.image_url)
        if prepared is None:
            continue
        result.images_fetched.append(item.image_url)
        prepared.seek(0)
        item.image.save(prepared.name, prepared, save=False)
        item.image_url = ""
        item.full_clean()
        item.save()
