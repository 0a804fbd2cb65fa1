import datetime
import json

import time_machine
from django.test import TestCase
from django.urls import reverse

from events.models import Event
from newsroom.core.site import absolute_url
from tests.factories import make_deadline, make_event

TODAY = datetime.date(2024, 11, 10)
NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class EventListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.upcoming = make_event(
            "AI and Secure Health Data",
            start_date=datetime.date(2024, 11, 20),
            location="Bristol",
            format=Event.Format.IN_PERSON,
            registration_url="https://example.org/register",
        )
        cls.open_deadline = make_deadline(
            cls.upcoming,
            label="Registration deadline",
            date=datetime.date(2024, 11, 18),
        )
        make_deadline(
            cls.upcoming, label="Call for posters", date=datetime.date(2024, 11, 1)
        )
        cls.running = make_event(
            "Data Study Group",
            start_date=datetime.date(2024, 11, 4),
            end_date=datetime.date(2024, 11, 15),
        )
        cls.past = make_event(
            "Omics Meeting", start_date=datetime.date(2024, 10, 2), location="London"
        )

    def test_upcoming_events_with_their_open_deadlines(self):
        """Upcoming events show their dates, place, format and open deadlines."""
        response = self.client.get(reverse("events:list"))
        self.assertContains(
            response,
            f'<a href="{self.upcoming.get_absolute_url()}">'
            "AI and Secure Health Data</a>",
            html=True,
        )
        self.assertContains(
            response, '<time datetime="2024-11-20">20 November 2024</time>'
        )
        self.assertContains(response, "<dd>Bristol</dd>", html=True)
        self.assertContains(response, "<dd>In person</dd>", html=True)
        self.assertContains(
            response,
            "Registration deadline: "
            '<time datetime="2024-11-18">18 November 2024</time>',
        )
        self.assertContains(response, 'href="https://example.org/register"')

    def test_closed_deadlines_are_not_listed(self):
        """A deadline that has passed is left off the list of events."""
        response = self.client.get(reverse("events:list"))
        self.assertNotContains(response, "Call for posters")

    def test_an_event_still_running_is_upcoming(self):
        """An event that started but has not ended is listed with the upcoming ones."""
        response = self.client.get(reverse("events:list"))
        content = response.content.decode()
        self.assertLess(content.index("Data Study Group"), content.index("Past events"))
        self.assertContains(
            response,
            '<dd><time datetime="2024-11-04">4 November 2024</time> '
            'to <time datetime="2024-11-15">15 November 2024</time></dd>',
            html=True,
        )

    def test_past_events(self):
        """Past events are listed apart, after the upcoming ones."""
        content = self.client.get(reverse("events:list")).content.decode()
        self.assertLess(content.index("Past events"), content.index("Omics Meeting"))
        self.assertIn(f'href="{self.past.get_absolute_url()}"', content)
        self.assertIn('<time datetime="2024-10-02">2 October 2024</time>', content)

    def test_empty_states(self):
        """With no events at all, the list says so."""
        Event.objects.all().delete()
        response = self.client.get(reverse("events:list"))
        self.assertContains(response, "No upcoming events.")
        self.assertContains(response, "No past events.")

    def test_text_is_escaped(self):
        """Titles, summaries and deadline labels are shown as text."""
        event = make_event(
            "<script>alert('title')</script>",
            slug="escaped",
            start_date=datetime.date(2024, 12, 1),
            summary="<script>alert('summary')</script>",
        )
        make_deadline(event, label="<script>alert('label')</script>")
        response = self.client.get(reverse("events:list"))
        self.assertNotContains(response, "<script>")
        for name in ("title", "summary", "label"):
            with self.subTest(field=name):
                self.assertContains(
                    response, f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;"
                )

    def test_query_count_does_not_grow(self):
        """The events list runs four queries, for two events or twenty."""
        for count in (2, 20):
            with self.subTest(events=count):
                Event.objects.all().delete()
                for number in range(count):
                    # Every other event is past; each has two deadlines.
                    start = TODAY + datetime.timedelta(
                        days=(-1) ** number * (number + 5)
                    )
                    event = make_event(start_date=start)
                    make_deadline(event, date=TODAY + datetime.timedelta(days=1))
                    make_deadline(event, label="Submission deadline", date=start)
                with self.assertNumQueries(4):
                    response = self.client.get(reverse("events:list"))
                self.assertContains(response, "Registration deadline", count=count // 2)

    def test_past_events_fifty_to_a_page(self):
        """
        Years of past events are listed fifty to a page, most recent first; the
        upcoming events are on the first page only.
        """
        for number in range(1, 121):
            make_event(
                f"Seminar {number:03}",
                start_date=TODAY - datetime.timedelta(days=number + 60),
            )
        url = reverse("events:list")
        with self.assertNumQueries(4):
            first = self.client.get(url)
        self.assertContains(first, "Past events, page 1 of 3")
        self.assertContains(first, "<title>Events – Newsroom</title>")
        self.assertContains(first, "AI and Secure Health Data")
        self.assertContains(first, 'class="event-list"')
        # The page's own past event (October) comes first, then the seminars.
        self.assertContains(first, "Omics Meeting")
        self.assertContains(first, "Seminar 049")
        self.assertNotContains(first, "Seminar 050")
        self.assertContains(first, '<a href="?page=2#past" rel="next">Older events</a>')
        self.assertNotContains(first, 'rel="prev"')

        with self.assertNumQueries(2):
            last = self.client.get(url, {"page": 3})
        self.assertContains(last, "Past events, page 3 of 3")
        self.assertContains(last, "<title>Events, page 3 – Newsroom</title>")
        self.assertNotContains(last, "Upcoming events")
        self.assertNotContains(last, "AI and Secure Health Data")
        self.assertContains(last, "Seminar 100")
        self.assertContains(last, "Seminar 120")
        self.assertContains(
            last, '<a href="?page=2#past" rel="prev">More recent events</a>'
        )
        self.assertNotContains(last, 'rel="next"')

    def test_bad_page_numbers_give_the_nearest_page(self):
        """A page number past the end, or not a number, is answered, not refused."""
        url = reverse("events:list")
        for page, expected in (("99", "Omics Meeting"), ("two", "Upcoming events")):
            with self.subTest(page=page):
                response = self.client.get(url, {"page": page})
                self.assertContains(response, expected)


@time_machine.travel(NOW, tick=False)
class EventPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event(
            "Private Data for Public Good",
            summary="Data sharing for business and society",
            body="<p>Two sessions with <strong>guest speakers</strong>.</p>",
            start_date=datetime.date(2024, 11, 20),
            start_time=datetime.time(14, 0),
            end_time=datetime.time(17, 30),
            location="British Library, London",
            format=Event.Format.HYBRID,
            organiser="Novel data linkages interest group",
            url="https://example.org/about",
            registration_url="https://example.org/register",
        )
        cls.deadline = make_deadline(
            cls.event, label="Registration deadline", date=datetime.date(2024, 11, 18)
        )
        cls.closed = make_deadline(
            cls.event, label="Call for posters", date=datetime.date(2024, 11, 1)
        )
        cls.url = cls.event.get_absolute_url()

    def test_shows_the_event(self):
        """The page gives the event's title, summary, facts, body and links."""
        response = self.client.get(self.url)
        self.assertContains(
            response, "<h1>Private Data for Public Good</h1>", html=True
        )
        self.assertContains(response, "Data sharing for business and society")
        self.assertContains(response, "<dd>British Library, London</dd>", html=True)
        self.assertContains(response, "<dd>Hybrid</dd>", html=True)
        self.assertContains(
            response, "<dd>Novel data linkages interest group</dd>", html=True
        )
        self.assertContains(
            response, "<p>Two sessions with <strong>guest speakers</strong>.</p>"
        )
        self.assertContains(response, 'href="https://example.org/register"')
        self.assertContains(response, 'href="https://example.org/about"')

    def test_times_are_machine_readable_and_in_the_events_time_zone(self):
        """Start and end are <time> elements, given in the event's own time zone."""
        response = self.client.get(self.url)
        self.assertContains(
            response,
            '<time datetime="2024-11-20T14:00:00+00:00">20 November 2024, 14:00</time>',
        )
        self.assertContains(
            response, '<time datetime="2024-11-20T17:30:00+00:00">17:30</time>'
        )
        self.assertContains(response, "(Europe/London time)")

    def test_times_elsewhere_keep_their_own_zone(self):
        """An event in New York is shown at its New York time, with its offset."""
        event = make_event(
            start_date=datetime.date(2024, 11, 20),
            start_time=datetime.time(9, 0),
            time_zone="America/New_York",
        )
        response = self.client.get(event.get_absolute_url())
        self.assertContains(
            response,
            '<time datetime="2024-11-20T09:00:00-05:00">20 November 2024, 09:00</time>',
        )
        self.assertContains(response, "(America/New_York time)")

    def test_deadlines_have_anchors_and_passed_ones_say_so(self):
        """Each deadline has its own anchor; one that has passed is marked."""
        response = self.client.get(self.url)
        self.assertContains(
            response,
            f'<li id="deadline-{self.deadline.pk}">Registration deadline: '
            '<time datetime="2024-11-18">18 November 2024</time></li>',
            html=True,
        )
        self.assertContains(
            response,
            f'<li id="deadline-{self.closed.pk}">Call for posters: '
            '<time datetime="2024-11-01">1 November 2024</time> (passed)</li>',
            html=True,
        )
        self.assertContains(response, "(passed)", count=1)

    def test_text_is_escaped(self):
        """The title, place and organiser are shown as text; the body is HTML."""
        event = make_event(
            "<script>alert('title')</script>",
            slug="escaped",
            location="<script>alert('location')</script>",
            organiser="<script>alert('organiser')</script>",
            body="<p>Fine <em>print</em></p>",
        )
        response = self.client.get(event.get_absolute_url())
        self.assertNotContains(response, "<script>")
        for name in ("title", "location", "organiser"):
            with self.subTest(field=name):
                self.assertContains(
                    response, f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;"
                )
        self.assertContains(response, "<p>Fine <em>print</em></p>")

    def test_past_event_says_it_has_ended(self):
        """A past event's page says it is over; an upcoming one's does not."""
        past = make_event(start_date=datetime.date(2024, 11, 1))
        response = self.client.get(past.get_absolute_url())
        self.assertContains(response, "This event has ended.")
        response = self.client.get(self.url)
        self.assertNotContains(response, "This event has ended.")

    def test_unknown_event_is_404(self):
        """A slug that matches no event is a 404."""
        url = reverse("events:event", kwargs={"slug": "nothing-here"})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_query_count_does_not_grow(self):
        """The event page runs two queries, for one deadline or ten."""
        busy = make_event()
        for number in range(10):
            make_deadline(busy, label=f"Deadline {number}")
        lonely = make_event()
        make_deadline(lonely)
        for event, count in ((lonely, 1), (busy, 10)):
            with self.subTest(deadlines=count):
                with self.assertNumQueries(2):
                    response = self.client.get(event.get_absolute_url())
                self.assertContains(response, '<li id="deadline-', count=count)


class EventStructuredDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event(
            "AI and Secure Health Data",
            summary="A day on trusted research environments.",
            start_date=datetime.date(2024, 11, 20),
            start_time=datetime.time(10, 0),
            end_time=datetime.time(16, 30),
            time_zone="Europe/London",
            location="Bristol",
            format=Event.Format.IN_PERSON,
            organiser="Turing",
            registration_url="https://example.org/register",
        )

    def json_ld(self, response) -> dict:
        content = response.content.decode()
        script = content.split('<script type="application/ld+json">', 1)[1]
        return json.loads(script.split("</script>", 1)[0])

    def test_schema_org_event(self):
        """The page describes the event to search engines as a schema.org Event."""
        response = self.client.get(self.event.get_absolute_url())
        self.assertEqual(
            self.json_ld(response),
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": "AI and Secure Health Data",
                "description": "A day on trusted research environments.",
                "url": absolute_url(self.event.get_absolute_url()),
                "startDate": "2024-11-20T10:00:00+00:00",
                "endDate": "2024-11-20T16:30:00+00:00",
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "location": {"@type": "Place", "name": "Bristol"},
                "organizer": {"@type": "Organization", "name": "Turing"},
                "offers": {"@type": "Offer", "url": "https://example.org/register"},
            },
        )

    def test_all_day_online_event(self):
        """An all-day online event gives dates and a virtual location."""
        event = make_event(
            "Webinar",
            start_date=datetime.date(2024, 12, 2),
            end_date=datetime.date(2024, 12, 3),
            format=Event.Format.ONLINE,
            url="https://example.org/webinar",
        )
        data = self.json_ld(self.client.get(event.get_absolute_url()))
        self.assertEqual(data["startDate"], "2024-12-02")
        self.assertEqual(data["endDate"], "2024-12-03")
        self.assertEqual(
            data["location"],
            {"@type": "VirtualLocation", "url": "https://example.org/webinar"},
        )

    def test_text_cannot_break_out_of_the_script(self):
        """A title that tries to close the script stays data inside it."""
        event = make_event(
            "</script><script>alert(1)</script>",
            slug="tricky",
            location="A & B <b>",
        )
        response = self.client.get(event.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "\\u003C/script\\u003E")
        data = self.json_ld(response)
        self.assertEqual(data["name"], "</script><script>alert(1)</script>")
        self.assertEqual(data["location"]["name"], "A & B <b>")

    def test_opengraph_and_canonical_link(self):
        """Link previews get the event's title, summary and address."""
        response = self.client.get(self.event.get_absolute_url())
        page = absolute_url(self.event.get_absolute_url())
        for tag in (
            f'<link rel="canonical" href="{page}">',
            '<meta property="og:title" content="AI and Secure Health Data">',
            f'<meta property="og:url" content="{page}">',
            '<meta property="og:description" '
            'content="A day on trusted research environments.">',
        ):
            with self.subTest(tag=tag):
                self.assertContains(response, tag, html=True)

    def test_public_cache_headers_and_304(self):
        """The event page may be cached by anyone and is revalidated by its ETag."""
        url = self.event.get_absolute_url()
        response = self.client.get(url)
        self.assertEqual(response["Cache-Control"], "public, max-age=300")
        with self.assertNumQueries(2):
            again = self.client.get(url, headers={"if-none-match": response["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
