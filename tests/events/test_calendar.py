import datetime
import zoneinfo

import icalendar
import time_machine
from django.test import TestCase, override_settings
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_publication,
)
from tests.utils import get_counting_queries

NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SITE_URL = "https://news.example.org"
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
@override_settings(SITE_URL=SITE_URL)
class UpcomingCalendarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.webinar = make_event(
            "Statistical Methods for Health Equity",
            start_date=datetime.date(2024, 11, 26),
            start_time=datetime.time(10, 0),
            end_time=datetime.time(11, 30),
            time_zone="America/New_York",
            location="Online, Zoom",
            summary="A webinar on fairness",
            body='<p>Talks &amp; a panel. <a href="https://example.org/agenda">'
            "Agenda</a></p>",
            registration_url="https://example.org/register",
        )
        cls.study_group = make_event(
            "Data Study Group",
            start_date=datetime.date(2024, 11, 18),
            end_date=datetime.date(2024, 11, 22),
            location="London",
        )
        cls.running = make_event(
            "Winter School",
            start_date=datetime.date(2024, 11, 4),
            end_date=datetime.date(2024, 11, 15),
        )
        cls.past = make_event("Omics Meeting", start_date=datetime.date(2024, 10, 2))
        cls.past_deadline = make_deadline(
            cls.past, label="Abstracts", date=datetime.date(2024, 9, 1)
        )
        cls.open_deadline = make_deadline(
            cls.study_group,
            label="Application deadline",
            date=datetime.date(2024, 11, 12),
        )
        cls.closed_deadline = make_deadline(
            cls.study_group,
            label="Call for challenges",
            date=datetime.date(2024, 11, 1),
        )

        publication = make_publication("Partnership News")
        cls.sent_issue = make_issue(
            publication,
            month=11,
            status=Issue.Status.SENT,
            sent_at=datetime.datetime(2024, 11, 5, 9, 0, tzinfo=datetime.UTC),
        )
        cls.sent_item = make_item(
            cls.sent_issue,
            title="Seed funding",
            body="<p>Apply for up to £5,000.</p>",
            deadline=datetime.date(2024, 12, 6),
            deadline_label="Applications close",
        )
        cls.sent_item_closed = make_item(
            cls.sent_issue,
            section=cls.sent_item.section,
            title="Last call",
            deadline=datetime.date(2024, 11, 1),
        )
        # The same deadline as the event's own: listed once, as the event's.
        cls.sent_item_repeat = make_item(
            cls.sent_issue,
            section=cls.sent_item.section,
            title="Data Study Group: apply now",
            event=cls.study_group,
            deadline=cls.open_deadline.date,
            deadline_label=cls.open_deadline.label,
        )
        cls.hidden_items = [
            make_item(None, title="Unsent inbox item", deadline=NOW.date())
        ]
        for month, status in enumerate(NOT_SENT, start=1):
            issue = make_issue(publication, month=month, status=status)
            cls.hidden_items.append(
                make_item(
                    issue,
                    title=f"Unsent item ({status})",
                    deadline=datetime.date(2024, 12, 1),
                )
            )

    def get(self):
        return self.client.get(reverse("events:calendar"))

    def test_served_as_an_icalendar_file(self):
        """The calendar is text/calendar in UTF-8, with a file name to save it as."""
        response = self.get()
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="events.ics"'
        )
        calendar = parse(response)
        self.assertEqual(calendar["VERSION"], "2.0")
        self.assertEqual(calendar["PRODID"], "-//Newsroom//Events and deadlines//EN")

    def test_every_upcoming_event_and_deadline_and_nothing_else(self):
        """
        Events not yet over, open deadlines of events and open deadlines of items in
        sent issues are all there; past events, closed deadlines and the deadlines of
        inbox items and of issues not sent are not.
        """
        uids = set(by_uid(parse(self.get())))
        self.assertEqual(
            uids,
            {
                f"event-{self.webinar.pk}@news.example.org",
                f"event-{self.study_group.pk}@news.example.org",
                f"event-{self.running.pk}@news.example.org",
                f"deadline-{self.open_deadline.pk}@news.example.org",
                f"item-deadline-{self.sent_item.pk}@news.example.org",
            },
        )

    def test_nothing_from_issues_not_sent(self):
        """No inbox item, and no item of a draft, in review or approved issue."""
        content = self.get().content.decode()
        self.assertNotIn("Unsent", content)
        for item in self.hidden_items:
            self.assertNotIn(f"item-deadline-{item.pk}@", content)

    def test_timed_event_in_its_own_time_zone(self):
        """A timed event keeps its times with the TZID of its zone, and a VTIMEZONE."""
        calendar = parse(self.get())
        event = by_uid(calendar)[f"event-{self.webinar.pk}@news.example.org"]
        self.assertEqual(event["DTSTART"].params["TZID"], "America/New_York")
        self.assertEqual(
            event.start, datetime.datetime(2024, 11, 26, 10, 0, tzinfo=NEW_YORK)
        )
        self.assertEqual(
            event.start, datetime.datetime(2024, 11, 26, 15, 0, tzinfo=datetime.UTC)
        )
        self.assertEqual(
            event.end, datetime.datetime(2024, 11, 26, 16, 30, tzinfo=datetime.UTC)
        )
        self.assertEqual(
            [timezone.tz_name for timezone in calendar.timezones], ["America/New_York"]
        )
        self.assertEqual(calendar.get_missing_tzids(), set())
        self.assertEqual(event["LOCATION"], "Online, Zoom")
        self.assertEqual(event["SUMMARY"], "Statistical Methods for Health Equity")
        self.assertEqual(event["URL"], SITE_URL + self.webinar.get_absolute_url())

    def test_all_day_event_over_several_days(self):
        """An all-day event is dates only, ending the day after its last day."""
        event = by_uid(parse(self.get()))[
            f"event-{self.study_group.pk}@news.example.org"
        ]
        self.assertEqual(event["DTSTART"].params.get("VALUE"), "DATE")
        self.assertEqual(event.start, datetime.date(2024, 11, 18))
        self.assertNotIsInstance(event.start, datetime.datetime)
        self.assertEqual(event.end, datetime.date(2024, 11, 23))
        self.assertNotIsInstance(event.end, datetime.datetime)

    def test_event_deadline(self):
        """An event's deadline is an all-day entry named after it and its event."""
        deadline = by_uid(parse(self.get()))[
            f"deadline-{self.open_deadline.pk}@news.example.org"
        ]
        self.assertEqual(deadline["SUMMARY"], "Application deadline: Data Study Group")
        self.assertEqual(deadline.start, datetime.date(2024, 11, 12))
        self.assertEqual(deadline.end, datetime.date(2024, 11, 13))
        self.assertEqual(deadline["TRANSP"], "TRANSPARENT")
        self.assertEqual(
            deadline["URL"], SITE_URL + self.open_deadline.get_absolute_url()
        )

    def test_item_deadline_links_to_the_item(self):
        """An item's deadline links to the item on its issue's public page."""
        deadline = by_uid(parse(self.get()))[
            f"item-deadline-{self.sent_item.pk}@news.example.org"
        ]
        self.assertEqual(deadline["SUMMARY"], "Applications close: Seed funding")
        self.assertEqual(deadline.start, datetime.date(2024, 12, 6))
        self.assertEqual(deadline.end, datetime.date(2024, 12, 7))
        permalink = f"{SITE_URL}{self.sent_issue.get_absolute_url()}#item-"
        self.assertEqual(deadline["URL"], f"{permalink}{self.sent_item.pk}")
        self.assertIn("Apply for up to £5,000.", deadline["DESCRIPTION"])

    def test_descriptions_are_plain_text(self):
        """Descriptions carry no HTML; links in rich text are spelled out."""
        event = by_uid(parse(self.get()))[f"event-{self.webinar.pk}@news.example.org"]
        description = str(event["DESCRIPTION"])
        self.assertNotIn("<", description)
        self.assertIn(
            "Talks & a panel. Agenda (https://example.org/agenda)", description
        )
        self.assertIn("Register: https://example.org/register", description)
        self.assertTrue(description.startswith("A webinar on fairness\n\nTalks"))

    def test_rich_text_keeps_its_paragraphs_and_lists(self):
        """A body's paragraphs and lists stay apart; a link shown as is is not."""
        self.webinar.body = (
            '<p>See <a href="https://example.org/agenda">https://example.org/agenda'
            "</a>.</p><ul><li>Talks</li><li>A panel</li></ul>"
        )
        self.webinar.save()
        event = by_uid(parse(self.get()))[f"event-{self.webinar.pk}@news.example.org"]
        self.assertIn(
            "See https://example.org/agenda.\n\n- Talks\n- A panel\n\n",
            str(event["DESCRIPTION"]),
        )

    def test_summary_said_once(self):
        """A summary that opens the body is not repeated before it."""
        self.webinar.summary = "Talks & a panel."
        self.webinar.save()
        event = by_uid(parse(self.get()))[f"event-{self.webinar.pk}@news.example.org"]
        self.assertEqual(str(event["DESCRIPTION"]).count("Talks & a panel."), 1)

    def test_every_entry_has_what_rfc_5545_requires(self):
        """Each entry has a UID, a DTSTAMP in UTC and a start."""
        for event in parse(self.get()).walk("VEVENT"):
            with self.subTest(event["UID"]):
                self.assertTrue(event["DTSTAMP"].to_ical().endswith(b"Z"))
                self.assertIn("DTSTART", event)

    def test_number_of_queries_does_not_grow(self):
        """Three queries, however many events, deadlines and items there are."""
        url = reverse("events:calendar")
        get_counting_queries(self, url, 3)
        for number in range(5):
            event = make_event(
                start_date=datetime.date(2024, 12, 1 + number),
                start_time=datetime.time(9, 0),
                time_zone="Asia/Tokyo" if number % 2 else "Europe/Paris",
            )
            make_deadline(event, date=datetime.date(2024, 11, 20))
            make_item(
                self.sent_issue,
                section=self.sent_item.section,
                deadline=datetime.date(2024, 12, 1),
            )
        response = get_counting_queries(self, url, 3)
        self.assertEqual(len(by_uid(parse(response))), 5 + 3 * 5)


