import datetime

import time_machine
from django.templatetags.static import static
from django.test import TestCase
from django.urls import reverse

from events.models import Event
from issues.models import Issue
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
)

TODAY = datetime.date(2024, 11, 10)
NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("Partnership News")
        cls.issue = make_issue(
            publication,
            month=10,
            status=Issue.Status.SENT,
            sent_at=datetime.datetime(2024, 10, 16, 9, 0, tzinfo=datetime.UTC),
        )
        for month, status in enumerate(Issue.Status, start=1):
            if status != Issue.Status.SENT:
                make_issue(publication, month=month, status=status, title="Unsent")
        cls.event = make_event(
            "Statistical Methods for Health Equity",
            start_date=datetime.date(2024, 11, 26),
            location="Online",
        )
        make_event("Last month's webinar", start_date=datetime.date(2024, 10, 1))

    def test_latest_sent_issues(self):
        """The home page links to the latest sent issues with their sending date."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            f'<a href="{self.issue.get_absolute_url()}">'
            "Partnership News: October 2024</a>",
            html=True,
        )
        self.assertContains(
            response, '<time datetime="2024-10-16">16 October 2024</time>'
        )
        self.assertNotContains(response, "No issues have been sent yet.")

    def test_issues_not_sent_are_not_listed(self):
        """Draft, in review and approved issues are absent from the home page."""
        response = self.client.get(reverse("home"))
        self.assertNotContains(response, "Unsent")

    def test_upcoming_events(self):
        """Upcoming events are listed with their date and place; past ones are not."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            f'<a href="{self.event.get_absolute_url()}">'
            "Statistical Methods for Health Equity</a>",
            html=True,
        )
        self.assertContains(
            response, '<time datetime="2024-11-26">26 November 2024</time>'
        )
        self.assertContains(response, '<span class="meta">Online</span>', html=True)
        self.assertNotContains(response, "Last month")
        self.assertNotContains(response, "No upcoming events.")

    def test_empty_states(self):
        """With nothing sent and nothing coming, the home page says so."""
        Issue.objects.all().delete()
        Event.objects.all().delete()
        response = self.client.get(reverse("home"))
        self.assertContains(response, "No issues have been sent yet.")
        self.assertContains(response, "No upcoming events.")

    def test_query_count_does_not_grow(self):
        """The home page runs five queries, however many issues and events there are."""
        for extra, listed in ((0, 1), (20, 5)):
            with self.subTest(extra=extra):
                publication = make_publication()
                for number in range(extra):
                    year, month = divmod(number, 12)
                    make_issue(
                        publication,
                        year=2023 - year,
                        month=month + 1,
                        status=Issue.Status.SENT,
                    )
                    make_event(start_date=TODAY + datetime.timedelta(days=number))
                    make_deadline(Event.objects.latest("pk"))
                with self.assertNumQueries(5):
                    response = self.client.get(reverse("home"))
                self.assertContains(response, "Sent on", count=listed)


