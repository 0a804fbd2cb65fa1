"""
A month of the newsletter in a real browser, through the admin only: an editor
builds the December issue, an approver approves it and shares a preview link, a
reader without an account opens it, and the approver marks the issue sent and
downloads what goes to the mailer.

With NEWSROOM_SCREENSHOTS set to a directory (``make screenshots``), the test saves
a screenshot of each step there for the editor's guide.
"""

import datetime
import io
import os
import re
import zipfile
from pathlib import Path

import time_machine
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import BrowserTestCase
from tests.demo import import_demo
from tests.factories import make_deadline, make_event, make_item, make_user

# Late November 2024: the November issue (the demo) has gone out; December's is next.
LATE_NOVEMBER = datetime.datetime(2024, 11, 25, 9, 0, tzinfo=datetime.UTC)
PUBLICATION = "The Turing-Roche Strategic Partnership"
NEWS = "Current News and Opportunities from The Alan Turing Institute and Roche"
EVENTS = "Events from the Community"
WORKSHOP = "Responsible AI in Health Workshop"
SEMINAR = "Winter Seminar: Causal Inference with Health Records"
FELLOWSHIP = "Applications open for Clinical AI Fellowships"
VIEWPORT = {"width": 1280, "height": 800}


@time_machine.travel(LATE_NOVEMBER, tick=True)
class MonthInBrowserTests(BrowserTestCase):
    def setUp(self):
        # The preview link is made with the site's address: this server's.
        site = override_settings(SITE_URL=self.live_server_url)
        site.enable()
        self.addCleanup(site.disable)
        super().setUp()
        self.page.set_viewport_size(VIEWPORT)
        import_demo()
        self.editor = make_user("maria", first_name="Maria", last_name="Editor")
        self.editor.groups.add(Group.objects.get(name="Editors"))
        self.approver = make_user("ryan", first_name="Ryan", last_name="Approver")
        self.approver.groups.add(Group.objects.get(name="Approvers"))
        workshop = make_event(
            WORKSHOP,
            start_date=datetime.date(2024, 12, 12),
            summary="A day on evaluating clinical AI models.",
            registration_url="https://www.example.org/workshop/register",
        )
        make_deadline(
            workshop, label="Registration deadline", date=datetime.date(2024, 12, 9)
        )
        make_event(
            SEMINAR,
            start_date=datetime.date(2024, 12, 17),
            summary="Target trial emulation on linked records.",
            url="https://www.example.org/seminar",
        )
        # Waiting in the inbox, with an image but no alt text: a blocking problem.
        make_item(
            None,
            None,
            title=FELLOWSHIP,
            body="<p>Two-year fellowships for clinicians moving into AI.</p>",
            image_url="https://images.example.org/fellowship.jpg",
            cta_label="Apply",
            cta_url="https://www.example.org/fellowships",
        )
        directory = os.environ.get("NEWSROOM_SCREENSHOTS")
        self.screenshots = Path(directory) if directory else None

    def screenshot(self, page, name: str, *, at=None) -> None:
        """
        Saves the page as ``name``.png when screenshots are asked for: its top, or
        the part around the locator ``at``.
        """
        if self.screenshots is None:
            return
        if at is None:
            page.evaluate("window.scrollTo(0, 0)")
        else:
            at.scroll_into_view_if_needed()
        self.screenshots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=self.screenshots / f"{name}.png")

    def log_in(self, page, user) -> None:
        page.goto(self.live_server_url + reverse("admin:login"))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(user.raw_password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    def item_titles(self, page) -> list[str]:
        """The items on the issue's page, in the order shown."""
        return page.locator(
            "#items-group .inline-related.has_original .inline_label"
        ).all_inner_texts()

    def test_an_issue_from_its_creation_to_its_sending(self):
        """
        An editor creates, assembles, previews, fixes and submits the December
        issue; an approver approves it and shares a preview link, which a reader
        opens; the approver marks it sent and downloads what was frozen.
        """
        issue_url, _preview_url = self.editor_builds_the_issue()
        link = self.approver_approves_and_shares_it(issue_url)
        self.reader_opens_the_preview_link(link)
        self.approver_marks_it_sent_and_downloads_it(issue_url)

    def editor_builds_the_issue(self) -> tuple[str, str]:
        page = self.page
        self.log_in(page, self.editor)

        # Create the issue: next month is chosen already.
        page.get_by_role("link", name="Issues", exact=True).click()
        page.get_by_role("link", name="Add issue").click()
        page.get_by_label("Publication").select_option(label=PUBLICATION)
        expect(page.get_by_label("Month")).to_have_value("12")
        expect(page.get_by_label("Year")).to_have_value("2024")
        page.get_by_label("Preheader").fill(
            "A workshop and a seminar in December, and clinical AI fellowships."
        )
        page.get_by_label("Planned send date").fill("2024-12-05")
        self.screenshot(page, "01-add-issue")
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
        expect(page.get_by_role("heading", name="Review: Draft")).to_be_visible()
        issue_url = page.url

        # Pull in the events of the coming month, all ticked, into the events section.
        page.get_by_role("link", name="Add upcoming events").click()
        expect(page.get_by_label(WORKSHOP)).to_be_checked()
        expect(page.get_by_label(SEMINAR)).to_be_checked()
        expect(page.get_by_role("row", name=WORKSHOP)).to_contain_text(
            "Registration deadline: 9 Dec 2024"
        )
        # The events section is chosen for them.
        self.assertEqual(
            page.get_by_label("Section").locator("option:checked").inner_text(),
            EVENTS,
        )
        self.screenshot(page, "02-add-upcoming-events")
        page.get_by_role("button", name="Add the ticked events").click()
        expect(page.locator(".messagelist")).to_contain_text(
            f"Added 2 events to “{EVENTS}”: “{WORKSHOP}”, “{SEMINAR}”."
        )

        # Place the inbox item: choosing its section ticks it.
        page.get_by_role("link", name="Add from inbox").click()
        # Its script ticks the box: it runs once the page has loaded.
        page.wait_for_load_state()
        place = page.get_by_role("checkbox", name=FELLOWSHIP)
        expect(place).not_to_be_checked()
        page.get_by_label(f"Section for “{FELLOWSHIP}”").select_option(label=NEWS)
        expect(place).to_be_checked()
        self.screenshot(page, "03-add-from-inbox")
        page.get_by_role("button", name="Add the ticked items").click()
        expect(page.locator(".messagelist")).to_contain_text(
            f"Placed 1 inbox item at the end of their sections: “{FELLOWSHIP}”."
        )
        page.wait_for_load_state()
        self.assertEqual(self.item_titles(page), [FELLOWSHIP, WORKSHOP, SEMINAR])

        # Fold the items to their titles, drag the seminar above the workshop,
        # then save the order.
        page.get_by_role("button", name="Show titles only").click()
        rows = page.locator("#items-group .inline-related.has_original")
        seminar = rows.filter(has=page.locator(".inline_label", has_text=SEMINAR))
        workshop = rows.filter(has=page.locator(".inline_label", has_text=WORKSHOP))
        seminar.locator(".assembly-handle").drag_to(
            workshop.locator("h3"), target_position={"x": 200, "y": 2}
        )
        expect(seminar.locator(".assembly-place")).to_have_text(f"{EVENTS}, position 1")
        expect(workshop.locator(".assembly-place")).to_have_text(
            f"{EVENTS}, position 2"
        )
        self.screenshot(page, "04-items-in-order", at=page.locator("#items-group"))
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        self.assertEqual(self.item_titles(page), [FELLOWSHIP, SEMINAR, WORKSHOP])

        # The preview: both widths, and a blocking problem with its fix one click away.
        page.get_by_role("link", name="Preview e-mail").click()
        preview_url = page.url
        expect(page.get_by_text("Desktop, 600 px")).to_be_visible()
        expect(page.get_by_text("Phone, 375 px")).to_be_visible()
        for title, width in [
            ("The e-mail at 600 pixels wide", 600),
            ("The e-mail at 375 pixels wide", 375),
        ]:
            frame = page.locator(f'iframe[title="{title}"]')
            self.assertGreaterEqual(frame.bounding_box()["width"], width)
            content = page.frame_locator(f'iframe[title="{title}"]')
            expect(content.get_by_text("December 2024").first).to_be_attached()
            for item in (FELLOWSHIP, SEMINAR, WORKSHOP):
                expect(content.get_by_text(item).first).to_be_attached()
        blocking = page.locator(".preflight li.blocking")
        expect(blocking).to_have_count(1)
        expect(blocking).to_contain_text(
            f"The image of item “{FELLOWSHIP}” has no alt text"
        )
        self.screenshot(page, "05-preview-and-checks")

        page.get_by_role("link", name="Fix it on the item").click()
        page.get_by_label("Image alt text").fill(
            "Two clinicians reading a chest X-ray on a screen"
        )
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        page.goto(preview_url)
        expect(page.locator(".preflight")).to_contain_text("Nothing blocks the issue")
        expect(page.locator(".preflight li.blocking")).to_have_count(0)

        page.goto(issue_url)
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator(".messagelist")).to_contain_text("is now in review.")
        expect(page.get_by_role("heading", name="Review: In review")).to_be_visible()
        history = page.locator(".workflow-history")
        expect(history).to_contain_text("Maria Editor")
        expect(history).to_contain_text("Draft → In review")
        # Editors cannot approve their own issue.
        expect(page.get_by_role("button", name="Approve")).to_have_count(0)
        self.screenshot(page, "06-submitted-for-review")
        return issue_url, preview_url

    def approver_approves_and_shares_it(self, issue_url: str) -> str:
        page = self.approver_page = self.open_page(viewport=VIEWPORT)
        self.log_in(page, self.approver)
        page.goto(issue_url)
        expect(page.get_by_role("heading", name="Review: In review")).to_be_visible()
        self.screenshot(page, "07-approve")
        page.get_by_role("button", name="Approve").click()
        expect(page.locator(".messagelist")).to_contain_text("is approved.")
        expect(page.get_by_role("heading", name="Review: Approved")).to_be_visible()

        links = page.locator("#preview-links")
        links.get_by_label("For:", exact=True).fill("Partnership board")
        links.get_by_role("button", name="Make a preview link").click()
        expect(page.locator(".messagelist")).to_contain_text("Preview link made")
        link = page.get_by_role("textbox", name="Preview link for Partnership board")
        self.screenshot(page, "08-preview-link", at=page.locator("#preview-links"))
        url = link.input_value()
        self.assertTrue(url.startswith(self.live_server_url + "/"), url)
        return url

    def reader_opens_the_preview_link(self, url: str) -> None:
        page = self.open_page(viewport=VIEWPORT)
        page.goto(url)
        expect(page).to_have_title(re.compile(r"^Preview, not sent: December 2024"))
        expect(page.get_by_role("banner")).to_contain_text("Preview, not sent")
        email = page.frame_locator("iframe")
        for item in (FELLOWSHIP, SEMINAR, WORKSHOP):
            expect(email.get_by_text(item).first).to_be_attached()
        # Not an admin page: the reader has no account.
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)
        self.screenshot(page, "09-preview-link-opened")

    def approver_marks_it_sent_and_downloads_it(self, issue_url: str) -> None:
        page = self.approver_page
        page.goto(issue_url)
        page.get_by_role("button", name="Mark sent").click()
        expect(page.locator(".messagelist")).to_contain_text(
            "is marked sent and frozen as readers received it."
        )
        expect(page.get_by_role("heading", name="Review: Sent")).to_be_visible()
        expect(page.locator(".workflow-history")).to_contain_text("Approved → Sent")
        self.screenshot(page, "10-marked-sent")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download for Other mailer").click()
        download = download_info.value
        self.assertTrue(download.suggested_filename.endswith(".zip"))
        with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as zip:
            names = zip.namelist()
            [html_name] = [name for name in names if name.endswith(".html")]
            html = zip.read(html_name).decode()
            [text_name] = [name for name in names if name.endswith(".txt")]
            text = zip.read(text_name).decode()
        self.assertIn(f"<title>{PUBLICATION} – December 2024</title>", html)
        self.assertIn("December 2024", text)
        for item in (FELLOWSHIP, SEMINAR, WORKSHOP):
            self.assertIn(item, html)
            self.assertIn(item, text)
        # In the order the editor left them.
        self.assertLess(html.index(SEMINAR), html.index(WORKSHOP))
        self.assertIn('alt="Two clinicians reading a chest X-ray on a screen"', html)
