import datetime
import re
from pathlib import Path

import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from issues.editorial.preview_links import create_preview_link, url_for
from issues.editorial.sending import mark_sent
from newsroom.settings import origin_of
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
)
from tests.utils import REAL_PAGES_CACHE, get_counting_queries

NOW = datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC)
SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)

# Every directive of the policy, as the header of a page that used no nonce says it.
BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

INLINE_BLOCK = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
NONCE_ATTRIBUTE = re.compile(r'\bnonce="([^"]*)"')
# Inline event handlers (onclick=…) and style attributes, which no nonce can allow.
INLINE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\s(on[a-z]+|style)\s*=", re.IGNORECASE)
SRCDOC = re.compile(r'srcdoc="[^"]*"')


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def header_nonce(values: list[str]) -> str | None:
    nonces = [value[len("'nonce-") : -1] for value in values if "nonce-" in value]
    return nonces[0] if nonces else None


def inline_blocks(html: str) -> list[tuple[str, str | None]]:
    """
    Each inline <script> or <style> of the page, with its nonce. Scripts with a src
    are files of the site; JSON-LD and other data blocks are never run.
    """
    blocks = []
    for element, attributes in INLINE_BLOCK.findall(html):
        if element.lower() == "script" and (
            "src=" in attributes or 'type="application/ld+json"' in attributes
        ):
            continue
        nonce = NONCE_ATTRIBUTE.search(attributes)
        blocks.append((element.lower(), nonce.group(1) if nonce else None))
    return blocks


class PolicyAssertions:
    def assert_policy(self, response, **changed: list[str]):
        """The header is the site's policy, with ``changed`` directives instead."""
        policy = policy_of(response)
        nonce = header_nonce(policy["script-src"]) or header_nonce(policy["style-src"])
        expected = {
            **BASE_POLICY,
            **{name.replace("_", "-"): value for name, value in changed.items()},
        }
        for name, values in expected.items():
            with self.subTest(directive=name):
                self.assertEqual(
                    [value for value in policy[name] if "nonce-" not in value], values
                )
        images = policy["img-src"]
        for source in ("'self'", "data:", "https:"):
            self.assertIn(source, images)
        # The e-mail inside srcdoc="…" is escaped text here, the frame's own document.
        html = SRCDOC.sub('srcdoc=""', response.content.decode())
        for element, block_nonce in inline_blocks(html):
            with self.subTest(inline=element):
                self.assertIsNotNone(nonce, f"An inline <{element}> without a nonce.")
                self.assertEqual(block_nonce, nonce)
        self.assertIsNone(INLINE_ATTRIBUTE.search(html))
        return nonce


