import datetime

from django.db import IntegrityError, transaction
from django.test import TestCase

from events.models import Event
from issues.editorial.sending import (
    ExportError,
    OverBudget,
    export_issue,
    mark_sent,
)
from issues.export.budget import LIMIT, REST
from issues.export.snapshot import build_snapshot, content_checksum
from issues.models import Issue, IssueExport, MailerProfile
from people.models import Person
from tests.demo import import_demo
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_membership,
    make_person,
    make_publication,
    make_section,
    make_social_link,
    make_team,
)
from tests.issues.export.helpers import demo_issue, export_settings

SENT_AT = datetime.datetime(2024, 11, 18, 11, 0, tzinfo=datetime.UTC)


@export_settings
class FreezeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("Grace Lead", organisation="Lab")
        team = make_team()
        make_membership(team, cls.person, role="Theme Lead")
        cls.publication = make_publication(team=team, contact=cls.person)
        cls.news = make_section(cls.publication, title="News", position=1)
        make_section(cls.publication, title="Team", kind="team", position=2)
        cls.event = make_event("Summit", location="Leeds")
        cls.issue = make_issue(cls.publication)
        make_item(cls.issue, cls.news, title="The summit", event=cls.event)
        cls.profile = MailerProfile.objects.get(slug="generic")

    def test_mark_sent_freezes_content_and_every_active_profile(self):
        issue = mark_sent(issue=self.issue, sent_at=SENT_AT)
        self.assertEqual(issue.status, Issue.Status.SENT)
        self.assertEqual(issue.sent_at, SENT_AT)
        self.assertIsNotNone(issue.frozen_at)
        self.assertEqual(
            issue.frozen_content_sha256, content_checksum(issue.frozen_content)
        )
        exports = IssueExport.objects.filter(issue=issue)
        self.assertEqual(
            sorted(exports.values_list("profile__slug", flat=True)),
            ["dynamics365", "generic", "mailchimp"],
        )
        for export in exports:
            self.assertTrue(export.is_intact)
            self.assertEqual(len(export.html_sha256), 64)

    def test_export_after_edits_is_byte_for_byte_the_frozen_copy(self):
        """Editing a person, an event and a section after sending changes nothing."""
        sent = mark_sent(issue=self.issue, sent_at=SENT_AT)
        before = export_issue(issue=sent, profile=self.profile)
        Person.objects.filter(pk=self.person.pk).update(name="Someone Else")
        Event.objects.filter(pk=self.event.pk).update(location="Glasgow")
        self.news.title = "Renamed"
        self.news.save()
        issue = Issue.objects.get(pk=self.issue.pk)
        after = export_issue(issue=issue, profile=self.profile)
        self.assertTrue(after.frozen)
        self.assertEqual(after.html.encode(), before.html.encode())
        self.assertEqual(after.text.encode(), before.text.encode())
        self.assertIn("Grace Lead", after.html)
        self.assertNotIn("Someone Else", after.html)

    def test_an_unsent_issue_shows_todays_content(self):
        """The control: without freezing, the same edit shows in the export."""
        Person.objects.filter(pk=self.person.pk).update(name="Someone Else")
        result = export_issue(issue=self.issue, profile=self.profile)
        self.assertFalse(result.frozen)
        self.assertIn("Someone Else", result.html)

    def test_profile_added_after_sending_renders_the_frozen_content(self):
        mark_sent(issue=self.issue, sent_at=SENT_AT)
        Person.objects.filter(pk=self.person.pk).update(name="Someone Else")
        profile = MailerProfile.objects.create(name="New mailer", slug="new")
        issue = Issue.objects.get(pk=self.issue.pk)
        result = export_issue(issue=issue, profile=profile)
        self.assertFalse(result.frozen)
        self.assertIn("frozen", result.note)
        self.assertIn("Grace Lead", result.html)
        self.assertNotIn("Someone Else", result.html)

    def test_a_changed_frozen_copy_is_refused(self):
        mark_sent(issue=self.issue, sent_at=SENT_AT)
        IssueExport.objects.filter(issue=self.issue, profile=self.profile).update(
            html="<p>changed</p>"
        )
        issue = Issue.objects.get(pk=self.issue.pk)
        with self.assertRaisesMessage(ExportError, "checksum"):
            export_issue(issue=issue, profile=self.profile)

    def test_marking_sent_twice_changes_nothing(self):
        issue = mark_sent(issue=self.issue, sent_at=SENT_AT)
        again = mark_sent(issue=issue, sent_at=SENT_AT + datetime.timedelta(days=1))
        self.assertEqual(again.frozen_at, issue.frozen_at)
        self.assertEqual(again.sent_at, SENT_AT)
        self.assertEqual(IssueExport.objects.filter(issue=issue).count(), 3)

    def test_database_refuses_a_frozen_draft(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Issue.objects.filter(pk=self.issue.pk).update(
                frozen_at=SENT_AT, frozen_content={}, frozen_content_sha256="0" * 64
            )

    def test_team_is_the_team_on_the_issues_date(self):
        leaver = make_person("Left Early")
        make_membership(
            self.publication.team,
            leaver,
            role="Former",
            ends_on=datetime.date(2024, 10, 31),
        )
        mark_sent(issue=self.issue, sent_at=SENT_AT)
        issue = Issue.objects.get(pk=self.issue.pk)
        [team] = [s for s in issue.frozen_content["sections"] if s["kind"] == "team"]
        self.assertEqual([m["name"] for m in team["team"]], ["Grace Lead"])


@export_settings
class DemoFreezeTests(TestCase):
    def test_the_demo_is_loaded_frozen(self):
        import_demo()
        issue = demo_issue()
        self.assertTrue(issue.is_frozen)
        self.assertEqual(issue.exports.count(), 3)
        result = export_issue(
            issue=issue, profile=MailerProfile.objects.get(slug="mailchimp")
        )
        self.assertTrue(result.frozen)


@export_settings
class SnapshotQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        team = make_team()
        make_membership(team, make_person())
        cls.publication = make_publication(team=team, contact=make_person())
        make_social_link(cls.publication)
        cls.sections = [
            make_section(cls.publication, title="A"),
            make_section(cls.publication, title="B"),
        ]
        make_section(cls.publication, title="Team", kind="team")
        cls.issue = make_issue(cls.publication)

    def add_items(self, count):
        for number in range(count):
            make_item(
                self.issue,
                self.sections[number % 2],
                event=make_event(),
                deadline=datetime.date(2024, 12, 1),
            )

    def test_snapshot_queries_do_not_grow_with_items(self):
        """Building the snapshot takes 6 queries for 4 items as for 40."""
        self.add_items(4)
        with self.assertNumQueries(6):
            build_snapshot(self.issue)
        self.add_items(36)
        with self.assertNumQueries(6):
            snapshot = build_snapshot(self.issue)
        self.assertEqual(sum(len(s["items"]) for s in snapshot["sections"]), 40)


@export_settings
class SizeBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication()
        section = make_section(publication, title="News")
        cls.issue = make_issue(publication)
        body = "<p>" + "A long paragraph of news. " * 200 + "</p>"
        for number in range(25):
            make_item(cls.issue, section, title=f"Item {number}", body=body)
        make_item(cls.issue, section, title="The longest", body=body * 3)
        cls.profile = MailerProfile.objects.get(slug="generic")

    def test_over_the_budget_is_refused_with_its_largest_parts(self):
        with self.assertRaises(OverBudget) as refused:
            export_issue(issue=self.issue, profile=self.profile)
        report = refused.exception.report
        self.assertGreater(report.size, LIMIT)
        self.assertEqual(report.contributors[0][0], "Item “The longest”")
        sizes = [size for _, size in report.contributors]
        self.assertEqual(sizes, sorted(sizes, reverse=True))
        self.assertEqual(sum(sizes), report.size)
        self.assertIn(REST, [label for label, _ in report.contributors])
        message = str(refused.exception)
        self.assertIn("Item “The longest”", message)
        self.assertIn("--force", message)

    def test_forced_export_goes_through(self):
        result = export_issue(issue=self.issue, profile=self.profile, force=True)
        self.assertTrue(result.report.over)
        self.assertEqual(result.report.size, len(result.html.encode()))

    def test_within_the_budget_is_not_refused(self):
        self.issue.items.exclude(title="Item 0").delete()
        result = export_issue(issue=self.issue, profile=self.profile)
        self.assertFalse(result.report.over)
