"""
Only sent issues are public. Every issue that is not sent, whatever its status, is
absent from every public address: its own (even guessed), the archive, its
publication's page, the home page, the feeds, the sitemap, search, the calendar and
the event pages; and so are its items and their deadlines.
"""

import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
)

NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


def hidden(status: str) -> str:
    """A word that appears only in what belongs to an issue in ``status``."""
    return f"Zanzibar{status.replace('_', '').capitalize()}"


@time_machine.travel(NOW, tick=False)
class UnsentIssuesAreInvisibleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication("Partnership News")
        section = make_section(cls.publication, title="News")
        cls.event = make_event(
            "Omics Meeting", start_date=datetime.date(2024, 12, 5), location="London"
        )
        # A sent issue beside them, so that every page has something to show.
        cls.sent = make_issue(
            cls.publication,
            month=10,
            status=Issue.Status.SENT,
            title="Visible October issue",
        )
        make_item(
            cls.sent,
            section,
            title="Visible item",
            body="<p>Zanzibar is everywhere.</p>",
            deadline=datetime.date(2024, 11, 30),
            event=cls.event,
        )
        cls.unsent = {}
        for month, status in enumerate(NOT_SENT, start=1):
            word = hidden(status)
            issue = make_issue(
                cls.publication,
                month=month,
                status=status,
                title=f"{word} issue",
                preheader=f"{word} preheader",
                planned_send_date=datetime.date(2024, month, 1),
            )
            item = make_item(
                issue,
                section,
                title=f"{word} item",
                body=f"<p>{word} body of Zanzibar</p>",
                deadline=datetime.date(2024, 11, 20),
                deadline_label=f"{word} deadline",
                event=cls.event,
            )
            cls.unsent[status] = (issue, item)

    def assertHidesEveryUnsentIssue(self, url, *, status_code=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status_code, url)
        content = response.content.decode()
        for status, (issue, _item) in self.unsent.items():
            with self.subTest(url=url, status=status):
                self.assertNotIn(hidden(status), content)
                self.assertNotIn(issue.get_absolute_url(), content)
        return content

    def test_guessed_addresses_are_404(self):
        """An unsent issue's own address, and its items' permalinks, are 404s."""
        for status, (issue, item) in self.unsent.items():
            with self.subTest(status=status):
                response = self.client.get(issue.get_absolute_url())
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, hidden(status), status_code=404)
                permalink = item.get_absolute_url().split("#", 1)[0]
                self.assertEqual(self.client.get(permalink).status_code, 404)

    def test_sent_issue_is_shown(self):
        """The sent issue beside them is public: the checks below can fail."""
        response = self.client.get(self.sent.get_absolute_url())
        self.assertContains(response, "Visible item")

    def test_archive_publication_and_home(self):
        """The archive, the publication's page and the home page list none of them."""
        for url in (
            reverse("issues:archive"),
            self.publication.get_absolute_url(),
            reverse("home"),
        ):
            content = self.assertHidesEveryUnsentIssue(url)
            self.assertIn("Visible October issue", content)

    def test_feeds(self):
        """Neither Atom feed has an entry for them."""
        for url in (
            reverse("issues:feed"),
            reverse("issues:publication_feed", kwargs={"slug": self.publication.slug}),
        ):
            content = self.assertHidesEveryUnsentIssue(url)
            self.assertIn("Visible October issue", content)

    def test_sitemap(self):
        """The sitemap does not list them."""
        content = self.assertHidesEveryUnsentIssue(reverse("sitemap"))
        self.assertIn(self.sent.get_absolute_url(), content)

    def test_search(self):
        """Searching for their words, titles or bodies finds nothing of them."""
        for status, (issue, _item) in self.unsent.items():
            for query in (hidden(status), f"{hidden(status)} item"):
                with self.subTest(status=status, query=query):
                    response = self.client.get(f"{reverse('search')}?q={query}")
                    self.assertContains(response, "Nothing matches")
                    self.assertNotContains(response, issue.get_absolute_url())
        content = self.assertHidesEveryUnsentIssue(f"{reverse('search')}?q=Zanzibar")
        self.assertIn("Visible item", content)

    def test_calendar(self):
        """The calendar has no deadline of their items."""
        content = self.assertHidesEveryUnsentIssue(reverse("events:calendar"))
        self.assertIn("Visible item", content)
        self.assertHidesEveryUnsentIssue(
            reverse("events:event_calendar", kwargs={"slug": self.event.slug})
        )

    def test_event_pages(self):
        """The events list and the page of the event they feature show none of them."""
        for url in (reverse("events:list"), self.event.get_absolute_url()):
            content = self.assertHidesEveryUnsentIssue(url)
            self.assertIn("Omics Meeting", content)
