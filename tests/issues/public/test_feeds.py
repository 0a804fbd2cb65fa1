import datetime
import xml.etree.ElementTree as ET

from django.test import TestCase, override_settings
from django.urls import reverse

from issues.models import Issue
from issues.public.feeds import ENTRIES
from tests.factories import make_issue, make_item, make_publication, make_section
from tests.utils import get_counting_queries

SITE_URL = "https://news.example.org"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


def sent_at(day: int) -> datetime.datetime:
    return datetime.datetime(2024, 11, day, 9, 0, tzinfo=datetime.UTC)


def entries(response) -> dict[str, ET.Element]:
    """The feed's entries by their link."""
    root = ET.fromstring(response.content)
    return {
        entry.find("atom:link", ATOM).get("href"): entry
        for entry in root.findall("atom:entry", ATOM)
    }


def text(entry: ET.Element, path: str) -> str:
    return entry.find(path, ATOM).text


@override_settings(SITE_URL=SITE_URL)
class SentIssuesFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_publication("Partnership News")
        cls.digest = make_publication("Research Digest")
        cls.november = make_issue(
            cls.news,
            month=11,
            status=Issue.Status.SENT,
            sent_at=sent_at(14),
            preheader="Funding, R&D <news> and events",
        )
        cls.october = make_issue(
            cls.news, month=10, status=Issue.Status.SENT, sent_at=sent_at(1)
        )
        section = make_section(cls.news, position=1)
        first_section = make_section(cls.news, position=0)
        make_item(cls.october, section=section, title="Fourth", position=0)
        make_item(cls.october, section=first_section, title="Second", position=2)
        make_item(cls.october, section=first_section, title="First", position=1)
        make_item(cls.october, section=first_section, title="Third", position=3)
        cls.digest_issue = make_issue(
            cls.digest, month=11, status=Issue.Status.SENT, sent_at=sent_at(20)
        )
        cls.unsent = [
            make_issue(cls.digest, month=month, status=status, title="Unsent issue")
            for month, status in enumerate(NOT_SENT, start=1)
        ]

    def get(self):
        return self.client.get(reverse("issues:feed"))

    def test_served_as_atom(self):
        """The feed is Atom in UTF-8, with its own address and the archive as link."""
        response = self.get()
        self.assertEqual(
            response["Content-Type"], "application/atom+xml; charset=utf-8"
        )
        root = ET.fromstring(response.content)
        self.assertEqual(root.tag, "{http://www.w3.org/2005/Atom}feed")
        links = {
            link.get("rel"): link.get("href")
            for link in root.findall("atom:link", ATOM)
        }
        self.assertEqual(links["self"], SITE_URL + "/issues/feed.atom")
        self.assertEqual(links["alternate"], SITE_URL + reverse("issues:archive"))

    def test_every_sent_issue_and_nothing_else(self):
        """Sent issues of every publication are entries; no other issue is."""
        response = self.get()
        self.assertEqual(
            set(entries(response)),
            {
                SITE_URL + issue.get_absolute_url()
                for issue in (self.november, self.october, self.digest_issue)
            },
        )
        self.assertNotIn(b"Unsent", response.content)
        for issue in self.unsent:
            self.assertNotIn(issue.get_absolute_url().encode(), response.content)

    def test_entry(self):
        """An entry has the title, the sending time, the publication as author."""
        entry = entries(self.get())[SITE_URL + self.november.get_absolute_url()]
        self.assertEqual(text(entry, "atom:title"), "Partnership News: November 2024")
        self.assertEqual(text(entry, "atom:updated"), "2024-11-14T09:00:00+00:00")
        self.assertEqual(text(entry, "atom:published"), "2024-11-14T09:00:00+00:00")
        self.assertEqual(text(entry, "atom:author/atom:name"), "Partnership News")
        self.assertEqual(
            text(entry, "atom:author/atom:uri"),
            SITE_URL + self.news.get_absolute_url(),
        )
        self.assertEqual(
            text(entry, "atom:id"),
            f"tag:news.example.org,2024-11-01:issue-{self.november.pk}",
        )

    def test_summary_is_the_preheader(self):
        """The summary is the preheader, as HTML that reads as the text itself."""
        summary = entries(self.get())[SITE_URL + self.november.get_absolute_url()].find(
            "atom:summary", ATOM
        )
        self.assertEqual(summary.get("type"), "html")
        self.assertEqual(summary.text, "Funding, R&amp;D &lt;news&gt; and events")

    def test_summary_without_preheader_names_the_first_items(self):
        """Without a preheader, the summary names the first three items in order."""
        entry = entries(self.get())[SITE_URL + self.october.get_absolute_url()]
        self.assertEqual(
            text(entry, "atom:summary"), "In this issue: First; Second; Third"
        )

    def test_latest_issues_first_and_no_more_than_the_limit(self):
        """Entries are the latest sent, newest first, at most ENTRIES of them."""
        for month in range(1, ENTRIES + 1):
            make_issue(
                make_publication(),
                month=month % 12 + 1,
                status=Issue.Status.SENT,
                sent_at=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
                + datetime.timedelta(days=month),
            )
        links = list(entries(self.get()))
        self.assertEqual(len(links), ENTRIES)
        self.assertEqual(
            links[:3],
            [
                SITE_URL + issue.get_absolute_url()
                for issue in (self.digest_issue, self.november, self.october)
            ],
        )

    def test_number_of_queries_does_not_grow(self):
        """Two queries, however many issues and items there are."""
        url = reverse("issues:feed")
        get_counting_queries(self, url, 2)
        for month in range(1, 6):
            issue = make_issue(
                make_publication(), month=month, status=Issue.Status.SENT
            )
            make_item(issue)
            make_item(issue)
        response = get_counting_queries(self, url, 2)
        self.assertEqual(len(entries(response)), 3 + 5)

    def test_every_page_announces_the_feed(self):
        """The feed is announced in the head of every page."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            '<link rel="alternate" type="application/atom+xml" title="Latest issues" '
            f'href="{reverse("issues:feed")}">',
            html=True,
        )


@override_settings(SITE_URL=SITE_URL)
class PublicationFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_publication("Partnership News")
        cls.sent = make_issue(
            cls.news, month=11, status=Issue.Status.SENT, sent_at=sent_at(14)
        )
        cls.unsent = [
            make_issue(cls.news, month=month, status=status, title="Unsent issue")
            for month, status in enumerate(NOT_SENT, start=1)
        ]
        other = make_publication("Research Digest")
        cls.other_issue = make_issue(
            other, month=11, status=Issue.Status.SENT, sent_at=sent_at(20)
        )

    def url(self, publication):
        return reverse("issues:publication_feed", kwargs={"slug": publication.slug})

    def test_sent_issues_of_the_publication_only(self):
        """Only this publication's sent issues are entries, titled by their month."""
        response = self.client.get(self.url(self.news))
        found = entries(response)
        self.assertEqual(set(found), {SITE_URL + self.sent.get_absolute_url()})
        entry = found[SITE_URL + self.sent.get_absolute_url()]
        self.assertEqual(text(entry, "atom:title"), "November 2024")
        self.assertNotIn(b"Unsent", response.content)
        root = ET.fromstring(response.content)
        self.assertEqual(text(root, "atom:title"), "Partnership News")

    def test_unknown_publication(self):
        """The feed of a publication that does not exist is a 404."""
        response = self.client.get("/issues/no-such-publication/feed.atom")
        self.assertEqual(response.status_code, 404)

    def test_a_publication_called_feed_is_not_shadowed(self):
        """A publication with the slug "feed" keeps its page; the feed keeps its URL."""
        publication = make_publication("Feed", slug="feed")
        self.assertEqual(publication.get_absolute_url(), "/issues/feed/")
        response = self.client.get(publication.get_absolute_url())
        self.assertContains(response, "<h1>Feed</h1>", html=True)
        self.assertEqual(self.url(publication), "/issues/feed/feed.atom")
        self.assertEqual(
            self.client.get(reverse("issues:feed"))["Content-Type"],
            "application/atom+xml; charset=utf-8",
        )

    def test_number_of_queries_does_not_grow(self):
        """Three queries, however many issues and items there are."""
        url = self.url(self.news)
        get_counting_queries(self, url, 3)
        for year in range(2020, 2024):
            issue = make_issue(self.news, year=year, status=Issue.Status.SENT)
            make_item(issue)
        response = get_counting_queries(self, url, 3)
        self.assertEqual(len(entries(response)), 1 + 4)