@time_machine.travel(NOW, tick=False)
class HomePageLatestIssueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("Partnership News")
        section = make_section(publication)
        cls.october = make_issue(publication, month=10, status=Issue.Status.SENT)
        cls.november = make_issue(
            publication,
            status=Issue.Status.SENT,
            sent_at=datetime.datetime(2024, 11, 6, 9, 0, tzinfo=datetime.UTC),
            preheader="Study groups, internships and a workshop",
        )
        for position, title in enumerate(["Study group", "Internship", "Workshop"]):
            make_item(cls.november, section, position=position, title=title)
        make_item(cls.november, section, position=9, title="Fourth item")
        draft = make_issue(publication, month=12, title="Unsent December")
        cls.event = make_event("Omics Meeting", start_date=datetime.date(2024, 12, 5))
        make_deadline(cls.event, label="Posters", date=datetime.date(2024, 11, 20))
        make_deadline(cls.event, label="Passed", date=datetime.date(2024, 11, 1))
        cls.item = make_item(
            cls.october,
            section,
            title="Fellowships",
            deadline=datetime.date(2024, 11, 12),
            deadline_label="Applications close",
        )
        make_item(
            draft,
            section,
            title="Secret prize",
            deadline=datetime.date(2024, 11, 11),
        )
        make_item(None, None, title="Inbox grant", deadline=datetime.date(2024, 11, 11))

    def test_latest_issue_with_its_preheader_and_first_items(self):
        """The latest sent issue leads, with its preheader and first three items."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            f'<h3><a href="{self.november.get_absolute_url()}">'
            "Partnership News: November 2024</a></h3>",
            html=True,
        )
        self.assertContains(response, "Study groups, internships and a workshop")
        self.assertContains(
            response,
            "<ul><li>Study group</li><li>Internship</li><li>Workshop</li></ul>",
            html=True,
        )
        self.assertNotContains(response, "Fourth item")
        self.assertContains(response, "Earlier issues")
        self.assertContains(response, f'href="{self.october.get_absolute_url()}"')
        self.assertNotContains(response, "Unsent December")

    def test_deadlines_closing_soon_soonest_first(self):
        """Open deadlines of events and of sent items are listed, soonest first."""
        response = self.client.get(reverse("home"))
        content = response.content.decode()
        self.assertContains(
            response,
            f'<li><a href="{self.item.get_absolute_url()}">Fellowships</a>: '
            'Applications close, <time datetime="2024-11-12">12 November 2024</time>'
            "</li>",
            html=True,
        )
        self.assertContains(response, "Omics Meeting</a>: Posters")
        self.assertLess(content.index("Fellowships"), content.index("Posters"))
        self.assertNotContains(response, "Passed")

    def test_deadlines_of_unsent_issues_and_the_inbox_are_not_shown(self):
        """A deadline in an issue not sent, or in the inbox, is not listed."""
        response = self.client.get(reverse("home"))
        self.assertNotContains(response, "Secret prize")
        self.assertNotContains(response, "Inbox grant")

    def test_no_open_deadline(self):
        """With no deadline open, the home page says so."""
        with time_machine.travel(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)):
            response = self.client.get(reverse("home"))
        self.assertContains(response, "No deadlines are open at the moment.")


class LayoutTests(TestCase):
    def test_language_landmarks_and_skip_link(self):
        """Every page is British English, with landmarks and a link to skip to them."""
        response = self.client.get(reverse("home"))
        self.assertContains(response, '<html lang="en-GB">')
        self.assertContains(
            response, '<a class="skip-link" href="#content">Skip to content</a>'
        )
        self.assertContains(response, '<main id="content"')
        self.assertContains(response, '<header class="site-header">')
        self.assertContains(response, '<footer class="site-footer">')
        self.assertContains(
            response,
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
        )

    def test_navigation_marks_the_current_page(self):
        """The navigation links to Home, Archive and Events, marking where we are."""
        response = self.client.get(reverse("issues:archive"))
        self.assertContains(
            response, f'<a href="{reverse("home")}">Home</a>', html=True
        )
        self.assertContains(
            response,
            f'<a href="{reverse("issues:archive")}" aria-current="page">Archive</a>',
            html=True,
        )
        self.assertContains(
            response, f'<a href="{reverse("events:list")}">Events</a>', html=True
        )

    def test_stylesheet_is_served_locally(self):
        """The one stylesheet comes from static files, and no script is loaded."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            f'<link rel="stylesheet" href="{static("newsroom/site.css")}">',
        )
        self.assertContains(response, 'rel="stylesheet"', count=1)
        self.assertNotContains(response, "<script")

    def test_page_not_found(self):
        """An unknown address gets the site's own 404 page, with a way back."""
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(
            response, f'href="{reverse("issues:archive")}"', status_code=404
        )
