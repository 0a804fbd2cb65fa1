"""
What an approver approved is what is sent: a change made anywhere after approval
(an event, a deadline, a person, a section, the publication) sends the issue back to
Draft when it is exported or marked sent, instead of going out unseen.
"""

import datetime

from django.test import TestCase
from django.urls import reverse

from events.models import Deadline, Event
from issues.editorial.sending import ExportError, export_issue, mark_sent
from issues.editorial.workflow import WorkflowError, approve_issue, submit_issue
from issues.models import Issue, IssueExport, MailerProfile, Section
from people.models import Person
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_membership,
    make_person,
    make_publication,
    make_section,
    make_team,
)
from tests.issues.editorial.test_workflow import make_member, step_url, steps
from tests.issues.export.helpers import export_settings

Status = Issue.Status
CHANGED = (
    "Changed after approval: found when marking it sent. Something it shows (an "
    "event, a deadline, a person, a section or the publication) was edited since it "
    "was approved."
)


@export_settings
class ChangedAfterApprovalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_member("Editors", "editor")
        cls.approver = make_member("Approvers", "approver")
        cls.publication = make_publication(
            postal_address="1 Example Street, Exampleton"
        )
        cls.section = make_section(cls.publication, title="Events")
        cls.event = make_event(
            "Data week",
            start_date=datetime.date(2024, 12, 10),
            registration_url="https://example.org/register",
            location="Main hall",
        )
        cls.deadline = make_deadline(cls.event, date=datetime.date(2024, 12, 3))
        team = make_team("Programme team")
        cls.person = make_person("Ada Example")
        make_membership(team, cls.person)
        cls.publication.team = team
        cls.publication.save()
        make_section(cls.publication, title="Who we are", kind=Section.Kind.TEAM)

    def approved_issue(self, month: int = 12) -> Issue:
        issue = make_issue(self.publication, year=2024, month=month)
        make_item(issue, self.section, title="Join data week", event=self.event)
        submit_issue(issue=issue, user=self.editor)
        approve_issue(issue=issue, user=self.approver)
        issue.refresh_from_db()
        return issue

    def assert_back_in_draft(self, issue: Issue, found_when: str) -> None:
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.DRAFT)
        self.assertFalse(issue.is_frozen)
        self.assertFalse(IssueExport.objects.filter(issue=issue).exists())
        last = steps(issue)[-1]
        self.assertEqual(last[:2], ("approved", "draft"))
        self.assertIn(f"found when {found_when}", last[2])

    def test_unchanged_issue_is_sent_as_approved(self):
        issue = self.approved_issue()
        mark_sent(issue=issue, user=self.approver)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.SENT)
        self.assertEqual(
            issue.frozen_content["sections"][0]["items"][0]["event"][
                "registration_url"
            ],
            "https://example.org/register",
        )

    def test_event_edited_in_the_admin_after_approval_is_not_sent(self):
        """The audit's case: a registration link the approver never saw."""
        issue = self.approved_issue()
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("admin:events_event_change", args=[self.event.pk]),
            {
                "title": "Data week",
                "slug": self.event.slug,
                "start_date": "2024-12-10",
                "time_zone": self.event.time_zone,
                "location": "Main hall",
                "registration_url": "https://elsewhere.example.net/register",
                "deadlines-TOTAL_FORMS": "1",
                "deadlines-INITIAL_FORMS": "1",
                "deadlines-0-id": str(self.deadline.pk),
                "deadlines-0-event": str(self.event.pk),
                "deadlines-0-label": self.deadline.label,
                "deadlines-0-date": "2024-12-03",
            },
        )
        self.assertEqual(response.status_code, 302, getattr(response, "context", ""))
        self.event.refresh_from_db()
        self.assertEqual(
            self.event.registration_url, "https://elsewhere.example.net/register"
        )
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.APPROVED)

        self.client.force_login(self.approver)
        response = self.client.post(step_url(issue, "mark-sent"), follow=True)
        self.assertContains(response, "was not marked sent")
        self.assertContains(response, "It is back in Draft")
        self.assert_back_in_draft(issue, "marking it sent")
        self.assertEqual(steps(issue)[-1][2], CHANGED)
        self.assertEqual(issue.transitions.order_by("pk").last().by, self.approver)

    def test_every_kind_of_change_after_approval_is_caught(self):
        changes = {
            "event title": lambda: Event.objects.filter(pk=self.event.pk).update(
                title="Data fortnight"
            ),
            "event place": lambda: Event.objects.filter(pk=self.event.pk).update(
                location="Annex"
            ),
            "deadline date": lambda: Deadline.objects.filter(
                pk=self.deadline.pk
            ).update(date=datetime.date(2024, 12, 5)),
            "person's name": lambda: Person.objects.filter(pk=self.person.pk).update(
                name="Ada Other"
            ),
            "section title": lambda: Section.objects.filter(pk=self.section.pk).update(
                title="Meetings"
            ),
            "publication's address": lambda: (
                type(self.publication)
                .objects.filter(pk=self.publication.pk)
                .update(postal_address="2 Other Road")
            ),
        }
        for month, (change, make_change) in enumerate(changes.items(), start=1):
            with self.subTest(change):
                issue = self.approved_issue(month)
                make_change()
                with self.assertRaisesMessage(WorkflowError, "was not marked sent"):
                    mark_sent(issue=issue, user=self.approver)
                self.assert_back_in_draft(issue, "marking it sent")

    def test_change_undone_before_sending_is_no_change(self):
        issue = self.approved_issue()
        Event.objects.filter(pk=self.event.pk).update(location="Annex")
        Event.objects.filter(pk=self.event.pk).update(location="Main hall")
        mark_sent(issue=issue, user=self.approver)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.SENT)

    def test_download_of_a_changed_approved_issue_is_refused(self):
        """What is downloaded is what the mailer sends: it must be what was approved."""
        issue = self.approved_issue()
        profile = MailerProfile.objects.active().first()
        Event.objects.filter(pk=self.event.pk).update(
            registration_url="https://elsewhere.example.net/register"
        )
        self.client.force_login(self.editor)
        response = self.client.get(
            reverse("admin:issues_issue_export", args=[issue.pk, profile.slug]),
            follow=True,
        )
        self.assertNotEqual(response.get("Content-Type"), "application/zip")
        self.assertContains(response, "was not exported")
        self.assert_back_in_draft(issue, "exporting it")

    def test_preview_of_a_changed_approved_issue_shows_it_and_changes_nothing(self):
        issue = self.approved_issue()
        profile = MailerProfile.objects.active().first()
        Event.objects.filter(pk=self.event.pk).update(location="Annex")
        result = export_issue(issue=issue, profile=profile, force=True, preview=True)
        self.assertIn("Annex", result.html)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.APPROVED)

    def test_the_admin_preview_says_what_downloading_would_do(self):
        issue = self.approved_issue()
        self.client.force_login(self.approver)
        url = reverse("admin:issues_issue_preview", args=[issue.pk])
        self.assertNotContains(self.client.get(url), "changed since it was approved")
        Event.objects.filter(pk=self.event.pk).update(location="Annex")
        response = self.client.get(url)
        self.assertContains(response, "changed since it was approved")
        self.assertContains(response, "Annex")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.APPROVED)

    def test_export_of_an_unchanged_approved_issue_keeps_it_approved(self):
        issue = self.approved_issue()
        profile = MailerProfile.objects.active().first()
        result = export_issue(issue=issue, profile=profile)
        self.assertIn("https://example.org/register", result.html)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.APPROVED)

    def test_export_command_refuses_a_changed_approved_issue(self):
        issue = self.approved_issue()
        profile = MailerProfile.objects.active().first()
        Person.objects.filter(pk=self.person.pk).update(name="Ada Other")
        with self.assertRaisesMessage(ExportError, "It is back in Draft"):
            export_issue(issue=issue, profile=profile)
        self.assert_back_in_draft(issue, "exporting it")
