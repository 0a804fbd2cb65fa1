import datetime

import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from events.models import Event
from issues.models import Issue, Suggestion
from tests.browser import BrowserTestCase
from tests.demo import import_demo
from tests.factories import make_user

# The day after the demo issue went out, before its events: every public page has
# something on it.
DEMO_DAY = datetime.datetime(2024, 11, 19, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(DEMO_DAY, tick=True)
class AccessibilityTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        import_demo()

    def test_public_pages_have_no_accessibility_problems(self):
        """axe-core finds nothing wrong on any public page with the demo loaded."""
        issue = Issue.objects.sent().select_related("publication").get()
        event = Event.objects.order_by("start_date").first()
        pages = [
            ("the home page", reverse("home")),
            ("the archive", reverse("issues:archive")),
            ("the demo issue", issue.get_absolute_url()),
            ("the publication", issue.publication.get_absolute_url()),
            ("the events", reverse("events:list")),
            ("an event", event.get_absolute_url()),
            ("the suggestion form", reverse("suggest")),
            ("the thank-you page", reverse("suggest_thanks")),
            ("the search page", reverse("search")),
            ("search results", reverse("search") + "?q=data+study+group"),
            ("a search that finds nothing", reverse("search") + "?q=zanzibar"),
        ]
        for description, path in pages:
            with self.subTest(page=description):
                response = self.visit(path)
                self.assertEqual(response.status, 200)
                self.assert_accessible(description)
        # The results page was checked with results on it.
        self.visit(reverse("search") + "?q=data+study+group")
        self.assertGreater(self.page.locator(".search-results li a").count(), 0)

    def test_suggestion_form_with_errors_has_no_accessibility_problems(self):
        """The form sent back with its error messages is as accessible as before."""
        self.visit(reverse("suggest"))
        self.page.get_by_label("Title").fill("A workshop")
        self.page.get_by_role("button", name="Send suggestion").click()
        self.page.wait_for_load_state()
        self.assertIn("Error:", self.page.title())
        self.assert_accessible("the suggestion form with errors")


@time_machine.travel(DEMO_DAY, tick=True)
class SuggestionInBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.editor = make_user("editor")
        self.editor.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="issues",
                codename__in=["view_suggestion", "change_suggestion"],
            )
        )

    def test_suggestion_sent_from_the_form_shows_in_the_admin(self):
        """
        A visitor fills in the form with the keyboard, never lands on the hidden trap
        field, is thanked; an editor then finds the suggestion in the admin.
        """
        page = self.page
        self.visit(reverse("suggest"))
        page.get_by_label("Title").fill("Health data hackathon")
        page.get_by_label("Summary").fill("Two days of code.\n\nAll welcome.")
        page.get_by_label("Link").fill("https://www.example.org/hackathon")
        page.get_by_label("Deadline").fill("2024-12-01")
        page.get_by_label("Your name").fill("Ada Lovelace")
        page.get_by_label("Your e-mail address").fill("ada@example.org")

        page.get_by_label("Your e-mail address").focus()
        page.keyboard.press("Tab")
        self.assertEqual(page.evaluate("document.activeElement.id"), "id_consent")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        self.assertEqual(
            page.evaluate("document.activeElement.textContent"), "Send suggestion"
        )
        page.keyboard.press("Enter")
        page.wait_for_url("**" + reverse("suggest_thanks"))
        self.assertEqual(
            page.get_by_role("heading", level=1).text_content(),
            "Thank you for your suggestion",
        )
        suggestion = Suggestion.objects.get()
        self.assertEqual(
            suggestion.summary, "<p>Two days of code.</p><p>All welcome.</p>"
        )

        self.visit(reverse("admin:login"))
        page.get_by_label("Username").fill(self.editor.username)
        page.get_by_label("Password").fill(self.editor.raw_password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        self.visit(reverse("admin:issues_suggestion_changelist"))
        row = page.locator("#result_list tbody tr")
        self.assertEqual(row.count(), 1)
        self.assertIn("Health data hackathon", row.text_content())
        self.assertIn("Ada Lovelace <ada@example.org>", row.text_content())
        self.assertIn("Waiting for a decision", row.text_content())
