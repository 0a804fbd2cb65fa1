import datetime

from django.core.cache import caches
from django.test import TestCase, override_settings
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    make_issue,
    make_publication,
)
from tests.utils import REAL_PAGES_CACHE

NOW = datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC)
SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


class ArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.partnership = make_publication("Partnership News")
        cls.bulletin = make_publication("Bulletin")
        cls.november = make_issue(
            cls.partnership,
            status=Issue.Status.SENT,
            sent_at=SENT_AT,
            preheader="Data study groups, internships and events",
        )
        cls.bulletin_november = make_issue(cls.bulletin, status=Issue.Status.SENT)
        cls.december_2023 = make_issue(
            cls.partnership, year=2023, month=12, status=Issue.Status.SENT
        )
        for month, status in enumerate(NOT_SENT, start=1):
            make_issue(cls.partnership, month=month, status=status, title="Unsent")

    def test_sent_issues_grouped_by_year_newest_first(self):
        """Sent issues of all publications are listed by year, newest first."""
        response = self.client.get(reverse("issues:archive"))
        content = response.content.decode()
        self.assertContains(response, '<h2 id="year-2024">2024</h2>', html=True)
        self.assertContains(response, '<h2 id="year-2023">2023</h2>', html=True)
        in_order = [
            "2024</h2>",
            "Bulletin: November 2024",
            "Partnership News: November 2024",
            "2023</h2>",
            "Partnership News: December 2023",
        ]
        positions = [content.index(text) for text in in_order]
        self.assertEqual(positions, sorted(positions))

    def test_issue_links_date_and_preheader(self):
        """Each issue links to its page and gives its sending date and preheader."""
        response = self.client.get(reverse("issues:archive"))
        self.assertContains(response, f'href="{self.november.get_absolute_url()}"')
        self.assertContains(
            response, '<time datetime="2024-11-14">14 November 2024</time>'
        )
        self.assertContains(response, "Data study groups, internships and events")

    def test_issues_not_sent_are_not_listed(self):
        """Draft, in review and approved issues are absent from the archive."""
        response = self.client.get(reverse("issues:archive"))
        self.assertNotContains(response, "Unsent")
        self.assertContains(response, 'class="issue-list"', count=2)

    def test_empty_archive(self):
        """With nothing sent yet, the archive says so."""
        Issue.objects.filter(status=Issue.Status.SENT).delete()
        response = self.client.get(reverse("issues:archive"))
        self.assertContains(response, "No issues have been sent yet.")
        self.assertNotContains(response, "<h2")


class ArchiveQueryTests(TestCase):
    def make_sent_issues(self, count):
        publications = [make_publication() for _ in range(3)]
        for number in range(count):
            year, month = divmod(number, 12)
            make_issue(
                publications[number % 3],
                year=2024 - year,
                month=month + 1,
                status=Issue.Status.SENT,
            )

    def test_query_count_does_not_grow_with_the_archive(self):
        """The archive runs two queries, for three sent issues or thirty."""
        for count in (3, 30):
            with self.subTest(issues=count):
                Issue.objects.all().delete()
                self.make_sent_issues(count)
                with self.assertNumQueries(2):
                    response = self.client.get(reverse("issues:archive"))
                self.assertContains(response, "Sent on", count=count)

    @override_settings(CACHES=REAL_PAGES_CACHE)
    def test_cached_until_an_issue_is_sent_or_changed(self):
        """Served again, the archive runs one query, and shows a new issue at once."""
        caches["pages"].clear()
        self.make_sent_issues(3)
        first = self.client.get(reverse("issues:archive"))
        with self.assertNumQueries(1):
            again = self.client.get(reverse("issues:archive"))
        self.assertEqual(again.content, first.content)
        make_issue(year=2030, month=1, status=Issue.Status.SENT, title="Just sent")
        self.assertContains(self.client.get(reverse("issues:archive")), "Just sent")
        Issue.objects.get(title="Just sent").delete()
        self.assertNotContains(self.client.get(reverse("issues:archive")), "Just sent")


class PublicationPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication(
            "Partnership News",
            intro="<p>A <strong>five-year</strong> collaboration.</p>",
            signup_url="https://example.org/sign-up",
        )
        cls.sent = make_issue(
            cls.publication, status=Issue.Status.SENT, title="The November issue"
        )
        for month, status in enumerate(NOT_SENT, start=1):
            make_issue(cls.publication, month=month, status=status, title="Unsent")
        make_issue(make_publication(), status=Issue.Status.SENT, title="Someone else's")
        cls.url = cls.publication.get_absolute_url()

    def test_shows_intro_sign_up_and_sent_issues(self):
        """The publication page gives its intro, sign-up link and sent issues."""
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Partnership News</h1>", html=True)
        self.assertContains(
            response, "<p>A <strong>five-year</strong> collaboration.</p>"
        )
        self.assertContains(response, 'href="https://example.org/sign-up"')
        self.assertContains(
            response,
            f'<a href="{self.sent.get_absolute_url()}">The November issue</a>',
            html=True,
        )

    def test_lists_only_its_own_sent_issues(self):
        """Unsent issues and other publications' issues are not listed."""
        response = self.client.get(self.url)
        self.assertNotContains(response, "Unsent")
        self.assertNotContains(response, "Someone else")

    def test_without_sent_issues(self):
        """A publication with nothing sent yet says so."""
        response = self.client.get(make_publication().get_absolute_url())
        self.assertContains(response, "No issues have been sent yet.")

    def test_unknown_publication_is_404(self):
        """A slug that matches no publication is a 404."""
        url = reverse("issues:publication", kwargs={"slug": "nobody"})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_name_is_escaped(self):
        """The publication's name is shown as text."""
        publication = make_publication("<script>alert(1)</script>")
        response = self.client.get(publication.get_absolute_url())
        self.assertNotContains(response, "<script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_query_count_does_not_grow_with_the_publication(self):
        """The publication page runs two queries, for three sent issues or thirty."""
        for count in (3, 30):
            with self.subTest(issues=count):
                publication = make_publication()
                for number in range(count):
                    year, month = divmod(number, 12)
                    make_issue(
                        publication,
                        year=2024 - year,
                        month=month + 1,
                        status=Issue.Status.SENT,
                    )
                with self.assertNumQueries(2):
                    response = self.client.get(publication.get_absolute_url())
                self.assertContains(response, "Sent on", count=count)
