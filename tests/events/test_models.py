import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from events.models import Deadline, Event
from tests.factories import make_deadline, make_event


class EventConstraintTests(TestCase):
    def test_event_ending_before_it_starts_is_refused(self):
        """The database refuses an end date before the start date."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_event(
                start_date=datetime.date(2024, 11, 20),
                end_date=datetime.date(2024, 11, 19),
            )

    def test_same_day_event_ending_before_its_start_time_is_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_event(
                start_date=datetime.date(2024, 11, 20),
                start_time=datetime.time(14, 0),
                end_time=datetime.time(13, 0),
            )

    def test_overnight_event_may_end_at_an_earlier_clock_time(self):
        """A conference dinner from 19:00 to 01:00 the next day is fine."""
        event = make_event(
            start_date=datetime.date(2024, 11, 20),
            start_time=datetime.time(19, 0),
            end_date=datetime.date(2024, 11, 21),
            end_time=datetime.time(1, 0),
        )
        self.assertEqual(event.ends_at - event.starts_at, datetime.timedelta(hours=6))

    def test_end_time_needs_a_start_time(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_event(end_time=datetime.time(12, 0))

    def test_validation_explains_the_wrong_end(self):
        event = Event(
            title="Workshop",
            slug="workshop",
            start_date=datetime.date(2024, 11, 20),
            end_date=datetime.date(2024, 11, 1),
        )
        with self.assertRaises(ValidationError) as raised:
            event.full_clean()
        self.assertIn("cannot end before it starts", str(raised.exception))

    def test_unknown_time_zone_refused(self):
        event = Event(
            title="Webinar",
            slug="webinar",
            start_date=datetime.date(2024, 11, 26),
            time_zone="Mars/Olympus",
        )
        with self.assertRaises(ValidationError) as raised:
            event.full_clean()
        self.assertIn("time_zone", raised.exception.message_dict)

    def test_time_zone_that_is_a_region_or_too_long_is_refused(self):
        """“Europe” names a folder of the time zone database, not a time zone."""
        for name in ("Europe", "America/Argentina", "a" * 300):
            with self.subTest(name=name[:20]):
                event = Event(
                    title="Webinar",
                    slug="webinar",
                    start_date=datetime.date(2024, 11, 26),
                    time_zone=name,
                )
                with self.assertRaises(ValidationError) as raised:
                    event.full_clean()
                self.assertIn(
                    "is not a time zone name",
                    " ".join(raised.exception.message_dict["time_zone"]),
                )

    def test_dates_outside_the_years_kept_are_refused_by_field(self):
        """Validation names each date field holding a year Newsroom does not keep."""
        event = Event(
            title="Workshop",
            slug="workshop",
            start_date=datetime.date(1, 1, 1),
            end_date=datetime.date(9999, 12, 31),
        )
        with self.assertRaises(ValidationError) as raised:
            event.full_clean()
        errors = raised.exception.message_dict
        self.assertIn("The year 1 is outside", errors["start_date"][0])
        self.assertIn("The year 9999 is outside", errors["end_date"][0])

    def test_registration_link_must_be_http(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_event(registration_url="javascript:alert(1)")

    def test_times_are_in_the_events_time_zone(self):
        """16:00 in New York is 21:00 in London."""
        event = make_event(
            start_date=datetime.date(2024, 11, 26),
            start_time=datetime.time(16, 0),
            time_zone="America/New_York",
        )
        self.assertEqual(
            event.starts_at.astimezone(datetime.UTC),
            datetime.datetime(2024, 11, 26, 21, 0, tzinfo=datetime.UTC),
        )
        self.assertIsNone(event.ends_at)
        self.assertFalse(event.is_all_day)

    def test_default_time_zone_is_the_sites(self):
        self.assertEqual(make_event().time_zone, "Europe/London")

    def test_str_and_url(self):
        event = make_event("Statistical Methods Webinar")
        self.assertEqual(str(event), "Statistical Methods Webinar (20 Nov 2024)")
        self.assertEqual(
            event.get_absolute_url(), "/events/statistical-methods-webinar/"
        )


class EventQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yesterday = make_event("Yesterday", start_date=datetime.date(2024, 11, 19))
        cls.today = make_event("Today", start_date=datetime.date(2024, 11, 20))
        cls.running = make_event(
            "Running",
            start_date=datetime.date(2024, 11, 1),
            end_date=datetime.date(2024, 11, 30),
        )
        cls.later = make_event("Later", start_date=datetime.date(2025, 1, 27))

    def test_upcoming_includes_today_and_events_still_running(self):
        today = datetime.date(2024, 11, 20)
        self.assertEqual(
            list(Event.objects.upcoming(today)), [self.running, self.today, self.later]
        )

    def test_past_is_what_has_ended(self):
        today = datetime.date(2024, 11, 20)
        self.assertEqual(list(Event.objects.past(today)), [self.yesterday])


class DeadlineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event(
            "Data Study Group", start_date=datetime.date(2025, 1, 27)
        )
        cls.closed = make_deadline(
            cls.event, label="Expression of interest", date=datetime.date(2024, 11, 1)
        )
        cls.applications = make_deadline(
            cls.event, label="Application deadline", date=datetime.date(2024, 11, 20)
        )

    def test_open_deadlines_include_the_day_itself(self):
        self.assertEqual(
            list(Deadline.objects.open(datetime.date(2024, 11, 20))),
            [self.applications],
        )

    def test_deadline_needs_a_label(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Deadline.objects.create(
                event=self.event, label="", date=datetime.date(2024, 12, 1)
            )

    def test_same_deadline_twice_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_deadline(
                self.event,
                label="Application deadline",
                date=datetime.date(2024, 11, 20),
            )

    def test_deadline_in_a_year_not_kept_is_refused(self):
        deadline = Deadline(
            event=self.event, label="Abstracts", date=datetime.date(9999, 12, 31)
        )
        with self.assertRaises(ValidationError) as raised:
            deadline.full_clean()
        self.assertIn("check the year", raised.exception.message_dict["date"][0])

    def test_str_and_url(self):
        self.assertEqual(
            str(self.applications), "Application deadline: 20 November 2024"
        )
        self.assertEqual(
            self.applications.get_absolute_url(),
            f"/events/data-study-group/#deadline-{self.applications.pk}",
        )
