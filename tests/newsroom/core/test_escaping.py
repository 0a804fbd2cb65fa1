"""
Hostile text typed into titles, names, labels and comments is shown as text wherever
it appears: admin lists and forms, public pages, the e-mail, the plain text, feeds and
calendars. Nothing in it ever becomes markup or a link.
"""

import datetime

import time_machine
from bs4 import BeautifulSoup
from django.test import TestCase, override_settings
from django.urls import reverse

from issues.editorial.sending import export_issue, mark_sent
from issues.models import MailerProfile
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_membership,
    make_person,
    make_publication,
    make_section,
    make_superuser,
    make_team,
)

SCRIPT = "<script>alert('x')</script>"
BREAKER = '"><img src=x onerror=alert(1)>'
HOSTILE = f"Bad {SCRIPT} {BREAKER}"
TODAY = datetime.date(2024, 11, 10)
ITEM_TITLE = f"Item {BREAKER} {SCRIPT}"


def visible_headings(content: str) -> list[str]:
    """The text of every heading, as a reader sees it."""
    soup = BeautifulSoup(content, "html.parser")
    return [h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3"])]


def assert_inert(test, content: str, where: str):
    """As a browser parses ``content``, nothing from the hostile text is markup."""
    for element in BeautifulSoup(content, "html.parser").find_all(True):
        if element.name == "script" and element.get("type") == "application/ld+json":
            # Data, not code: it must only never close its own element early.
            test.assertNotIn("</", element.text, f"{where}: data breaks out")
        elif element.name == "script":
            test.assertNotIn("alert(", element.text, f"{where}: a live script")
        test.assertFalse(
            element.name == "img" and element.get("src") == "x",
            f"{where}: an image made from the text",
        )
        for name in element.attrs:
            test.assertFalse(
                name.lower().startswith("on"), f"{where}: an event handler ({name})"
            )


@override_settings(SITE_URL="https://news.test")
@time_machine.travel(datetime.datetime(2024, 11, 10, 12, tzinfo=datetime.UTC))
class HostileTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        person = make_person(
            f"Ada {BREAKER}", organisation=HOSTILE, email="ada@example.org"
        )
        team = make_team(f"Team {SCRIPT}")
        make_membership(team, person, role=f"Lead {SCRIPT}")
        cls.publication = make_publication(
            f"News {SCRIPT}", slug="news", team=team, contact=person
        )
        section = make_section(cls.publication, title=f"Section {BREAKER}")
        make_section(cls.publication, title="Team", kind="team", position=9)
        cls.event = make_event(
            f"Event {SCRIPT}",
            slug="event",
            start_date=datetime.date(2024, 11, 20),
            location=HOSTILE,
            organiser=HOSTILE,
        )
        make_deadline(cls.event, label=f"Deadline {BREAKER}")
        cls.issue = make_issue(
            cls.publication, title=f"Issue {SCRIPT}", preheader=HOSTILE
        )
        make_item(
            cls.issue,
            section,
            title=ITEM_TITLE,
            deadline=datetime.date(2024, 11, 30),
            deadline_label=f"Closes {SCRIPT}",
            cta_label=f"Apply {BREAKER}",
            cta_url="https://example.org/apply",
            event=cls.event,
        )
        mark_sent(issue=cls.issue)

    def test_admin_lists_and_forms(self):
        self.client.force_login(self.user)
        pages = [
            reverse("admin:issues_issue_changelist"),
            reverse("admin:issues_issue_change", args=[self.issue.pk]),
            reverse("admin:issues_item_changelist"),
            reverse("admin:events_event_changelist"),
            reverse("admin:events_event_change", args=[self.event.pk]),
            reverse("admin:people_person_changelist"),
            reverse("admin:people_team_changelist"),
            reverse("admin:issues_publication_changelist"),
            reverse("admin:issues_issue_preview", args=[self.issue.pk]),
        ]
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                assert_inert(self, response.content.decode(), url)

    def test_public_pages(self):
        pages = [
            reverse("home"),
            reverse("issues:archive"),
            self.publication.get_absolute_url(),
            self.issue.get_absolute_url(),
            reverse("events:list"),
            self.event.get_absolute_url(),
            reverse("search") + "?q=alert",
        ]
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                content = response.content.decode()
                assert_inert(self, content, url)
        # The search results showed the hostile text, with the word marked.
        self.assertIn("<mark>alert</mark>", content)
        page = self.client.get(self.issue.get_absolute_url()).content.decode()
        self.assertIn(ITEM_TITLE, visible_headings(page))

    def test_feeds(self):
        for url in [
            reverse("issues:feed"),
            reverse("issues:publication_feed", kwargs={"slug": "news"}),
            reverse("sitemap"),
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                content = response.content.decode()
                self.assertNotIn("<script>", content)
                self.assertNotIn("<img", content)

    def test_calendars_are_plain_text(self):
        """A calendar holds text only, served so that no browser reads it as HTML."""
        for url in [
            reverse("events:calendar"),
            reverse("events:event_calendar", kwargs={"slug": "event"}),
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(
                    response["Content-Type"], "text/calendar; charset=utf-8"
                )
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                content = response.content.decode()
                self.assertNotIn("X-ALT-DESC", content)
                self.assertIn("LOCATION:Bad <script>", content)

    def test_exported_email_and_text(self):
        """The e-mail shows the hostile text escaped; no element comes from it."""
        for profile in MailerProfile.objects.active():
            with self.subTest(profile=profile.slug):
                result = export_issue(issue=self.issue, profile=profile, force=True)
                assert_inert(self, result.html, f"{profile} e-mail")
                self.assertIn(ITEM_TITLE, visible_headings(result.html))
                # The plain text is not HTML: it shows the words as typed.
                self.assertIn(f"Item {BREAKER}", result.text)
