import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse

from events.models import Deadline, Event
from tests.factories import make_deadline, make_event, make_superuser, make_user
from tests.utils import get_counting_queries

NOW = datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC)


def make_events_with_deadlines(count: int) -> None:
    for _ in range(count):
        event = make_event(format=Event.Format.ONLINE, location="Zoom")
        make_deadline(event)
        make_deadline(event, label="Call for papers")


@time_machine.travel(NOW, tick=False)
class EventAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.workshop = make_event(
            "Responsible research workshop",
            start_date=datetime.date(2024, 12, 3),
            format=Event.Format.IN_PERSON,
            location="The British Library, London",
        )
        make_deadline(cls.workshop, date=datetime.date(2024, 11, 29))
        cls.webinar = make_event(
            "Data sharing webinar",
            start_date=datetime.date(2024, 10, 2),
            format=Event.Format.ONLINE,
            location="Zoom",
        )

    def setUp(self):
        self.client.force_login(self.user)

    def changelist(self, **params):
        response = self.client.get(reverse("admin:events_event_changelist"), params)
        return [event.title for event in response.context["cl"].result_list]

    def test_changelist_shows_format_location_and_deadlines(self):
        response = self.client.get(reverse("admin:events_event_changelist"))
        self.assertContains(response, '<td class="field-format">In person</td>')
        self.assertContains(response, "The British Library, London")
        self.assertContains(response, '<td class="field-deadline_count">1</td>')
        self.assertContains(response, '<td class="field-deadline_count">0</td>')

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The event list runs the same number of queries for 3 events as for 30."""
        url = reverse("admin:events_event_changelist")
        make_events_with_deadlines(1)
        get_counting_queries(self, url, 7)
        make_events_with_deadlines(27)
        response = get_counting_queries(self, url, 7)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_upcoming_filter(self):
        """Upcoming events include those that have not ended yet."""
        make_event(
            "Two-week school",
            start_date=datetime.date(2024, 11, 18),
            end_date=datetime.date(2024, 11, 29),
        )
        self.assertEqual(
            sorted(self.changelist(when="upcoming")),
            ["Responsible research workshop", "Two-week school"],
        )

    def test_past_filter(self):
        self.assertEqual(self.changelist(when="past"), ["Data sharing webinar"])

    def test_format_filter(self):
        self.assertEqual(
            self.changelist(format__exact="online"), ["Data sharing webinar"]
        )

    def test_search_by_location(self):
        self.assertEqual(
            self.changelist(q="british library"), ["Responsible research workshop"]
        )

    def test_change_page_shows_deadlines(self):
        response = self.client.get(
            reverse("admin:events_event_change", args=[self.workshop.pk])
        )
        self.assertContains(response, 'value="Registration deadline"')
        self.assertContains(response, 'value="29/11/2024"')

    def test_change_page_queries_do_not_grow_with_deadlines(self):
        """An event's page runs the same number of queries with 2 deadlines as 20."""
        event = make_event()
        url = reverse("admin:events_event_change", args=[event.pk])
        for number in range(2):
            make_deadline(event, label=f"Deadline {number}")
        get_counting_queries(self, url, 5)
        for number in range(2, 20):
            make_deadline(event, label=f"Deadline {number}")
        response = get_counting_queries(self, url, 5)
        self.assertContains(response, 'value="Deadline 19"')

    def test_add_page_loads(self):
        response = self.client.get(reverse("admin:events_event_add"))
        self.assertContains(response, "Organiser and links")

    def test_adding_an_event_with_a_deadline(self):
        """An event added with a deadline stores both, and its body is sanitised."""
        response = self.client.post(
            reverse("admin:events_event_add"),
            {
                "title": "Winter school",
                "slug": "winter-school",
                "body": '<p onclick="steal()">Apply now.</p><script>x()</script>',
                "start_date": "2025-01-13",
                "time_zone": "Europe/London",
                "format": "in_person",
                "deadlines-TOTAL_FORMS": "1",
                "deadlines-INITIAL_FORMS": "0",
                "deadlines-0-label": "Application deadline",
                "deadlines-0-date": "2024-12-06",
            },
        )
        self.assertRedirects(response, reverse("admin:events_event_changelist"))
        event = Event.objects.get(slug="winter-school")
        self.assertEqual(event.body, "<p>Apply now.</p>")
        self.assertEqual(
            list(event.deadlines.values_list("label", "date")),
            [("Application deadline", datetime.date(2024, 12, 6))],
        )

    def test_javascript_registration_link_is_refused(self):
        """The page explains the error and stores nothing."""
        response = self.client.post(
            reverse("admin:events_event_add"),
            {
                "title": "Winter school",
                "slug": "winter-school",
                "start_date": "2025-01-13",
                "time_zone": "Europe/London",
                "registration_url": "javascript:alert(1)",
                "deadlines-TOTAL_FORMS": "0",
                "deadlines-INITIAL_FORMS": "0",
            },
        )
        self.assertContains(response, "Enter a full link starting with https://")
        self.assertFalse(Event.objects.filter(slug="winter-school").exists())
        self.assertFalse(Deadline.objects.filter(event__slug="winter-school").exists())

    def test_an_event_in_the_year_9999_is_refused_beside_its_date(self):
        """
        Adding an event dated 31/12/9999 says beside the date what is wrong and how
        to fix it; nothing is saved.
        """
        response = self.client.post(
            reverse("admin:events_event_add"),
            {
                "title": "Winter school",
                "slug": "winter-school",
                "start_date": "9999-12-31",
                "time_zone": "Europe/London",
                "deadlines-TOTAL_FORMS": "0",
                "deadlines-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["start_date"],
            [
                "The year 9999 is outside the dates Newsroom keeps (1990 to 2100): "
                "check the year."
            ],
        )
        self.assertFalse(Event.objects.filter(slug="winter-school").exists())

    def test_changing_an_event_to_end_in_the_year_1_is_refused(self):
        """The event keeps its dates when a change would end it in the year 1."""
        url = reverse("admin:events_event_change", args=[self.workshop.pk])
        deadline = self.workshop.deadlines.get()
        response = self.client.post(
            url,
            {
                "title": self.workshop.title,
                "slug": self.workshop.slug,
                "start_date": "2024-12-03",
                "end_date": "0001-01-01",
                "time_zone": "Europe/London",
                "deadlines-TOTAL_FORMS": "1",
                "deadlines-INITIAL_FORMS": "1",
                "deadlines-0-id": deadline.pk,
                "deadlines-0-event": self.workshop.pk,
                "deadlines-0-label": deadline.label,
                "deadlines-0-date": "2024-11-29",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "The year 1 is outside the dates Newsroom keeps",
            response.context["adminform"].form.errors["end_date"][0],
        )
        self.workshop.refresh_from_db()
        self.assertIsNone(self.workshop.end_date)

    def test_a_deadline_in_the_year_9999_is_refused_beside_it(self):
        """An event's deadline on 31/12/9999 is refused in its row; none is saved."""
        url = reverse("admin:events_event_change", args=[self.webinar.pk])
        response = self.client.post(
            url,
            {
                "title": self.webinar.title,
                "slug": self.webinar.slug,
                "start_date": "2024-10-02",
                "time_zone": "Europe/London",
                "deadlines-TOTAL_FORMS": "1",
                "deadlines-INITIAL_FORMS": "0",
                "deadlines-0-label": "Registration deadline",
                "deadlines-0-date": "9999-12-31",
            },
        )
        self.assertEqual(response.status_code, 200)
        formset = response.context["inline_admin_formsets"][0].formset
        self.assertIn(
            "The year 9999 is outside the dates Newsroom keeps",
            formset.errors[0]["date"][0],
        )
        self.assertFalse(self.webinar.deadlines.exists())

    def test_staff_without_permission_is_refused(self):
        self.client.force_login(make_user())
        response = self.client.get(
            reverse("admin:events_event_change", args=[self.workshop.pk])
        )
        self.assertEqual(response.status_code, 403)
