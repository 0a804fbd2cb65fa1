import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from issues.models import Issue, Item
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_social_link,
)


class IssueConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication("Partnership News")
        cls.issue = make_issue(cls.publication, year=2024, month=11)

    def test_second_issue_for_same_month_refused_by_database(self):
        """A second issue of a publication for the same month is refused."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            Issue.objects.create(
                publication=self.publication, year=2024, month=11, slug="other"
            )

    def test_second_issue_for_same_month_refused_by_validation(self):
        """Validation names the problem before the database has to."""
        duplicate = Issue(publication=self.publication, year=2024, month=11)
        with self.assertRaises(ValidationError) as raised:
            duplicate.full_clean()
        self.assertIn(
            "already has an issue for this month", str(raised.exception.messages)
        )

    def test_same_month_allowed_for_another_publication(self):
        """Each publication has its own November issue."""
        other = make_issue(make_publication("Other News"), year=2024, month=11)
        self.assertEqual(other.slug, "2024-11")

    def test_month_out_of_range_refused(self):
        """Month 13 never reaches the database."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            Issue.objects.create(publication=self.publication, year=2024, month=13)

    def test_sent_issue_must_record_when(self):
        """An issue cannot be marked Sent without the moment it was sent."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.SENT)

    def test_slug_and_title_default_to_the_month(self):
        """A new issue is called after its month and gets a year-month slug."""
        self.assertEqual(self.issue.slug, "2024-11")
        self.assertEqual(self.issue.display_title, "November 2024")
        self.assertEqual(str(self.issue), "Partnership News – November 2024")

    def test_absolute_url(self):
        self.assertEqual(
            self.issue.get_absolute_url(), "/issues/partnership-news/2024-11/"
        )

    def test_date_prefers_sent_then_planned_then_month(self):
        """The team and deadlines are judged on the date the issue went out."""
        issue = make_issue(self.publication, year=2025, month=1)
        self.assertEqual(issue.date, datetime.date(2025, 1, 1))
        issue.planned_send_date = datetime.date(2025, 1, 14)
        self.assertEqual(issue.date, datetime.date(2025, 1, 14))
        issue.sent_at = datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)
        self.assertEqual(issue.date, datetime.date(2025, 1, 15))


class IssueQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication()
        cls.sent_old = make_issue(publication, year=2024, month=10, status="sent")
        cls.sent_new = make_issue(publication, year=2024, month=11, status="sent")
        for month, status in [(12, "draft"), (1, "in_review"), (2, "approved")]:
            make_issue(
                publication,
                year=2025 if month < 12 else 2024,
                month=month,
                status=status,
            )

    def test_sent_lists_only_sent_newest_first(self):
        """Only sent issues are public, and the newest comes first."""
        self.assertEqual(list(Issue.objects.sent()), [self.sent_new, self.sent_old])


class ItemConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue()
        cls.section = make_section(cls.issue.publication, title="News")

    def test_javascript_call_to_action_never_reaches_the_database(self):
        """A javascript: link is refused by validation and by the database."""
        item = Item(
            issue=self.issue,
            section=self.section,
            title="Apply",
            cta_label="Apply",
            cta_url="javascript:alert(1)",
        )
        with self.assertRaises(ValidationError) as raised:
            item.full_clean()
        self.assertIn("cta_url", raised.exception.message_dict)
        with self.assertRaises(IntegrityError), transaction.atomic():
            item.save()
        self.assertFalse(Item.objects.filter(title="Apply").exists())

    def test_item_in_an_issue_needs_a_section(self):
        """Placed items always belong to a section; inbox items need none."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            Item.objects.create(issue=self.issue, title="Nowhere")
        inbox_item = Item.objects.create(title="Waiting")
        self.assertIsNone(inbox_item.section)

    def test_deadline_without_label_is_called_deadline(self):
        item = make_item(self.issue, self.section, deadline=datetime.date(2024, 12, 1))
        self.assertEqual(item.deadline_label, "Deadline")

    def test_deadline_label_without_date_refused(self):
        """A deadline label means nothing without its date."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            Item.objects.create(
                issue=self.issue,
                section=self.section,
                title="x",
                deadline_label="Application deadline",
            )

    def test_call_to_action_label_needs_a_link(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Item.objects.create(
                issue=self.issue, section=self.section, title="x", cta_label="Go"
            )

    def test_section_of_another_publication_refused(self):
        """An item cannot sit in a section of a different publication."""
        foreign = make_section(make_publication(), title="Elsewhere")
        item = Item(issue=self.issue, section=foreign, title="Lost")
        with self.assertRaises(ValidationError) as raised:
            item.full_clean()
        self.assertIn("section", raised.exception.message_dict)

    def test_rich_text_body_is_sanitised_on_save(self):
        item = make_item(
            self.issue,
            self.section,
            body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:'
            'alert(1)">link</a></p>',
        )
        item.refresh_from_db()
        self.assertEqual(item.body, "<p>Hi <a>link</a></p>")

    def test_absolute_url_is_an_anchor_on_the_issue_page(self):
        item = make_item(self.issue, self.section)
        self.assertEqual(
            item.get_absolute_url(),
            f"{self.issue.get_absolute_url()}#item-{item.pk}",
        )

    def test_inbox_item_url_is_its_admin_page(self):
        item = Item.objects.create(title="Waiting")
        self.assertEqual(
            item.get_absolute_url(), f"/admin/issues/item/{item.pk}/change/"
        )


class ItemQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue()
        first = make_section(cls.issue.publication, title="First", position=1)
        second = make_section(cls.issue.publication, title="Second", position=2)
        cls.b = make_item(cls.issue, second, title="B", position=0)
        cls.a2 = make_item(
            cls.issue,
            first,
            title="A2",
            position=2,
            deadline=datetime.date(2024, 11, 30),
        )
        cls.a1 = make_item(
            cls.issue,
            first,
            title="A1",
            position=1,
            deadline=datetime.date(2024, 11, 10),
        )
        cls.waiting = Item.objects.create(
            title="Waiting", deadline=datetime.date(2025, 1, 5)
        )

    def test_in_order_follows_sections_then_positions(self):
        self.assertEqual(
            list(Item.objects.filter(issue=self.issue).in_order()),
            [self.a1, self.a2, self.b],
        )

    def test_inbox_holds_only_unplaced_items(self):
        self.assertEqual(list(Item.objects.inbox()), [self.waiting])

    def test_open_deadlines_from_today_soonest_first(self):
        """A deadline is open up to and including its day."""
        self.assertEqual(
            list(Item.objects.open_deadlines(datetime.date(2024, 11, 10))),
            [self.a1, self.a2, self.waiting],
        )
        self.assertEqual(
            list(Item.objects.open_deadlines(datetime.date(2024, 11, 11))),
            [self.a2, self.waiting],
        )


class PublicationTests(TestCase):
    def test_str_and_url(self):
        publication = make_publication("Partnership News")
        self.assertEqual(str(publication), "Partnership News")
        self.assertEqual(publication.get_absolute_url(), "/issues/partnership-news/")

    def test_brand_colour_must_be_hex(self):
        publication = make_publication(brand_colour="blue")
        with self.assertRaises(ValidationError) as raised:
            publication.full_clean()
        self.assertIn("brand_colour", raised.exception.message_dict)

    def test_social_link_must_be_http(self):
        publication = make_publication()
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_social_link(publication, url="data:text/html,<script>")

    def test_section_slug_unique_per_publication(self):
        publication = make_publication()
        make_section(publication, title="News", slug="news")
        make_section(make_publication(), title="News", slug="news")
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_section(publication, title="News again", slug="news")

    def test_event_link_survives_event_deletion(self):
        """Deleting an event keeps the items that featured it."""
        issue = make_issue()
        event = make_event()
        item = make_item(issue, event=event)
        event.delete()
        item.refresh_from_db()
        self.assertIsNone(item.event)