@time_machine.travel(NOW, tick=False)
class PolicyOnEveryPageTests(PolicyAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        publication = make_publication("Partnership News")
        cls.section = make_section(publication, title="News")
        sent = make_issue(publication, month=10, title="October news", sent_at=SENT_AT)
        make_item(sent, cls.section, title="Autumn school")
        cls.sent = mark_sent(issue=sent, sent_at=SENT_AT)
        cls.draft = make_issue(
            publication, month=12, title="December draft", preheader="All winter"
        )
        make_item(cls.draft, cls.section, title="Winter school")
        cls.event = make_event(
            title="Data workshop", start_date=datetime.date(2024, 12, 3)
        )
        cls.link = create_preview_link(issue=cls.draft, user=cls.user)

    def admin_url(self, name, *args):
        return reverse(f"admin:issues_issue_{name}", args=args)

    def test_public_pages_name_no_nonce_and_need_none(self):
        """
        Public pages allow scripts and styles from the site only: they have no
        inline script or style, so their header (kept by caches) names no nonce.
        """
        pages = [
            ("home", reverse("home"), 5),
            ("archive", reverse("issues:archive"), 2),
            ("issue page", self.sent.get_absolute_url(), 2),
            ("events", reverse("events:list"), 3),
            ("event", self.event.get_absolute_url(), 2),
            ("search", reverse("search") + "?q=school", 2),
            ("suggest", reverse("suggest"), 0),
        ]
        for description, url, queries in pages:
            with self.subTest(page=description):
                response = get_counting_queries(self, url, queries)
                self.assertIsNone(self.assert_policy(response))
                self.assertNotIn("nonce", response.content.decode())

    def test_preview_link_page_allows_inline_styles_for_the_email(self):
        """
        The page behind a preview link shows the e-mail, all inline styles, in a
        sandboxed frame: inline styles are allowed there, scripts still are not.
        """
        response = get_counting_queries(self, url_for(self.link), 8)
        self.assertContains(response, "Winter school")
        self.assert_policy(response, style_src=["'self'", "'unsafe-inline'"])
        self.assertNotIn("nonce", policy_of(response)["style-src"][-1])

    def test_admin_pages_allow_their_inline_blocks_by_nonce(self):
        """
        The admin's pages carry the request's nonce on each inline script and style,
        and the header names that nonce; nothing else inline is allowed.
        """
        self.client.force_login(self.user)
        pages = [
            ("admin index", reverse("admin:index"), 3),
            ("issue list", reverse("admin:issues_issue_changelist"), 9),
            (
                "issue list, filtered and ordered",
                reverse("admin:issues_issue_changelist") + "?status__exact=draft&o=2",
                9,
            ),
            ("issue page", self.admin_url("change", self.draft.pk), 10),
            ("add events", self.admin_url("add_events", self.draft.pk), 8),
            ("add from inbox", self.admin_url("add_from_inbox", self.draft.pk), 5),
            ("history of changes", self.admin_url("revisions", self.draft.pk), 4),
        ]
        for description, url, queries in pages:
            with self.subTest(page=description):
                response = get_counting_queries(self, url, queries)
                self.assert_policy(response)

    def test_email_preview_allows_inline_styles_without_a_nonce(self):
        """
        The admin's e-mail preview allows inline styles, for the e-mail in its
        frames; a nonce beside them would make browsers refuse them, so none is named.
        """
        self.client.force_login(self.user)
        url = self.admin_url("preview", self.draft.pk)
        response = get_counting_queries(self, url, 12)
        self.assertContains(response, "srcdoc=")
        self.assert_policy(response, style_src=["'self'", "'unsafe-inline'"])
        self.assertIsNone(header_nonce(policy_of(response)["style-src"]))

    def test_web_preview_may_be_framed_by_the_admin_only(self):
        """The issue's web page inside the admin's preview runs no script at all."""
        self.client.force_login(self.user)
        url = self.admin_url("web_preview", self.draft.pk)
        response = get_counting_queries(self, url, 7)
        self.assert_policy(response, frame_ancestors=["'self'"], script_src=["'none'"])

    def test_nonce_is_new_on_every_request(self):
        """Two loads of the same admin page are given two different nonces."""
        self.client.force_login(self.user)
        url = reverse("admin:issues_issue_changelist")
        first = self.assert_policy(get_counting_queries(self, url, 9))
        second = self.assert_policy(get_counting_queries(self, url, 9))
        self.assertIsNotNone(first)
        self.assertNotEqual(first, second)


@time_machine.travel(NOW, tick=False)
@override_settings(CACHES=REAL_PAGES_CACHE)
class CachedPublicPageTests(PolicyAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("Partnership News")
        issue = make_issue(publication, sent_at=SENT_AT, title="As it was sent")
        make_item(issue, make_section(publication), title="Autumn school")
        cls.issue = mark_sent(issue=issue, sent_at=SENT_AT)

    def setUp(self):
        caches["pages"].clear()

    def test_cached_issue_page_and_its_header_agree(self):
        """
        An issue's page served from the cache gets the same policy as when it was
        rendered, and neither names a nonce the other lacks.
        """
        url = self.issue.get_absolute_url()
        first = get_counting_queries(self, url, 2)
        with self.assertNumQueries(0):
            again = self.client.get(url)
        self.assertEqual(again.content, first.content)
        self.assertEqual(
            again["Content-Security-Policy"], first["Content-Security-Policy"]
        )
        self.assertIsNone(self.assert_policy(again))
        self.assertContains(again, "Autumn school")


class TemplateTests(SimpleTestCase):
    def test_templates_have_no_inline_handlers_and_nonce_their_blocks(self):
        """
        No page template has an inline event handler or style attribute, and any
        inline <script> or <style> carries the request's nonce. (The e-mail's
        template is not a page: mail clients need its inline styles.)
        """
        pages = [
            path
            for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
            if "email" not in path.parts
        ]
        self.assertGreater(len(pages), 20)
        for path in pages:
            with self.subTest(template=str(path)):
                text = path.read_text()
                self.assertIsNone(INLINE_ATTRIBUTE.search(text))
                for element, nonce in inline_blocks(text):
                    self.assertEqual(nonce, "{{ csp_nonce }}", element)


class ImageOriginTests(SimpleTestCase):
    def test_media_on_another_host_is_allowed_for_images(self):
        """An absolute MEDIA_URL adds its host to img-src; a relative one adds none."""
        self.assertEqual(
            origin_of("https://bucket.s3.example.com/media/"),
            "https://bucket.s3.example.com",
        )
        self.assertEqual(origin_of("http://127.0.0.1:8000"), "http://127.0.0.1:8000")
        self.assertIsNone(origin_of("media/"))
        self.assertIsNone(origin_of("/media/"))
        self.assertIn(origin_of(settings.SITE_URL), settings.SECURE_CSP["img-src"])
