import datetime
import xml.etree.ElementTree as ET

import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    make_event,
    make_issue,
    make_membership,
    make_person,
    make_publication,
    make_team,
)
from tests.utils import get_counting_queries

NOW = datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC)
SITE_URL = "https://news.example.org"
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


def locations(response) -> dict[str, str | None]:
    """Each location in the sitemap, with its lastmod."""
    root = ET.fromstring(response.content)
    return {
        url.find("sm:loc", SITEMAP).text: getattr(
            url.find("sm:lastmod", SITEMAP), "text", None
        )
        for url in root.findall("sm:url", SITEMAP)
    }


@time_machine.travel(NOW, tick=False)
@override_settings(SITE_URL=SITE_URL)
class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_publication("Partnership News")
        cls.sent = make_issue(
            cls.news,
            month=11,
            status=Issue.Status.SENT,
            sent_at=datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC),
        )
        cls.unsent = [
            make_issue(cls.news, month=month, status=status, title="Unsent issue")
            for month, status in enumerate(NOT_SENT, start=1)
        ]
        cls.drafts_only = make_publication("Drafts Only")
        make_issue(cls.drafts_only, status=Issue.Status.APPROVED)
        cls.upcoming = make_event("Summit", start_date=datetime.date(2024, 12, 3))
        cls.past = make_event("Old meeting", start_date=datetime.date(2023, 5, 1))
        cls.team = make_team("Partnership team")
        cls.member = make_person("Ryan Copping")
        make_membership(cls.team, cls.member)
        cls.former = make_person("Former Member")
        make_membership(cls.team, cls.former, ends_on=datetime.date(2024, 10, 31))
        cls.empty_team = make_team("Old team")
        make_membership(cls.empty_team, cls.former, ends_on=datetime.date(2024, 1, 1))
        cls.nobody = make_person("Not On A Team")

    def get(self):
        return self.client.get(reverse("sitemap"))

    def test_public_pages_and_nothing_else(self):
        """
        Listed: the home, archive and events pages, sent issues, every event,
        publications with a sent issue, people on a team today and their teams.
        """
        response = self.get()
        self.assertEqual(response["Content-Type"], "application/xml")
        self.assertEqual(
            set(locations(response)),
            {
                f"{SITE_URL}{path}"
                for path in (
                    "/",
                    "/issues/",
                    "/events/",
                    self.sent.get_absolute_url(),
                    self.news.get_absolute_url(),
                    self.upcoming.get_absolute_url(),
                    self.past.get_absolute_url(),
                    self.member.get_absolute_url(),
                    self.team.get_absolute_url(),
                )
            },
        )

    def test_issues_not_sent_are_not_listed(self):
        """No draft, in review or approved issue, nor a publication with only those."""
        response = self.get()
        for issue in self.unsent:
            self.assertNotIn(issue.get_absolute_url().encode(), response.content)
        self.assertNotIn(self.drafts_only.get_absolute_url().encode(), response.content)

    def test_last_modified(self):
        """An issue was last changed when it was sent; a publication at its latest."""
        found = locations(self.get())
        self.assertEqual(found[SITE_URL + self.sent.get_absolute_url()], "2024-11-14")
        self.assertEqual(found[SITE_URL + self.news.get_absolute_url()], "2024-11-14")
        self.assertEqual(
            found[SITE_URL + self.upcoming.get_absolute_url()],
            self.upcoming.updated_at.date().isoformat(),
        )

    def test_locations_use_the_site_url(self):
        """Locations are under SITE_URL, whichever host the sitemap was asked of."""
        response = self.client.get(reverse("sitemap"), HTTP_HOST="localhost")
        for location in locations(response):
            self.assertTrue(location.startswith(SITE_URL + "/"), location)

    def test_number_of_queries_does_not_grow(self):
        """Five queries, one for each kind of object, whatever their number."""
        url = reverse("sitemap")
        get_counting_queries(self, url, 5)
        for number in range(1, 5):
            publication = make_publication()
            make_issue(publication, status=Issue.Status.SENT)
            make_event(start_date=datetime.date(2024, 12, number))
            make_membership(make_team(), make_person())
        response = get_counting_queries(self, url, 5)
        self.assertEqual(len(locations(response)), 9 + 4 * 5)


@override_settings(SITE_URL=SITE_URL)
class RobotsTests(TestCase):
    def test_robots_txt_names_the_sitemap(self):
        """robots.txt keeps crawlers out of the admin and names the sitemap."""
        with self.assertNumQueries(0):
            response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn(f"Sitemap: {SITE_URL}/sitemap.xml", lines)