@time_machine.travel(NOW, tick=False)
@override_settings(SITE_URL=SITE_URL)
class EventCalendarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event(
            "Clinical AI Symposium",
            start_date=datetime.date(2024, 11, 20),
            start_time=datetime.time(9, 30),
            end_date=datetime.date(2024, 11, 21),
            time_zone="Europe/London",
        )
        cls.passed = make_deadline(
            cls.event, label="Call for posters", date=datetime.date(2024, 11, 1)
        )
        cls.open = make_deadline(
            cls.event, label="Registration deadline", date=datetime.date(2024, 11, 15)
        )
        cls.other = make_event("Other event", start_date=datetime.date(2024, 11, 22))
        make_deadline(cls.other)

    def get(self, event):
        return self.client.get(
            reverse("events:event_calendar", kwargs={"slug": event.slug})
        )

    def test_the_event_and_all_its_deadlines(self):
        """One event with every deadline, passed or not, and nothing else."""
        response = self.get(self.event)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="clinical-ai-symposium.ics"',
        )
        self.assertEqual(
            set(by_uid(parse(response))),
            {
                f"event-{self.event.pk}@news.example.org",
                f"deadline-{self.passed.pk}@news.example.org",
                f"deadline-{self.open.pk}@news.example.org",
            },
        )

    def test_timed_event_over_several_days_without_an_end_time(self):
        """With no end time, a timed event runs to the end of its last day."""
        calendar = parse(self.get(self.event))
        event = by_uid(calendar)[f"event-{self.event.pk}@news.example.org"]
        london = zoneinfo.ZoneInfo("Europe/London")
        self.assertEqual(
            event.start, datetime.datetime(2024, 11, 20, 9, 30, tzinfo=london)
        )
        self.assertEqual(
            event.end, datetime.datetime(2024, 11, 22, 0, 0, tzinfo=london)
        )
        self.assertEqual(calendar.get_missing_tzids(), set())

    def test_timed_event_on_one_day_without_an_end_time(self):
        """With no end time on a single day, DTEND is left out (RFC 5545 3.6.1)."""
        event = make_event(
            "Drop-in",
            start_date=datetime.date(2024, 12, 2),
            start_time=datetime.time(14),
        )
        entry = by_uid(parse(self.get(event)))[f"event-{event.pk}@news.example.org"]
        self.assertNotIn("DTEND", entry)

    def test_past_events_keep_their_calendar(self):
        """A past event's page is public, and so is its calendar."""
        past = make_event("Old meeting", start_date=datetime.date(2023, 5, 1))
        self.assertEqual(self.get(past).status_code, 200)

    def test_unknown_event(self):
        """The calendar of an event that does not exist is a 404."""
        response = self.client.get(
            reverse("events:event_calendar", kwargs={"slug": "no-such-event"})
        )
        self.assertEqual(response.status_code, 404)

    def test_number_of_queries_does_not_grow(self):
        """Two queries, however many deadlines the event has."""
        url = reverse("events:event_calendar", kwargs={"slug": self.event.slug})
        get_counting_queries(self, url, 2)
        for day in range(1, 6):
            make_deadline(
                self.event, label=f"Round {day}", date=datetime.date(2024, 10, day)
            )
        response = get_counting_queries(self, url, 2)
        self.assertEqual(len(by_uid(parse(response))), 1 + 2 + 5)


@time_machine.travel(NOW, tick=False)
class CalendarLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event("Summit", start_date=datetime.date(2024, 11, 20))

    @override_settings(SITE_URL=SITE_URL)
    def test_events_page_offers_the_subscription(self):
        """The events page links to the calendar, as webcal:// and as its address."""
        response = self.client.get(reverse("events:list"))
        self.assertContains(
            response, 'href="webcal://news.example.org/events/calendar.ics"'
        )
        self.assertContains(response, "Subscribe to the calendar")
        self.assertContains(response, f'href="{reverse("events:calendar")}"')

    def test_event_page_offers_its_calendar(self):
        """An event page links to the calendar file of that event."""
        response = self.client.get(self.event.get_absolute_url())
        url = reverse("events:event_calendar", kwargs={"slug": self.event.slug})
        self.assertContains(response, f'href="{url}"')
        self.assertContains(response, "Add to calendar")

    def test_every_page_announces_the_calendar(self):
        """The calendar is announced in the head of every page."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            '<link rel="alternate" type="text/calendar" title="Events and deadlines" '
            f'href="{reverse("events:calendar")}">',
            html=True,
        )
