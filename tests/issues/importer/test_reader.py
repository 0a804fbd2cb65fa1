import datetime
import os
import subprocess

from django.test import SimpleTestCase

from events.models import Event
from issues.demo import NEWSLETTER as REFERENCE
from issues.importer.reader import UnreadableNewsletter, read_newsletter
from issues.importer.reader.document import is_html
from issues.models import Section, SocialLink
from tests.issues.importer import demo_expected
from tests.issues.importer.samples import TRACKER, email_html
from tests.utils import run_python


class ReferenceReadingTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parsed = read_newsletter(
            REFERENCE.read_bytes(), publication_slug=demo_expected.PUBLICATION.slug
        )

    def test_reads_exactly_the_demo_publication(self):
        """The reference file gives the demo's publication, field by field."""
        self.assertEqual(self.parsed.source_format, "markdown")
        self.assertEqual(self.parsed.publication, demo_expected.PUBLICATION)

    def test_reads_exactly_the_demo_issue(self):
        """The reference file gives the demo's issue, item by item."""
        issue = self.parsed.issue
        self.assertEqual(list(issue.items), list(demo_expected.ISSUE.items))
        for slug, items in demo_expected.ISSUE.items.items():
            for read, expected in zip(issue.items[slug], items, strict=True):
                with self.subTest(item=expected.title):
                    self.assertEqual(read, expected)
        self.assertEqual(issue, demo_expected.ISSUE)
        self.assertTrue(self.parsed.sent_at_from_source)

    def test_stray_control_characters_are_dropped(self):
        """
        Control characters (an escape pasted from a terminal, a form feed from a
        PDF) leave no trace: the file reads as if they were not there.
        """
        text = REFERENCE.read_text()
        soiled = (
            text.replace("Partnership", "Partner\x1bship")
            .replace("Data Study Group", "Data\x07 Study\x7f Group")
            .replace("\n## ", "\n\x0c## ")
        )
        self.assertNotEqual(soiled, text)
        parsed = read_newsletter(
            soiled.encode(), publication_slug=demo_expected.PUBLICATION.slug
        )
        self.assertEqual(parsed.publication, demo_expected.PUBLICATION)
        self.assertEqual(parsed.issue, demo_expected.ISSUE)

    def test_slug_comes_from_the_name_without_the_article(self):
        """Without a slug given, the publication's is its name's, less “The”."""
        parsed = read_newsletter(REFERENCE.read_bytes())
        self.assertEqual(parsed.publication.slug, "turing-roche-strategic-partnership")


class EmailReadingTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parsed = read_newsletter(email_html().encode())
        cls.publication = cls.parsed.publication
        cls.issue = cls.parsed.issue

    def test_layout_tables_are_flattened(self):
        """Headings inside layout tables give the publication, issue and sections."""
        self.assertEqual(self.parsed.source_format, "html")
        self.assertEqual(self.publication.name, "The Research Network")
        self.assertEqual(self.publication.slug, "research-network")
        self.assertEqual((self.issue.year, self.issue.month), (2025, 3))
        self.assertEqual(
            [(s.title, s.slug, s.kind) for s in self.publication.sections],
            [
                (
                    "News and opportunities",
                    "news-and-opportunities",
                    Section.Kind.ITEMS,
                ),
                ("Events", "events", Section.Kind.ITEMS),
                ("Our team", "team", Section.Kind.TEAM),
            ],
        )

    def test_preheader_intro_and_signup(self):
        """The hidden preheader, this month's paragraph and the sign-up link."""
        self.assertEqual(
            self.issue.preheader, "Grants, a workshop and who is who this spring"
        )
        self.assertEqual(
            self.issue.intro, "<p>This month we welcome our new members.</p>"
        )
        self.assertEqual(
            self.publication.intro,
            "<p>The Research Network brings together people who work with data in "
            "health.</p>",
        )
        self.assertEqual(
            self.publication.signup_url, "https://network.example.org/signup"
        )

    def test_item_with_deadline_and_call_to_action(self):
        """A bold “label:” and a date is a deadline; a lone link is the CTA."""
        first, second = self.issue.items["news-and-opportunities"]
        self.assertEqual(first.title, "Seed grants for collaborations")
        self.assertEqual(first.deadline, datetime.date(2024, 11, 20))
        self.assertEqual(first.deadline_label, "Application deadline")
        self.assertEqual(first.cta_label, "Apply here")
        self.assertEqual(first.cta_url, "https://grants.example.org/apply")
        self.assertEqual(
            first.body,
            "<p>Grants of up to £10,000 for new projects &amp; pilot studies, see the "
            '<a href="https://grants.example.org/guidance">guidance</a>.</p>',
        )
        # The section's image is its own: its items carry none.
        self.assertEqual(
            self.publication.sections[0].image_url,
            "https://assets-gbr.mkt.dynamics.com/org/images/news?ts=2",
        )
        self.assertEqual(second.body, "<p>Its only paragraph.</p>")
        self.assertEqual(second.cta_url, TRACKER)

    def test_event(self):
        """A bold date alone makes the item an event's, with place and organiser."""
        [item] = self.issue.items["events"]
        event = item.event
        self.assertEqual(event.start_date, datetime.date(2025, 3, 14))
        self.assertEqual(event.slug, "data-linkage-workshop-2025-03-14")
        self.assertEqual(event.format, Event.Format.IN_PERSON)
        self.assertEqual(event.location, "Leeds")
        self.assertEqual(event.organiser, "Data Institute")
        self.assertEqual(
            event.registration_url, "https://events.example.org/linkage?id=7"
        )

    def test_team_social_links_and_footer(self):
        """The team list, the social links, the address and the copyright holder."""
        team = self.publication.team
        self.assertEqual(team.name, "Our team")
        self.assertEqual(
            [(m.name, m.organisation, m.role) for m in team.members],
            [
                ("Ada Lovelace", "University of London", "Network Lead"),
                ("Alan Turing", "Manchester", "Theme Lead"),
            ],
        )
        self.assertEqual(
            [
                (link.network, link.label, link.url)
                for link in self.publication.social_links
            ],
            [
                (SocialLink.Network.WEBSITE, "website", "https://network.example.org/"),
                (
                    SocialLink.Network.LINKEDIN,
                    "",
                    "https://www.linkedin.com/company/network/",
                ),
            ],
        )
        self.assertEqual(
            self.publication.postal_address,
            "Research Network, 1 High Street, Leeds LS1 1AA, United Kingdom",
        )
        self.assertEqual(self.publication.copyright_holder, "The Research Network")
        self.assertEqual(self.publication.banner_alt, "Research Network banner")

    def test_without_safe_links_the_first_of_the_month_is_assumed(self):
        """No delivery time in the source: 09:00 on the first, in the site's zone."""
        self.assertFalse(self.parsed.sent_at_from_source)
        self.assertEqual(self.issue.sent_at.date(), datetime.date(2025, 3, 1))
        self.assertEqual(self.issue.sent_at.hour, 9)

    def test_unknown_redirect_is_reported(self):
        """The tracker nobody knows is listed among the redirects kept."""
        self.assertEqual(
            [link.url for link in self.parsed.links.kept_redirects], [TRACKER]
        )


