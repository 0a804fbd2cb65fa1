import datetime
import re

from django.test import TestCase

from issues.editorial.sending import export_issue
from issues.export.snapshot import build_snapshot
from issues.export.text import WIDTH, render_text
from issues.models import MailerProfile
from tests.demo import import_demo
from tests.factories import (
    make_issue,
    make_item,
    make_person,
    make_publication,
    make_section,
)
from tests.issues.export.helpers import demo_issue, export_settings
from tests.issues.importer import demo_expected as demo


@export_settings
class ReferencePlainTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_demo()
        issue = demo_issue()
        cls.texts = {
            slug: export_issue(
                issue=issue, profile=MailerProfile.objects.get(slug=slug)
            ).text
            for slug in ("dynamics365", "mailchimp", "generic")
        }
        cls.text = cls.texts["generic"]

    def test_sections_are_underlined_headings_in_order(self):
        headings = re.findall(r"^(.+)\n=+$", self.text, re.M)
        sections = [
            s.title
            for s in demo.PUBLICATION.sections
            if demo.ISSUE.items.get(s.slug) or s.kind == "team"
        ]
        self.assertEqual(headings, [demo.PUBLICATION.name, *sections])

    def test_items_with_deadline_and_event_date(self):
        self.assertIn(
            "Apply to take part in a Turing Data Study Group\n"
            "-----------------------------------------------\n\n"
            "Application deadline: 20 November 2024\n",
            self.text,
        )
        self.assertIn("Date: 20 November 2024\nPlace: Bristol", self.text)

    def test_links_are_numbered_references_listed_at_the_end(self):
        body, _, links = self.text.rpartition("\nLinks:\n")
        listed = re.findall(r"^\[(\d+)\] (\S+)$", links, re.M)
        self.assertGreater(len(listed), 10)
        self.assertEqual(
            [int(number) for number, _ in listed], list(range(1, len(listed) + 1))
        )
        used = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
        self.assertEqual(used, set(range(1, len(listed) + 1)))
        urls = dict(listed)
        self.assertIn("More info and apply here [", body)
        number = re.search(r"More info and apply here \[(\d+)\]", body).group(1)
        self.assertEqual(
            urls[number],
            "https://www.turing.ac.uk/events/data-study-group-january-2025",
        )

    def test_wrapped_for_reading(self):
        """No line is over 76 columns, except one that is a single unbreakable link."""
        for line in self.text.split("\n"):
            if len(line) > WIDTH:
                self.assertRegex(line, r"^(\[\d+\] )?\S+$")
        self.assertNotIn("<", self.text.replace("<br", ""))

    def test_address_and_unsubscribe_lines(self):
        address = " ".join(demo.PUBLICATION.postal_address.split())
        self.assertIn(address, " ".join(self.texts["generic"].split()))
        mailchimp = self.texts["mailchimp"]
        self.assertIn("*|LIST:ADDRESS|*", mailchimp)
        self.assertIn("Unsubscribe: *|UNSUB|*", mailchimp)
        self.assertIn("Update your preferences: *|UPDATE_PROFILE|*", mailchimp)
        self.assertNotIn("Unsubscribe", self.texts["dynamics365"])
        self.assertNotIn("{{", self.texts["dynamics365"])


@export_settings
class PlainTextUnitTests(TestCase):
    def test_generic_unsubscribe_line_and_mailto_text(self):
        contact = make_person("Ada", email="ada@example.org")
        publication = make_publication(contact=contact, postal_address="1 Road\nTown")
        section = make_section(publication, title="News")
        issue = make_issue(publication)
        make_item(
            issue,
            section,
            title="Item",
            body='<p>Write to <a href="mailto:ada@example.org">Ada</a>.</p>',
            deadline=datetime.date(2024, 12, 18),
            deadline_label="Application deadline",
        )
        profile = MailerProfile(
            name="x", slug="x", unsubscribe_url="https://lists.example.org/u"
        )
        text = render_text(build_snapshot(issue), profile)
        self.assertIn("Application deadline: 18 December 2024", text)
        self.assertIn("Write to Ada (ada@example.org).", text)
        self.assertIn("1 Road\nTown", text)
        self.assertIn("Unsubscribe: https://lists.example.org/u", text)

    def test_rich_text_as_paragraphs_lists_and_numbered_links(self):
        """
        Paragraphs and lists are a blank line apart, list items a line each; a link
        is its words and its number, and a link to an address the words already
        show is left as they are.
        """
        issue = make_issue(make_publication(), intro="<p>Welcome.</p>")
        make_item(
            issue,
            make_section(issue.publication, title="News"),
            title="Item",
            body='<h3>Who</h3><p>Staff<br>and <a href="https://example.org/call">'
            'students</a>.</p><ul><li>Write to <a href="mailto:ada@example.org">'
            "ada@example.org</a></li><li>Apply</li></ul>",
        )
        text = render_text(build_snapshot(issue), MailerProfile(name="x", slug="x"))
        self.assertIn(
            "Welcome.\n\nNews\n====\n\nItem\n----\n\n"
            "Who\n\nStaff\nand students [1].\n\n"
            "- Write to ada@example.org\n- Apply\n\n",
            text,
        )
        self.assertIn("Links:\n[1] https://example.org/call\n", text)
