import datetime

import time_machine
from django.conf import settings
from django.urls import reverse

from events.models import Event
from issues.editorial.preview_links import create_preview_link, url_for
from issues.models import Issue, Item
from tests.browser import BrowserTestCase
from tests.demo import import_demo
from tests.factories import (
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
)

# The day after the demo issue went out, before its events.
DEMO_DAY = datetime.datetime(2024, 11, 19, 9, 0, tzinfo=datetime.UTC)

# Reports every Content-Security-Policy violation of a page (and of any frame that may
# run scripts) to the test; the console catches those of sandboxed frames too.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` on ${document.location.href}`
    );
});
"""


class PolicyInBrowserTestCase(BrowserTestCase):
    """Fails a test on any violation of the Content-Security-Policy."""

    def setUp(self):
        super().setUp()
        self.violations = []
        self.context.expose_binding(
            "reportCspViolation", lambda source, text: self.violations.append(text)
        )
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page.on("console", self._console)
        self.addCleanup(self._assert_no_violation)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def _assert_no_violation(self):
        self.assertEqual(self.violations, [], "The page broke its own policy.")

    def log_in(self, user):
        self.client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": self.client.cookies["sessionid"].value,
                    "url": self.live_server_url,
                }
            ]
        )

    def assert_policy_sent(self, response):
        self.assertIn("default-src 'self'", response.headers["content-security-policy"])


@time_machine.travel(DEMO_DAY, tick=True)
class PublicPagesUnderPolicyTests(PolicyInBrowserTestCase):
    def setUp(self):
        super().setUp()
        import_demo()

    def test_public_pages_break_no_rule(self):
        """Every public page loads its styles and shows with no violation."""
        issue = Issue.objects.sent().select_related("publication").get()
        event = Event.objects.order_by("start_date").first()
        pages = [
            reverse("home"),
            reverse("issues:archive"),
            issue.get_absolute_url(),
            issue.publication.get_absolute_url(),
            reverse("events:list"),
            event.get_absolute_url(),
            reverse("search") + "?q=workshop",
            reverse("suggest"),
            reverse("preview_link", args=["no-such-link"]),
        ]
        for path in pages:
            with self.subTest(page=path):
                response = self.visit(path)
                self.assert_policy_sent(response)
                if "preview" in path:
                    self.assertEqual(response.status, 404)
                    continue
                self.assertEqual(response.status, 200)
                # The site's stylesheet applied: the skip link is off screen.
                self.assertNotEqual(
                    self.page.locator(".skip-link").evaluate(
                        "link => getComputedStyle(link).position"
                    ),
                    "static",
                )


@time_machine.travel(DEMO_DAY, tick=True)
class AdminUnderPolicyTests(PolicyInBrowserTestCase):
    def setUp(self):
        super().setUp()
        self.user = make_superuser()
        publication = make_publication("Partnership News")
        self.section = make_section(publication, title="News")
        self.issue = make_issue(
            publication,
            month=12,
            title="December highlights",
            preheader="Calls, events and a new theme",
        )
        self.items = [
            make_item(self.issue, self.section, title=title, position=position)
            for position, title in enumerate(
                ["Winter school", "Spring call", "Summer fellowships"], start=1
            )
        ]
        self.log_in(self.user)

    def change_page(self):
        response = self.visit(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        self.assertEqual(response.status, 200)
        self.assert_policy_sent(response)
        return response

    def save(self):
        self.page.get_by_role("button", name="Save and continue editing").click()
        self.page.wait_for_load_state()
        self.assertEqual(self.page.locator(".errornote").count(), 0)

    def titles_in_order(self):
        return list(
            Item.objects.filter(issue=self.issue)
            .order_by("position")
            .values_list("title", flat=True)
        )

    def test_another_item_is_added_inline(self):
        """On the issue's page, “Add another item” opens a form whose item is saved."""
        self.change_page()
        self.page.get_by_role("button", name="Add another Item").click()
        form = self.page.locator("#items-3")
        form.get_by_label("Section").select_option(label="News")
        form.get_by_label("Title").fill("Autumn conference")
        self.save()
        self.assertIn("Autumn conference", self.titles_in_order())

    def test_items_are_reordered_by_dragging_and_saved(self):
        """An item dragged above the first one is first once the issue is saved."""
        # Every item folded to its title and all of them on screen: a drag that
        # scrolled the page would be dropped short.
        self.page.set_viewport_size({"width": 1280, "height": 1400})
        self.change_page()
        self.page.get_by_role("button", name="Show titles only").click()
        last = self.page.locator("#items-2")
        first = self.page.locator("#items-0")
        last.locator(".assembly-handle").drag_to(
            first.locator("h3"), target_position={"x": 60, "y": 3}
        )
        self.assertEqual(last.get_by_label("Position").input_value(), "1")
        self.save()
        self.assertEqual(
            self.titles_in_order(),
            ["Summer fellowships", "Winter school", "Spring call"],
        )

    def test_items_are_reordered_with_the_keyboard(self):
        """The handle's arrow keys move an item down, and the order is saved."""
        self.change_page()
        self.page.locator("#items-0 .assembly-handle").press("ArrowDown")
        self.save()
        self.assertEqual(
            self.titles_in_order(),
            ["Spring call", "Winter school", "Summer fellowships"],
        )

    def test_calendar_shortcut_opens(self):
        """The planned send date's calendar opens and fills in the date."""
        self.change_page()
        self.page.locator("#calendarlink0").click()
        calendar = self.page.locator("#calendarbox0")
        self.assertTrue(calendar.is_visible())
        calendar.locator("td a").get_by_text("15", exact=True).click()
        self.assertRegex(
            self.page.get_by_label("Planned send date").input_value(), r"15"
        )

    def test_changelist_filters_and_orders(self):
        """The issue list filters by status and orders by a column, script and all."""
        make_issue(self.issue.publication, month=10, title="October news")
        response = self.visit(reverse("admin:issues_issue_changelist"))
        self.assert_policy_sent(response)
        self.page.get_by_role("link", name="Draft").first.click()
        self.page.wait_for_load_state()
        self.assertIn("status__exact=draft", self.page.url)
        self.page.locator("th.column-planned_send_date a").first.click()
        self.page.wait_for_load_state()
        self.assertIn("o=", self.page.url)
        self.assertEqual(self.page.locator("#result_list tbody tr").count(), 2)
        # The admin's own script: ticking the header box ticks every row.
        self.page.locator("#action-toggle").check()
        self.assertEqual(
            self.page.locator("#result_list tbody input.action-select:checked").count(),
            2,
        )

    def test_email_preview_shows_the_styled_email_in_both_frames(self):
        """
        Both frames of the e-mail preview show the issue, styled as in the e-mail,
        and the web page's frame shows the issue's page with its stylesheet.
        """
        response = self.visit(
            reverse("admin:issues_issue_preview", args=[self.issue.pk])
        )
        self.assert_policy_sent(response)
        frames = self.page.locator("iframe[srcdoc]")
        self.assertEqual(frames.count(), 2)
        # From the e-mail's own styles, not a browser's h2: grey, 18 px, and 20 px on
        # a phone from its <style> block's media query.
        for index, size in ((0, "18px"), (1, "20px")):
            with self.subTest(width=frames.nth(index).get_attribute("width")):
                email = frames.nth(index).element_handle().content_frame()
                title = email.get_by_role("heading", name="December highlights")
                self.assertEqual(
                    title.evaluate("h => getComputedStyle(h).color"),
                    "rgb(85, 85, 85)",
                )
                self.assertEqual(
                    title.evaluate("h => getComputedStyle(h).fontSize"), size
                )
        web = self.page.locator("iframe.web-preview").element_handle().content_frame()
        web.get_by_role("heading", name="Winter school").wait_for()
        self.assertNotEqual(
            web.locator(".skip-link").evaluate(
                "link => getComputedStyle(link).position"
            ),
            "static",
        )

    def test_preview_link_shows_the_styled_email(self):
        """An approver's preview link shows the e-mail with its styles, no violation."""
        link = create_preview_link(issue=self.issue, user=self.user)
        self.context.clear_cookies()
        response = self.visit(url_for(link).removeprefix(settings.SITE_URL))
        self.assert_policy_sent(response)
        email = self.page.locator("iframe[srcdoc]").element_handle().content_frame()
        title = email.get_by_role("heading", name="December highlights")
        self.assertEqual(
            title.evaluate("h => getComputedStyle(h).color"), "rgb(85, 85, 85)"
        )
        # The page's own stylesheet: the red banner above the e-mail.
        self.assertEqual(
            self.page.locator(".preview-banner").evaluate(
                "banner => getComputedStyle(banner).backgroundColor"
            ),
            "rgb(138, 28, 28)",
        )

    def test_history_and_assembly_pages_break_no_rule(self):
        """The history of changes and the pages that add items show cleanly."""
        self.save_once()
        for name in ("revisions", "add_events", "add_from_inbox"):
            with self.subTest(page=name):
                response = self.visit(
                    reverse(f"admin:issues_issue_{name}", args=[self.issue.pk])
                )
                self.assertEqual(response.status, 200)
                self.assert_policy_sent(response)

    def save_once(self):
        self.change_page()
        self.page.locator("#id_title").fill("December news")
        self.save()
