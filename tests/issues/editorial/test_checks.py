import datetime

from django.db.models import Value
from django.test import TestCase
from django.urls import reverse

from issues.editorial import checks
from issues.export.budget import LIMIT
from issues.models import Issue, Item, MailerProfile, Publication, Section
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_team,
)
from tests.issues.export.helpers import export_settings

SEND_DATE = datetime.date(2024, 11, 14)


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


@export_settings
class PreflightTests(TestCase):
    """Each check fires on its problem and stays quiet on a clean issue."""

    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News", position=1)
        cls.issue = make_issue(
            cls.publication,
            preheader="A new theme lead, two calls and the summit in December",
            planned_send_date=SEND_DATE,
        )
        cls.item = make_item(
            cls.issue,
            cls.section,
            title="Call for proposals",
            cta_label="Apply",
            cta_url="https://www.example.org/apply",
        )

    def preflight(self, **kwargs):
        issue = Issue.objects.select_related("publication").get(pk=self.issue.pk)
        return checks.preflight(issue, **kwargs)

    def test_clean_issue_has_no_problem(self):
        """An issue with items, a preheader, a send date and good links passes."""
        self.assertEqual(self.preflight(), [])

    def test_no_items_blocks(self):
        """An issue with no items cannot go out."""
        Item.objects.filter(pk=self.item.pk).delete()
        problems = self.preflight()
        self.assertIn(checks.NO_ITEMS, codes(problems))
        [problem] = [p for p in problems if p.code == checks.NO_ITEMS]
        self.assertTrue(problem.blocking)
        self.assertEqual(
            problem.admin_url,
            reverse("admin:issues_issue_change", args=[self.issue.pk]),
        )

    def test_missing_preheader_is_a_warning(self):
        """Without a preheader inboxes show item titles: a warning, not a block."""
        Issue.objects.filter(pk=self.issue.pk).update(preheader="  ")
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.NO_PREHEADER)
        self.assertFalse(problem.blocking)
        self.assertIn("preheader", problem.fix)

    def test_missing_send_date_is_a_warning(self):
        """Without a planned send date, dates are not checked, and it says so."""
        Issue.objects.filter(pk=self.issue.pk).update(planned_send_date=None)
        Item.objects.filter(pk=self.item.pk).update(
            deadline=datetime.date(2024, 1, 1), deadline_label="Deadline"
        )
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.NO_SEND_DATE)
        self.assertFalse(problem.blocking)

    def test_item_image_without_alt_text_blocks_and_links_to_the_item(self):
        """An item's image without alt text blocks; the fix is on the item's page."""
        Item.objects.filter(pk=self.item.pk).update(
            image_url="https://www.example.org/photo.jpg", image_alt=" "
        )
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.MISSING_ALT)
        self.assertTrue(problem.blocking)
        self.assertEqual(problem.item_id, self.item.pk)
        self.assertIn("Call for proposals", problem.message)
        self.assertEqual(
            problem.admin_url, reverse("admin:issues_item_change", args=[self.item.pk])
        )

    def test_item_image_with_alt_text_passes(self):
        Item.objects.filter(pk=self.item.pk).update(
            image_url="https://www.example.org/photo.jpg", image_alt="Two researchers"
        )
        self.assertEqual(self.preflight(), [])

    def test_banner_and_shown_section_without_alt_text_block(self):
        """The banner and the image of a section in the issue need alt text too."""
        Publication.objects.filter(pk=self.publication.pk).update(
            banner_url="https://www.example.org/banner.png"
        )
        Section.objects.filter(pk=self.section.pk).update(
            image_url="https://www.example.org/news.png"
        )
        problems = self.preflight()
        self.assertEqual(codes(problems), [checks.MISSING_ALT, checks.MISSING_ALT])
        publication_page = reverse(
            "admin:issues_publication_change", args=[self.publication.pk]
        )
        self.assertEqual({p.admin_url for p in problems}, {publication_page})
        self.assertIn("banner", problems[0].message)
        self.assertIn("News", problems[1].message)

    def test_section_left_out_needs_no_alt_text(self):
        """A section the issue does not show is not checked for alt text."""
        make_section(
            self.publication,
            is_default=False,
            image_url="https://www.example.org/other.png",
        )
        self.assertEqual(self.preflight(), [])

    def test_bad_link_in_item_text_blocks(self):
        """A stored link that is not http(s)/mailto blocks, whatever wrote it."""
        Item.objects.filter(pk=self.item.pk).update(
            body=Value('<p><a href="javascript:alert(1)">Click</a></p>')
        )
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.BAD_LINK)
        self.assertTrue(problem.blocking)
        self.assertIn("javascript:alert(1)", problem.message)
        self.assertEqual(problem.item_id, self.item.pk)

    def test_bad_link_of_any_element_in_any_case_blocks(self):
        """An image source or an upper-case HREF written past the sanitiser blocks."""
        Item.objects.filter(pk=self.item.pk).update(
            body=Value('<p><img SRC="javascript:alert(1)"><a HREF="data:x">x</a></p>')
        )
        problems = self.preflight()
        self.assertEqual(codes(problems), [checks.BAD_LINK, checks.BAD_LINK])
        self.assertIn("javascript:alert(1)", problems[0].message)
        self.assertIn("data:x", problems[1].message)

    def test_bad_link_in_introductions_blocks(self):
        """Links in the issue's and the publication's introductions are checked."""
        Issue.objects.filter(pk=self.issue.pk).update(
            intro=Value('<a href="ftp://files.example.org/">files</a>')
        )
        Publication.objects.filter(pk=self.publication.pk).update(
            intro=Value('<a href="data:text/html,x">us</a>')
        )
        problems = self.preflight()
        self.assertEqual(codes(problems), [checks.BAD_LINK, checks.BAD_LINK])
        self.assertIn("publication's introduction", problems[0].message)
        self.assertIn("issue's introduction", problems[1].message)

    def test_disguised_call_to_action_link_blocks(self):
        """A call-to-action link with a user name in it is refused as a disguise."""
        Item.objects.filter(pk=self.item.pk).update(
            cta_url="https://www.example.org@elsewhere.example/"
        )
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.BAD_LINK)
        self.assertIn("call-to-action link", problem.message)

    def test_good_links_pass(self):
        Item.objects.filter(pk=self.item.pk).update(
            body='<p><a href="https://www.example.org/">web</a> '
            '<a href="mailto:news@example.org">mail</a></p>'
        )
        self.assertEqual(self.preflight(), [])

    def test_deadline_before_send_date_blocks(self):
        """A deadline that has passed when the issue goes out blocks."""
        Item.objects.filter(pk=self.item.pk).update(
            deadline=datetime.date(2024, 11, 13), deadline_label="Application deadline"
        )
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.DATE_BEFORE_SENDING)
        self.assertTrue(problem.blocking)
        self.assertIn("13 November 2024", problem.message)
        self.assertIn("14 November 2024", problem.message)

    def test_deadline_on_send_date_passes(self):
        Item.objects.filter(pk=self.item.pk).update(
            deadline=SEND_DATE, deadline_label="Deadline"
        )
        self.assertEqual(self.preflight(), [])

    def test_event_over_before_send_date_blocks(self):
        """An item about an event that is over by the send date blocks."""
        event = make_event("Autumn summit", start_date=datetime.date(2024, 11, 1))
        Item.objects.filter(pk=self.item.pk).update(event=event)
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.DATE_BEFORE_SENDING)
        self.assertIn("Autumn summit", problem.message)

    def test_event_still_running_on_send_date_passes(self):
        event = make_event(
            start_date=datetime.date(2024, 11, 10), end_date=datetime.date(2024, 11, 20)
        )
        Item.objects.filter(pk=self.item.pk).update(event=event)
        self.assertEqual(self.preflight(), [])

    def test_event_deadline_before_send_date_is_a_warning(self):
        """A passed deadline of a featured event warns, and links to the event."""
        event = make_event(start_date=datetime.date(2024, 12, 5))
        make_deadline(event, label="Early-bird rate", date=datetime.date(2024, 11, 1))
        Item.objects.filter(pk=self.item.pk).update(event=event)
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.EVENT_DEADLINE_BEFORE_SENDING)
        self.assertFalse(problem.blocking)
        self.assertEqual(
            problem.admin_url, reverse("admin:events_event_change", args=[event.pk])
        )

    def test_empty_default_section_is_a_warning_that_says_it_is_left_out(self):
        make_section(self.publication, title="Publication of the month", position=2)
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.EMPTY_SECTION)
        self.assertFalse(problem.blocking)
        self.assertIn("left out", problem.message)

    def test_empty_optional_or_team_section_passes(self):
        """Sections not expected in every issue, and the team list, are not flagged."""
        make_section(self.publication, is_default=False)
        make_section(self.publication, kind=Section.Kind.TEAM)
        self.assertEqual(self.preflight(), [])

    def test_item_without_call_to_action_is_a_warning(self):
        Item.objects.filter(pk=self.item.pk).update(cta_label="", cta_url="")
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.NO_CALL_TO_ACTION)
        self.assertFalse(problem.blocking)

    def test_event_registration_link_counts_as_call_to_action(self):
        event = make_event(
            start_date=datetime.date(2024, 12, 5),
            registration_url="https://www.example.org/register",
        )
        Item.objects.filter(pk=self.item.pk).update(
            cta_label="", cta_url="", event=event
        )
        self.assertEqual(self.preflight(), [])

    def test_over_budget_blocks(self):
        """An e-mail over Gmail's clipping size blocks, measured on the e-mail."""
        paragraph = "<p>" + "Long news. " * 1000 + "</p>"
        for _ in range(LIMIT // len(paragraph) + 1):
            make_item(
                self.issue, self.section, body=paragraph, cta_url="https://x.org/"
            )
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.OVER_BUDGET)
        self.assertTrue(problem.blocking)
        self.assertIn("102.0 KB", problem.message)

    def test_blocking_problems_come_first(self):
        Issue.objects.filter(pk=self.issue.pk).update(preheader="")
        Item.objects.filter(pk=self.item.pk).update(
            image_url="https://www.example.org/photo.jpg"
        )
        self.assertEqual(
            codes(self.preflight()), [checks.MISSING_ALT, checks.NO_PREHEADER]
        )

    def test_a_mailer_tag_in_an_item_title_is_a_warning(self):
        """A tag typed into content is sent as typed: a warning says where."""
        Item.objects.filter(pk=self.item.pk).update(title="{{7*7}}")
        [problem] = self.preflight()
        self.assertEqual(problem.code, checks.MAILER_TAG)
        self.assertFalse(problem.blocking)
        self.assertEqual(
            problem.message,
            "“{{7*7}}” in the title of item “{{7*7}}” looks like a placeholder to "
            "Dynamics 365, HubSpot, Brevo, Listmonk and Mailjet; it is sent as the "
            "characters typed.",
        )
        self.assertEqual(
            problem.admin_url, reverse("admin:issues_item_change", args=[self.item.pk])
        )

    def test_mailer_tags_anywhere_in_content_are_warnings(self):
        """Each field holding tags is named, with the page where it is edited."""
        event = make_event(location="*|VENUE|*", start_date=datetime.date(2024, 12, 1))
        make_deadline(event, label="[[LABEL]]", date=datetime.date(2024, 11, 20))
        Item.objects.filter(pk=self.item.pk).update(
            body="<p>Dear {<em>{name}}</em> and %%FirstName%%</p>",
            cta_url="https://www.example.org/apply?id={{id}}",
            event=event,
        )
        Issue.objects.filter(pk=self.issue.pk).update(
            preheader="Hi [firstname,fallback=]"
        )
        Publication.objects.filter(pk=self.publication.pk).update(
            postal_address="1 Road {$city}"
        )
        Section.objects.filter(pk=self.section.pk).update(title="News {% now %}")
        item = "item “Call for proposals”"
        on_item = reverse("admin:issues_item_change", args=[self.item.pk])
        on_event = reverse("admin:events_event_change", args=[event.pk])
        on_issue = reverse("admin:issues_issue_change", args=[self.issue.pk])
        on_publication = reverse(
            "admin:issues_publication_change", args=[self.publication.pk]
        )
        expected = [
            (
                "“[firstname,fallback=]” in the preheader of the issue looks like a "
                "placeholder to Campaign Monitor",
                on_issue,
            ),
            (
                "“{$city}” in the postal address of the publication looks like a "
                "placeholder to MailerLite; it is sent as the characters typed.",
                on_publication,
            ),
            (
                "“{% now %}” in the title of section “News {% now %}” looks like a "
                "placeholder to HubSpot, Brevo and Mailjet",
                on_publication,
            ),
            (
                f"“{{{{name}}}}” and “%%FirstName%%” in the text of {item} look like "
                "placeholders to Dynamics 365, HubSpot, Brevo, Listmonk, Mailjet, "
                "Salesforce Marketing Cloud and Account Engagement (Pardot); they are "
                "sent as the characters typed.",
                on_item,
            ),
            (
                f"“{{{{id}}}}” in the call-to-action link of {item} looks like a "
                "placeholder to Dynamics 365, HubSpot, Brevo, Listmonk and Mailjet; "
                "the link is sent with it percent-encoded, as browsers send it.",
                on_item,
            ),
            (
                "“*|VENUE|*” in the place of event “Event",
                on_event,
            ),
            (
                "“[[LABEL]]” in the label of a deadline of event “Event",
                on_event,
            ),
        ]
        problems = [p for p in self.preflight() if p.code == checks.MAILER_TAG]
        self.assertEqual(len(problems), len(expected), problems)
        for problem, (message, url) in zip(problems, expected, strict=True):
            with self.subTest(message):
                self.assertIn(message, problem.message)
                self.assertEqual(problem.admin_url, url)
                self.assertFalse(problem.blocking)

    def test_queries_do_not_grow_with_items(self):
        """The checks take as many queries for 5 items as for 100."""
        team = make_team()
        Publication.objects.filter(pk=self.publication.pk).update(team=team)

        def add_items(count):
            for _ in range(count):
                event = make_event(
                    start_date=datetime.date(2024, 12, 1), location="{{venue}}"
                )
                make_deadline(event, date=datetime.date(2024, 11, 1))
                make_item(
                    self.issue,
                    self.section,
                    event=event,
                    image_url="https://x.org/a.png",
                )

        add_items(4)
        issue = Issue.objects.select_related("publication").get(pk=self.issue.pk)
        profile = MailerProfile.objects.get(slug="generic")
        with self.assertNumQueries(8) as five:
            problems = checks.preflight(issue, profile=profile)
        self.assertEqual(len(problems), 4 * 4)
        add_items(95)
        with self.assertNumQueries(len(five.captured_queries)):
            problems = checks.preflight(issue, profile=profile)
        # Each new item: no alt text, no call to action, a past event deadline, a
        # mailer's tag in its event's place.
        content = [p for p in problems if p.code != checks.OVER_BUDGET]
        self.assertEqual(len(content), 99 * 4)


class ProblemCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication()
        cls.section = make_section(cls.publication)

    def test_counts_blocking_and_warnings_per_issue_in_fixed_queries(self):
        """Counting the problems of 3 issues or 30 takes the same queries."""
        issues = []
        for month in range(1, 4):
            issue = make_issue(self.publication, month=month)
            make_item(issue, self.section, image_url="https://x.org/a.png")
            issues.append(issue)
        issues.append(make_issue(self.publication, month=4, preheader="Hello there"))
        # The sections and the items; the deadlines too when items have events.
        with self.assertNumQueries(2):
            counts = checks.problem_counts(issues)
        self.assertEqual(
            counts[issues[0].pk], checks.ProblemCount(blocking=1, warnings=3)
        )
        # No items: blocking; no send date and an empty section: warnings.
        self.assertEqual(
            counts[issues[3].pk], checks.ProblemCount(blocking=1, warnings=2)
        )
        for year in range(2000, 2027):
            issue = make_issue(self.publication, year=year)
            make_item(issue, self.section)
            issues.append(issue)
        with self.assertNumQueries(2):
            checks.problem_counts(issues)
