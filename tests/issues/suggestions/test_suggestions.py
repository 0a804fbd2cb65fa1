import datetime

import time_machine
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse

from issues.models import Item, Suggestion
from issues.suggestions.services import (
    RATE_LIMIT,
    SuggestionError,
    accept_suggestion,
    decline_suggestion,
    sender_key,
    submit_suggestion,
    summary_html,
)
from tests.factories import make_user
from tests.utils import get_counting_queries

NOW = datetime.datetime(2024, 11, 20, 10, 0, tzinfo=datetime.UTC)


def form_data(**fields) -> dict:
    return {
        "title": "Call for papers: health data workshop",
        "summary": "Submit a short paper.\n\nOpen to early-career researchers.",
        "url": "https://www.example.org/workshop",
        "deadline": "2024-12-15",
        "event_date": "2025-01-20",
        "contact_name": "Ada Lovelace",
        "contact_email": "ada@example.org",
        "consent": "on",
        "leave_empty": "",
        **fields,
    }


def submit(**fields) -> Suggestion:
    values = {
        "title": "A workshop",
        "summary": "Come along.",
        "contact_name": "Ada Lovelace",
        "contact_email": "ada@example.org",
        "consent": True,
        "sender_address": "192.0.2.1",
        **fields,
    }
    return submit_suggestion(**values)