class UnreadableTests(SimpleTestCase):
    def assertRefused(self, data, line, words):
        with self.assertRaises(UnreadableNewsletter) as raised:
            read_newsletter(data)
        self.assertEqual(raised.exception.line, line)
        self.assertIn(words, str(raised.exception))
        self.assertTrue(str(raised.exception).startswith(f"line {line}: "))

    def test_empty_file(self):
        """An empty file is refused on its first line."""
        self.assertRefused(b"  \n\n", 1, "the file is empty")

    def test_binary_file(self):
        """A binary file is refused, with the line of its first NUL byte."""
        self.assertRefused(b"\x89PNG\r\n\x1a\n\x00\x00", 3, "not a text file")

    def test_wrong_encoding(self):
        """Text that is not UTF-8 is refused with the line of the first bad byte."""
        self.assertRefused(
            "# News\n\nCaf\xe9 society\n".encode("latin-1"), 3, "not UTF-8"
        )

    def test_no_publication_name(self):
        """Without a level-1 heading there is no publication."""
        self.assertRefused(b"Just some text.\n\nMore text.\n", 1, "no publication name")

    def test_no_month(self):
        """The issue's title must name its month; the error points at the title."""
        self.assertRefused(
            b"# The Network\n\nIntro.\n\n## Spring news\n\n### An item\n\nText.\n",
            5,
            "the issue's month was not found",
        )

    def test_no_sections(self):
        """A newsletter with a month but no items is refused."""
        self.assertRefused(
            b"# The Network\n\n## May 2024\n\nOnly an introduction.\n",
            3,
            "no sections with items",
        )


class HostileFileTests(SimpleTestCase):
    """Files made to make the reader work for ever are read in one pass."""

    def test_a_run_of_empty_comments_is_read_at_once(self):
        """
        Forty empty comments and a letter (281 bytes) once made the test for HTML
        try every way of splitting the comments: it never finished. Read in a
        Python of its own, which is stopped if it takes long.
        """
        program = (
            "import django; django.setup()\n"
            "from issues.importer.reader.document import is_html\n"
            "print(is_html('<!---->' * 40 + 'x'))"
        )
        env = {
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        try:
            result = run_python("-c", program, env=env, timeout=20)
        except subprocess.TimeoutExpired:
            self.fail("The test for HTML did not finish on a run of empty comments.")
        self.assertEqual(result.stdout.strip(), "False", result.stderr)

    def test_comments_and_space_before_the_first_tag_are_skipped(self):
        """What an e-mail puts before its first tag does not hide that it is HTML."""
        self.assertTrue(is_html("\n <!-- a --> <!--\nb-->\n<!DOCTYPE html><html>"))
        self.assertTrue(is_html("<!---->" * 40 + "<div>"))
        self.assertFalse(is_html("<!-- never closed <html>"))
        self.assertFalse(is_html("# November 2024\n\n<div>"))
