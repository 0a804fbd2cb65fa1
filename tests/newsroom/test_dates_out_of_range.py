"""
Rows saved before dates were held to the years Newsroom keeps (written here straight
to the database, past validation) on 31 December 9999 and 1 January 1: every page
still answers, and the calendars leave those rows out and serve the rest.
"""

import datetime

import icalendar
import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse

from events.models import Deadline
from issues.editorial.sending import mark_sent
from issues.models import MailerProfile, Suggestion
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_superuser,
)

NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)
LAST = datetime.date(9999, 12, 31)
FIRST = datetime.date(1, 1, 1)
HOST = "news.example.org"


def uids(response) -> set[str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
@override_settings(SITE_URL=f"https://{HOST}")
class DatesOutOfRangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        MailerProfile.objects.update(is_active=False)
        cls.admin = make_superuser()
        # What the calendars should still carry.
        cls.study_group = make_event(
            "Data Study Group", start_date=datetime.date(2024, 11, 18)
        )
        cls.webinar = make_event(
            "Health equity webinar",
            start_date=datetime.date(2024, 11, 26),
            start_time=datetime.time(10, 0),
            time_zone="America/New_York",
        )
        cls.winter_school = make_event(
            "Winter school", start_date=datetime.date(2024, 12, 9)
        )
        cls.open_deadline = Deadline.objects.create(
            event=cls.study_group,
            label="Applications",
            date=datetime.date(2024, 11, 15),
        )
        # What was saved before the check.
        cls.placeholder = make_event("Placeholder event", start_date=LAST)
        cls.late_night = make_event(
            "Last night of time",
            start_date=LAST,
            start_time=datetime.time(23, 30),
            time_zone="America/New_York",
        )
        cls.since_ever = make_event(
            "Open since ever",
            start_date=FIRST,
            start_time=datetime.time(10, 0),
            end_date=datetime.date(2024, 12, 1),
            time_zone="Asia/Tokyo",
        )
        cls.far_deadline = Deadline.objects.create(
            event=cls.study_group, label="Late entries", date=LAST
        )
        cls.first_deadline = Deadline.objects.create(
            event=cls.webinar, label="Abstracts", date=FIRST
        )
        publication = make_publication("Partnership News")
        cls.sent_issue = make_issue(publication, month=11, planned_send_date=LAST)
        cls.open_item = make_item(
            cls.sent_issue,
            title="Seed funding",
            deadline=datetime.date(2024, 12, 6),
            deadline_label="Applications close",
        )
        cls.far_item = make_item(
            cls.sent_issue,
            section=cls.open_item.section,
            title="Fellowships",
            deadline=LAST,
            deadline_label="Applications close",
            event=cls.placeholder,
        )
        mark_sent(issue=cls.sent_issue)
        cls.draft = make_issue(publication, month=12, planned_send_date=LAST)
        make_item(cls.draft, title="Someday", deadline=FIRST, deadline_label="Closed")
        Suggestion.objects.create(
            title="A far workshop",
            summary="<p>Come along.</p>",
            deadline=LAST,
            event_date=FIRST,
            contact_name="Ada Lovelace",
            contact_email="ada@example.org",
            consent=True,
        )

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_site_calendar_leaves_them_out_and_serves_the_rest(self):
        """Events, deadlines and item deadlines in range are there; far ones not."""
        response = self.get(reverse("events:calendar"))
        self.assertEqual(
            uids(response),
            {
                f"event-{self.study_group.pk}@{HOST}",
                f"event-{self.webinar.pk}@{HOST}",
                f"event-{self.winter_school.pk}@{HOST}",
                f"deadline-{self.open_deadline.pk}@{HOST}",
                f"item-deadline-{self.open_item.pk}@{HOST}",
            },
        )

    def test_an_events_calendar_leaves_out_its_far_deadlines(self):
        """An event's own calendar keeps it and its deadlines in range."""
        for event, expected in [
            (self.study_group, {self.open_deadline}),
            (self.webinar, set()),
        ]:
            with self.subTest(event=event.title):
                response = self.get(reverse("events:event_calendar", args=[event.slug]))
                self.assertEqual(
                    uids(response),
                    {f"event-{event.pk}@{HOST}"}
                    | {f"deadline-{deadline.pk}@{HOST}" for deadline in expected},
                )

    def test_a_far_events_calendar_answers_without_it(self):
        """The calendar of an event dated out of range is served, empty."""
        for event in (self.placeholder, self.late_night, self.since_ever):
            with self.subTest(event=event.title):
                response = self.get(reverse("events:event_calendar", args=[event.slug]))
                self.assertEqual(uids(response), set())

    def test_public_pages_show_them(self):
        """The events page, each event's page, the home and issue pages answer."""
        events = self.get(reverse("events:list"))
        for event in (self.study_group, self.placeholder, self.since_ever):
            self.assertContains(events, event.title)
        for event in (self.placeholder, self.late_night, self.since_ever):
            self.assertContains(self.get(event.get_absolute_url()), event.title)
        self.assertContains(self.get(reverse("home")), "Data Study Group")
        issue_page = self.get(self.sent_issue.get_absolute_url())
        self.assertContains(issue_page, "Fellowships")
        self.assertContains(issue_page, "31 December 9999")

    def test_admin_lists_show_them(self):
        """The admin's lists and an issue's pages answer, with the far rows."""
        self.client.force_login(self.admin)
        pages = {
            reverse("admin:events_event_changelist"): "Placeholder event",
            reverse("admin:issues_item_changelist"): "Fellowships",
            reverse("admin:issues_issue_changelist"): "Partnership News",
            reverse("admin:issues_suggestion_changelist"): "A far workshop",
            reverse("admin:issues_issue_change", args=[self.draft.pk]): "Someday",
            reverse("admin:events_event_change", args=[self.placeholder.pk]): (
                "Placeholder event"
            ),
        }
        for url, shown in pages.items():
            with self.subTest(url=url):
                self.assertContains(self.get(url), shown)

    def test_pulling_in_events_for_an_issue_planned_in_9999(self):
        """The issue's events are those of its month, as if it had no planned date."""
        self.client.force_login(self.admin)
        response = self.get(
            reverse("admin:issues_issue_add_events", args=[self.draft.pk])
        )
        self.assertContains(response, "Winter school")
        self.assertNotContains(response, "Data Study Group")

    def test_event_list_by_far_years_goes_back_to_the_whole_list(self):
        """
        The date hierarchy's years 9999 and 1, or a month or day in them, lead back to
        the whole list instead of failing: Django would look up the day after.
        """
        self.client.force_login(self.admin)
        url = reverse("admin:events_event_changelist")
        for params in [
            {"start_date__year": "9999"},
            {"start_date__year": "9999", "start_date__month": "12"},
            {
                "start_date__year": "9999",
                "start_date__month": "12",
                "start_date__day": "31",
            },
            {"start_date__year": "1"},
        ]:
            with self.subTest(params=params):
                response = self.client.get(url, params)
                self.assertRedirects(response, f"{url}?e=1")
        in_range = self.get(f"{url}?start_date__year=2024")
        self.assertContains(in_range, "Data Study Group")
        self.assertNotContains(in_range, "Placeholder event")

    def test_other_lists_by_year_9999_go_back_to_the_whole_list(self):
        """The errata and suggestions, listed by a year typed in, never fail."""
        self.client.force_login(self.admin)
        for url, params in [
            (reverse("admin:issues_erratum_changelist"), "published_at__year=9999"),
            (reverse("admin:issues_suggestion_changelist"), "created_at__year=9999"),
        ]:
            with self.subTest(url=url):
                response = self.client.get(f"{url}?{params}")
                self.assertRedirects(response, f"{url}?e=1")