@time_machine.travel(NOW, tick=False)
class SuggestionFormTests(TestCase):
    url = reverse("suggest")

    def post(self, address="192.0.2.1", **fields):
        return self.client.post(self.url, form_data(**fields), REMOTE_ADDR=address)

    def test_form_page_shows_every_field_and_reads_nothing(self):
        """The form asks for each field with a label, and needs no database query."""
        response = get_counting_queries(self, self.url, 0)
        for label in (
            "Title",
            "Summary",
            "Link",
            "Deadline",
            "Date of the event",
            "Your name",
            "Your e-mail address",
            "may keep these details and contact me about this suggestion",
        ):
            self.assertContains(response, label)
        self.assertContains(response, "Send suggestion")

    def test_form_page_is_never_cached(self):
        """The form carries a CSRF token, so no cache may keep a copy of it."""
        response = self.client.get(self.url)
        self.assertIn("no-store", response["Cache-Control"])

    def test_honeypot_is_hidden_from_people_and_assistive_technology(self):
        """The trap field is off screen, out of the tab order and aria-hidden."""
        response = self.client.get(self.url)
        self.assertContains(
            response, 'class="visually-hidden"  aria-hidden="true"', html=False
        )
        self.assertContains(response, "Leave this empty")
        self.assertContains(response, 'tabindex="-1"')
        self.assertContains(response, 'autocomplete="off"')

    def test_site_links_to_the_form(self):
        """The header, the footer and the home page lead to the form."""
        response = self.client.get(reverse("home"))
        self.assertContains(response, f'href="{self.url}"', count=3)

    def test_valid_suggestion_is_kept_and_thanked_for(self):
        """A valid suggestion is stored as sent, and the sender sees the thank you."""
        response = self.post()
        self.assertRedirects(response, reverse("suggest_thanks"))
        suggestion = Suggestion.objects.get()
        self.assertEqual(suggestion.title, "Call for papers: health data workshop")
        self.assertEqual(
            suggestion.summary,
            "<p>Submit a short paper.</p><p>Open to early-career researchers.</p>",
        )
        self.assertEqual(suggestion.url, "https://www.example.org/workshop")
        self.assertEqual(suggestion.deadline, datetime.date(2024, 12, 15))
        self.assertEqual(suggestion.event_date, datetime.date(2025, 1, 20))
        self.assertEqual(suggestion.contact_email, "ada@example.org")
        self.assertTrue(suggestion.consent)
        self.assertEqual(suggestion.status, Suggestion.Status.PENDING)
        self.assertEqual(suggestion.created_at, NOW)

    def test_sender_address_is_kept_only_as_a_keyed_hash(self):
        """The network address is never stored, only a 64-character keyed hash."""
        self.post(address="192.0.2.77")
        key = Suggestion.objects.get().sender_key
        self.assertEqual(len(key), 64)
        self.assertEqual(key, sender_key("192.0.2.77"))
        self.assertNotIn("192.0.2.77", key)
        with override_settings(SECRET_KEY="another secret key, quite as long"):
            self.assertNotEqual(sender_key("192.0.2.77"), key)

    def test_thank_you_page_says_what_happens_next(self):
        """After sending, the page says what editors do with a suggestion."""
        response = get_counting_queries(self, reverse("suggest_thanks"), 0)
        self.assertContains(response, "<h1>Thank you for your suggestion</h1>")
        self.assertContains(response, "What happens next")
        self.assertContains(response, "not published")

    def test_missing_fields_are_named_and_the_input_stays(self):
        """An incomplete form says what is missing, keeps what was typed, saves none."""
        response = self.post(summary="", contact_email="", consent="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Error: Suggest an item")
        self.assertContains(response, "Tell us what you are suggesting.", count=2)
        self.assertContains(response, "Give your e-mail address.", count=2)
        self.assertContains(
            response, "Tick the box to agree, or we cannot take your suggestion."
        )
        self.assertContains(response, 'value="Call for papers: health data workshop"')
        self.assertContains(response, 'href="#id_summary"')
        self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Suggestion.objects.exists())

    def test_link_must_be_http_or_https(self):
        """A javascript: or ftp: link is refused with how to write one."""
        for link in ("javascript:alert(1)", "ftp://example.org/file", "www.example"):
            with self.subTest(link=link):
                response = self.post(url=link)
                self.assertContains(response, "Enter a full link starting with")
        self.assertFalse(Suggestion.objects.exists())

    def test_dates_in_the_past_are_refused(self):
        """A deadline or event date before today is refused; today is fine."""
        response = self.post(deadline="2024-11-19", event_date="2024-01-01")
        self.assertContains(response, "This date has passed.", count=4)
        self.assertFalse(Suggestion.objects.exists())
        response = self.post(deadline="2024-11-20", event_date="")
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(Suggestion.objects.get().event_date)

    def test_dates_in_a_year_not_kept_are_refused(self):
        """
        A deadline on 31/12/9999 or an event in 2101 is refused beside its field,
        with what to check, by the form itself: nothing is looked up or kept.
        """
        with self.assertNumQueries(0):
            response = self.post(deadline="9999-12-31", event_date="2101-01-01")
        form = response.context["form"]
        self.assertEqual(
            form.errors["deadline"],
            [
                "The year 9999 is outside the dates Newsroom keeps (1990 to 2100): "
                "check the year."
            ],
        )
        self.assertIn("The year 2101 is outside", form.errors["event_date"][0])
        self.assertFalse(Suggestion.objects.exists())

    def test_date_that_does_not_exist_is_refused(self):
        """A date that is not one says how to write it."""
        response = self.post(deadline="2024-02-31")
        self.assertContains(response, "Enter the date as day/month/year")

    def test_bad_e_mail_address_is_refused(self):
        """An e-mail address without a domain says what one looks like."""
        response = self.post(contact_email="ada@")
        self.assertContains(response, "Enter an e-mail address like name@example.org.")

    def test_too_long_text_is_kept_with_how_long_it_may_be(self):
        """
        Text over the limit is never cut short by the browser: the server says how
        long it may be and everything typed stays in the box.
        """
        self.assertNotContains(self.client.get(self.url), "maxlength=")
        summary = "word " * 1200
        response = self.post(summary=summary, contact_email="a" * 250 + "@example.org")
        self.assertContains(
            response, "Shorten this to 5000 characters or fewer (it has 5999)."
        )
        self.assertContains(response, "Shorten this to 254 characters or fewer")
        self.assertContains(response, summary.strip())
        self.assertFalse(Suggestion.objects.exists())

    def test_sending_runs_a_fixed_number_of_queries(self):
        """
        Taking in a suggestion counts it in the sender's hour and in everyone's (a
        row made if missing, then raised), saves it and forgets past hours.
        """
        with self.assertNumQueries(8):
            response = self.post()
        self.assertEqual(response.status_code, 302)

    def test_bot_filling_the_honeypot_is_thanked_but_nothing_is_kept(self):
        """A filled-in trap field looks like success and saves nothing."""
        response = self.post(leave_empty="https://spam.example/")
        self.assertRedirects(response, reverse("suggest_thanks"))
        self.assertFalse(Suggestion.objects.exists())
        response = self.client.post(self.url, {"leave_empty": "x"})
        self.assertRedirects(response, reverse("suggest_thanks"))
        self.assertFalse(Suggestion.objects.exists())

    def test_hostile_text_is_kept_as_text(self):
        """Markup typed in the title or summary is stored and shown as characters."""
        self.post(
            title="<script>alert(1)</script> Workshop",
            summary=(
                'Read <a href="javascript:alert(1)">this</a> & that\n'
                "<img src=x onerror=alert(1)>\n\n"
                "<script>alert(2)</script>"
            ),
        )
        suggestion = Suggestion.objects.get()
        self.assertEqual(suggestion.title, "<script>alert(1)</script> Workshop")
        self.assertEqual(
            suggestion.summary,
            "<p>Read &lt;a href=&quot;javascript:alert(1)&quot;&gt;this&lt;/a&gt; "
            "&amp; that<br>&lt;img src=x onerror=alert(1)&gt;</p>"
            "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>",
        )

    def test_sixth_suggestion_in_an_hour_is_refused(self):
        """
        Over five suggestions an hour from one address, the sixth is refused with a
        429 and a clear message, nothing is saved and the text stays on the screen.
        """
        for _ in range(RATE_LIMIT):
            self.assertEqual(self.post().status_code, 302)
        response = self.post(title="One too many")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Your suggestion was not sent", status_code=429)
        self.assertContains(
            response, "send it again after 11:00, or e-mail it to us", status_code=429
        )
        self.assertEqual(response["Retry-After"], "3600")
        self.assertContains(response, 'value="One too many"', status_code=429)
        self.assertEqual(Suggestion.objects.count(), RATE_LIMIT)

        other = self.post(address="198.51.100.9")
        self.assertEqual(other.status_code, 302)

        with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
            self.assertEqual(self.post(title="Later").status_code, 302)
        self.assertTrue(Suggestion.objects.filter(title="Later").exists())

    def test_limit_counts_the_client_behind_a_proxy(self):
        """Behind a proxy, the limit is per client address the proxy passes on."""
        with override_settings(
            NEWSROOM_CLIENT_ADDRESS_HEADER="X-Forwarded-For",
            NEWSROOM_TRUSTED_PROXIES=["10.0.0.1"],
        ):
            for number in range(RATE_LIMIT + 1):
                response = self.client.post(
                    self.url,
                    form_data(),
                    REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"203.0.113.200, 192.0.2.{number}",
                )
                self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Suggestion.objects.get(sender_key=sender_key("192.0.2.3")).title,
            "Call for papers: health data workshop",
        )


class SuggestionServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor")

    def test_summary_paragraphs_come_from_blank_lines(self):
        """Blank lines separate paragraphs; a single line break stays one."""
        self.assertEqual(
            summary_html("  First line\r\nsecond line\r\n\r\n \r\nNext paragraph  "),
            "<p>First line<br>second line</p><p>Next paragraph</p>",
        )

    def test_ipv6_addresses_of_one_network_share_a_key(self):
        """Addresses in one IPv6 /64 count as one sender; another /64 does not."""
        self.assertEqual(sender_key("2001:db8::1"), sender_key("2001:db8::ffff:1"))
        self.assertNotEqual(sender_key("2001:db8::1"), sender_key("2001:db8:0:1::1"))
        self.assertEqual(sender_key("::ffff:192.0.2.1"), sender_key("192.0.2.1"))

    def test_suggestion_without_consent_is_refused(self):
        """The service refuses a suggestion its sender did not agree to."""
        with self.assertRaises(ValidationError):
            submit(consent=False)
        self.assertFalse(Suggestion.objects.exists())

    @time_machine.travel(NOW, tick=False)
    def test_accepted_suggestion_becomes_an_inbox_item(self):
        """Accepting makes an inbox item from the suggestion and links the two."""
        suggestion = submit(
            title="Health data workshop",
            summary="Submit a short paper.",
            url="https://www.example.org/workshop",
            deadline=datetime.date(2024, 12, 15),
            event_date=datetime.date(2025, 1, 20),
        )
        item = accept_suggestion(suggestion=suggestion, user=self.editor)
        self.assertIsNone(item.issue)
        self.assertIn(item, Item.objects.inbox())
        self.assertEqual(item.title, "Health data workshop")
        self.assertEqual(
            item.body,
            "<p>Submit a short paper.</p>"
            "<p>Date of the event, as suggested: Monday 20 January 2025.</p>",
        )
        self.assertEqual(item.cta_label, "Find out more")
        self.assertEqual(item.cta_url, "https://www.example.org/workshop")
        self.assertEqual(item.deadline, datetime.date(2024, 12, 15))
        self.assertEqual(item.deadline_label, "Deadline")
        suggestion.refresh_from_db()
        self.assertEqual(suggestion.status, Suggestion.Status.ACCEPTED)
        self.assertEqual(suggestion.item, item)
        self.assertEqual(suggestion.decided_by, self.editor)
        self.assertEqual(suggestion.decided_at, NOW)

    def test_suggestion_without_link_or_dates_becomes_a_plain_item(self):
        """No link means no call to action; no deadline means none on the item."""
        item = accept_suggestion(suggestion=submit(), user=self.editor)
        self.assertEqual((item.cta_label, item.cta_url), ("", ""))
        self.assertIsNone(item.deadline)
        self.assertEqual(item.deadline_label, "")
        self.assertEqual(item.body, "<p>Come along.</p>")

    def test_declined_suggestion_is_kept_and_makes_no_item(self):
        """Declining keeps the suggestion, marked declined, and makes no item."""
        suggestion = decline_suggestion(suggestion=submit(), user=self.editor)
        suggestion.refresh_from_db()
        self.assertEqual(suggestion.status, Suggestion.Status.DECLINED)
        self.assertIsNone(suggestion.item)
        self.assertIsNotNone(suggestion.decided_at)
        self.assertFalse(Item.objects.exists())

    def test_a_decision_is_made_once(self):
        """A decided suggestion cannot be accepted or declined again."""
        suggestion = submit()
        accept_suggestion(suggestion=suggestion, user=self.editor)
        for decide in (accept_suggestion, decline_suggestion):
            with self.subTest(decide=decide.__name__):
                with self.assertRaisesMessage(SuggestionError, "was already accepted"):
                    decide(suggestion=suggestion, user=self.editor)
        self.assertEqual(Item.objects.count(), 1)
        declined = decline_suggestion(suggestion=submit(), user=self.editor)
        with self.assertRaisesMessage(SuggestionError, "was already declined"):
            accept_suggestion(suggestion=declined, user=self.editor)
        self.assertEqual(Item.objects.count(), 1)
