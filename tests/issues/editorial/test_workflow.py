import datetime
from unittest import mock

import time_machine
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse

from issues.admin.issue import IssueAdmin
from issues.editorial.sending import mark_sent
from issues.editorial.workflow import (
    TRANSITIONS,
    Transition,
    WorkflowError,
    approve_issue,
    record_edit,
    send_back,
    submit_issue,
    transitions_for,
)
from issues.models import Issue, IssueTransition
from tests.factories import (
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_user,
)
from tests.issues.admin.test_issue import issue_post_data
from tests.issues.export.helpers import export_settings
from tests.utils import get_counting_queries

Status = Issue.Status
NOW = datetime.datetime(2024, 12, 2, 10, 42, tzinfo=datetime.UTC)


def make_member(group: str, username: str | None = None, **fields):
    user = make_user(username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def steps(issue: Issue) -> list[tuple[str, str, str]]:
    return [
        (t.from_status, t.to_status, t.comment)
        for t in IssueTransition.objects.filter(issue=issue).order_by("pk")
    ]


class EditorialGroupsTests(TestCase):
    def test_only_approvers_may_approve_and_mark_sent(self):
        """The data migration gives approvers, and not editors, the last say."""
        editor = make_member("Editors")
        approver = make_member("Approvers")
        for permission in ("issues.approve_issue", "issues.mark_issue_sent"):
            self.assertFalse(editor.has_perm(permission))
            self.assertTrue(approver.has_perm(permission))
        for permission in (
            "issues.add_issue",
            "issues.change_issue",
            "issues.add_item",
        ):
            self.assertTrue(editor.has_perm(permission))
            self.assertTrue(approver.has_perm(permission))
        self.assertFalse(editor.has_perm("issues.delete_issue"))


@export_settings
class WorkflowServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_member("Editors", "editor")
        cls.approver = make_member("Approvers", "approver")
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News")

    def make_issue(self, status=Status.DRAFT, items=1) -> Issue:
        issue = make_issue(self.publication, month=12, status=status)
        for _ in range(items):
            make_item(issue, self.section)
        return issue

    def assert_refused(self, issue: Issue, message: str, step, **kwargs):
        before = issue.status
        with self.assertRaisesMessage(WorkflowError, message):
            step(issue=issue, **kwargs)
        issue.refresh_from_db()
        self.assertEqual(issue.status, before)
        self.assertFalse(IssueTransition.objects.filter(issue=issue).exists())

    def test_editor_submits_a_draft(self):
        """Submitting records who did it, when, and their comment."""
        issue = self.make_issue()
        with time_machine.travel(NOW, tick=False):
            submit_issue(issue=issue, user=self.editor, comment="Ready")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.IN_REVIEW)
        transition = issue.transitions.get()
        self.assertEqual(transition.by, self.editor)
        self.assertEqual(transition.created_at, NOW)
        self.assertEqual(steps(issue), [("draft", "in_review", "Ready")])

    def test_submission_refused_while_the_issue_has_no_items(self):
        """A blocking pre-flight problem stops the submission and says what to fix."""
        issue = self.make_issue(items=0)
        self.assert_refused(
            issue, "The issue has no items.", submit_issue, user=self.editor
        )

    def test_item_without_call_to_action_does_not_block_submission(self):
        issue = self.make_issue()
        self.assertFalse(issue.items.get().cta_url)
        submit_issue(issue=issue, user=self.editor)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.IN_REVIEW)

    def test_only_a_draft_is_submitted(self):
        issue = self.make_issue(status=Status.APPROVED)
        self.assert_refused(
            issue, "only an issue that is “Draft”", submit_issue, user=self.editor
        )

    def test_staff_outside_the_groups_cannot_submit(self):
        issue = self.make_issue()
        self.assert_refused(
            issue, "You are not allowed", submit_issue, user=make_user()
        )

    def test_approver_approves_an_issue_in_review(self):
        issue = self.make_issue(status=Status.IN_REVIEW)
        approve_issue(issue=issue, user=self.approver, comment="Lovely")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.APPROVED)
        self.assertEqual(steps(issue), [("in_review", "approved", "Lovely")])

    def test_editor_cannot_approve(self):
        issue = self.make_issue(status=Status.IN_REVIEW)
        self.assert_refused(
            issue, "not allowed to approve", approve_issue, user=self.editor
        )

    def test_a_draft_cannot_be_approved(self):
        issue = self.make_issue()
        self.assert_refused(
            issue,
            "only an issue that is “In review”",
            approve_issue,
            user=self.approver,
        )

    def test_approver_sends_back_with_a_comment(self):
        """From review, or after approval, an issue goes back to Draft with why."""
        for status in (Status.IN_REVIEW, Status.APPROVED):
            issue = self.make_issue(status=status)
            send_back(issue=issue, user=self.approver, comment="  Fix the date  ")
            issue.refresh_from_db()
            self.assertEqual(issue.status, Status.DRAFT)
            self.assertEqual(steps(issue), [(status, "draft", "Fix the date")])
            issue.delete()

    def test_sending_back_needs_a_comment(self):
        issue = self.make_issue(status=Status.IN_REVIEW)
        self.assert_refused(
            issue,
            "Say what should change",
            send_back,
            user=self.approver,
            comment="  ",
        )

    def test_editor_cannot_send_back(self):
        issue = self.make_issue(status=Status.IN_REVIEW)
        self.assert_refused(
            issue, "not allowed", send_back, user=self.editor, comment="No"
        )

    def test_approver_marks_an_approved_issue_sent(self):
        issue = self.make_issue(status=Status.APPROVED)
        with time_machine.travel(NOW, tick=False):
            issue = mark_sent(issue=issue, user=self.approver)
        self.assertEqual(issue.status, Status.SENT)
        self.assertEqual(issue.sent_at, NOW)
        self.assertTrue(issue.is_frozen)
        self.assertEqual(steps(issue), [("approved", "sent", "")])
        self.assertEqual(issue.transitions.get().by, self.approver)

    def test_editor_cannot_mark_sent(self):
        issue = self.make_issue(status=Status.APPROVED)
        self.assert_refused(issue, "not allowed", mark_sent, user=self.editor)
        self.assertFalse(issue.is_frozen)

    def test_only_an_approved_issue_is_marked_sent_by_someone(self):
        issue = self.make_issue(status=Status.IN_REVIEW)
        self.assert_refused(
            issue, "only an issue that is “Approved”", mark_sent, user=self.approver
        )

    def test_past_issue_is_marked_sent_without_a_user(self):
        """The import and the demo record past issues: the step is still recorded."""
        issue = self.make_issue()
        mark_sent(issue=issue, sent_at=NOW)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.SENT)
        transition = issue.transitions.get()
        self.assertEqual(
            (transition.from_status, transition.to_status), ("draft", "sent")
        )
        self.assertIsNone(transition.by)
        self.assertIn("past issue", transition.comment)

    def test_edit_after_approval_returns_to_draft(self):
        issue = self.make_issue(status=Status.APPROVED)
        self.assertTrue(record_edit(issue=issue, user=self.editor))
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.DRAFT)
        self.assertEqual(steps(issue), [("approved", "draft", "Edited after approval")])

    def test_edit_of_a_draft_or_issue_in_review_keeps_its_status(self):
        for status in (Status.DRAFT, Status.IN_REVIEW):
            issue = self.make_issue(status=status)
            self.assertFalse(record_edit(issue=issue, user=self.editor))
            issue.refresh_from_db()
            self.assertEqual(issue.status, status)
            self.assertEqual(steps(issue), [])
            issue.delete()

    def test_whole_round_is_recorded_in_order(self):
        issue = self.make_issue()
        submit_issue(issue=issue, user=self.editor)
        send_back(issue=issue, user=self.approver, comment="Shorter intro")
        submit_issue(issue=issue, user=self.editor)
        approve_issue(issue=issue, user=self.approver)
        mark_sent(issue=issue, user=self.approver)
        self.assertEqual(
            [(a, b) for a, b, _ in steps(issue)],
            [
                ("draft", "in_review"),
                ("in_review", "draft"),
                ("draft", "in_review"),
                ("in_review", "approved"),
                ("approved", "sent"),
            ],
        )


def step_url(issue: Issue, step: str) -> str:
    return reverse("admin:issues_issue_workflow", args=[issue.pk, step])


@export_settings
class WorkflowAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_member("Editors", "editor", first_name="Eve", last_name="Ed")
        cls.approver = make_member("Approvers", "approver")
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News")

    def make_issue(self, status=Status.DRAFT, items=1) -> Issue:
        issue = make_issue(self.publication, month=12, status=status)
        for _ in range(items):
            make_item(issue, self.section, title="Funding call")
        return issue

    def change_page(self, issue: Issue):
        return self.client.get(reverse("admin:issues_issue_change", args=[issue.pk]))

    def status_of(self, issue: Issue) -> str:
        issue.refresh_from_db()
        return issue.status

    def test_editor_sees_only_submit(self):
        """Editors are never offered Approve or Mark sent."""
        self.client.force_login(self.editor)
        response = self.change_page(self.make_issue())
        self.assertContains(response, "Submit for review")
        self.assertNotContains(response, ">Approve<")
        self.assertNotContains(response, "Mark sent")
        self.assertNotContains(response, "Send back")

    def test_approver_sees_approve_and_send_back_on_an_issue_in_review(self):
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.IN_REVIEW)
        response = self.change_page(issue)
        self.assertContains(response, step_url(issue, "approve"))
        self.assertContains(response, step_url(issue, "send-back"))
        self.assertNotContains(response, step_url(issue, "mark-sent"))
        self.assertNotContains(response, step_url(issue, "submit"))

    def test_editor_submits_through_the_admin(self):
        self.client.force_login(self.editor)
        issue = self.make_issue()
        response = self.client.post(step_url(issue, "submit"), {"comment": "Done"})
        change = reverse("admin:issues_issue_change", args=[issue.pk])
        self.assertRedirects(response, change, fetch_redirect_response=False)
        self.assertEqual(self.status_of(issue), Status.IN_REVIEW)
        response = self.client.get(change)
        self.assertContains(response, "is now in review.")
        self.assertContains(response, "<td>Draft → In review</td>", html=True)
        self.assertContains(response, "<td>Eve Ed</td>", html=True)
        self.assertContains(response, "<td>Done</td>", html=True)

    def test_refused_submission_says_why(self):
        self.client.force_login(self.editor)
        issue = self.make_issue(items=0)
        response = self.client.post(step_url(issue, "submit"), follow=True)
        self.assertContains(response, "Not submitted: The issue has no items.")
        self.assertEqual(self.status_of(issue), Status.DRAFT)

    def test_editor_cannot_approve_or_mark_sent(self):
        """Posting the step by hand is refused with 403; the status is unchanged."""
        self.client.force_login(self.editor)
        in_review = self.make_issue(status=Status.IN_REVIEW)
        self.assertEqual(
            self.client.post(step_url(in_review, "approve")).status_code, 403
        )
        self.assertEqual(self.status_of(in_review), Status.IN_REVIEW)
        in_review.delete()
        approved = self.make_issue(status=Status.APPROVED)
        self.assertEqual(
            self.client.post(step_url(approved, "mark-sent")).status_code, 403
        )
        self.assertEqual(self.status_of(approved), Status.APPROVED)
        self.assertFalse(IssueTransition.objects.exists())

    def test_send_back_without_comment_is_refused(self):
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.APPROVED)
        response = self.client.post(
            step_url(issue, "send-back"), {"comment": ""}, follow=True
        )
        self.assertContains(response, "Say what should change")
        self.assertEqual(self.status_of(issue), Status.APPROVED)

    def test_comment_with_a_null_character_is_refused_with_a_message(self):
        """PostgreSQL cannot store it: the step is not taken, and the page says why."""
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.IN_REVIEW)
        response = self.client.post(
            step_url(issue, "send-back"), {"comment": "Shorter\x00 please"}, follow=True
        )
        self.assertContains(response, "the comment has a character that cannot be")
        self.assertEqual(self.status_of(issue), Status.IN_REVIEW)
        self.assertFalse(IssueTransition.objects.exists())

    def test_step_is_only_taken_by_post(self):
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.IN_REVIEW)
        self.assertEqual(self.client.get(step_url(issue, "approve")).status_code, 405)
        self.assertEqual(self.status_of(issue), Status.IN_REVIEW)

    def test_unknown_step_is_not_found(self):
        self.client.force_login(self.approver)
        issue = self.make_issue()
        self.assertEqual(self.client.post(step_url(issue, "publish")).status_code, 404)

    def test_approver_marks_sent_and_the_issue_becomes_read_only(self):
        """A sent issue's page shows it and its items, with nothing to edit."""
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.APPROVED)
        response = self.client.post(step_url(issue, "mark-sent"), follow=True)
        self.assertContains(response, "is marked sent and frozen")
        self.assertEqual(self.status_of(issue), Status.SENT)
        self.assertNotContains(response, 'name="title"')
        self.assertNotContains(response, 'name="items-0-title"')
        self.assertContains(response, "Funding call")
        self.assertContains(response, "it can no longer be changed")

    def test_sent_issue_and_its_items_refuse_changes(self):
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.SENT)
        item = issue.items.get()
        response = self.client.post(
            reverse("admin:issues_issue_change", args=[issue.pk]),
            {"title": "Rewritten", "year": 2024, "month": 12},
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            reverse("admin:issues_item_change", args=[item.pk]),
            {"title": "Rewritten", "issue": issue.pk, "section": self.section.pk},
        )
        self.assertEqual(response.status_code, 403)
        item.refresh_from_db()
        self.assertEqual(item.title, "Funding call")

    def test_inbox_item_cannot_be_placed_in_a_sent_issue(self):
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.SENT)
        waiting = make_item(title="Late news")
        response = self.client.post(
            reverse("admin:issues_item_change", args=[waiting.pk]),
            {
                "issue": issue.pk,
                "section": self.section.pk,
                "position": 0,
                "title": "Late news",
                "loaded_version": waiting.version,
            },
        )
        self.assertContains(response, "was sent and cannot take new items")
        waiting.refresh_from_db()
        self.assertIsNone(waiting.issue)

    def test_editing_an_approved_issue_returns_it_to_draft(self):
        self.client.force_login(self.editor)
        issue = self.make_issue(status=Status.APPROVED)
        item = issue.items.get()
        response = self.client.post(
            reverse("admin:issues_issue_change", args=[issue.pk]),
            issue_post_data(
                issue,
                {
                    "id": item.pk,
                    "issue": issue.pk,
                    "section": self.section.pk,
                    "title": item.title,
                    "loaded_version": item.version,
                },
                initial=1,
                title="New title",
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.status_of(issue), Status.DRAFT)
        self.assertEqual(steps(issue), [("approved", "draft", "Edited after approval")])

    def test_editing_an_item_of_an_approved_issue_returns_it_to_draft(self):
        self.client.force_login(self.editor)
        issue = self.make_issue(status=Status.APPROVED)
        item = issue.items.get()
        response = self.client.post(
            reverse("admin:issues_item_change", args=[item.pk]),
            {
                "issue": issue.pk,
                "section": self.section.pk,
                "position": 0,
                "title": "Funding call, extended",
                "loaded_version": item.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.status_of(issue), Status.DRAFT)

    def test_deleting_an_item_of_an_approved_issue_returns_it_to_draft(self):
        self.client.force_login(self.editor)
        issue = self.make_issue(status=Status.APPROVED)
        item = issue.items.get()
        response = self.client.post(
            reverse("admin:issues_item_delete", args=[item.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(issue.items.exists())
        self.assertEqual(self.status_of(issue), Status.DRAFT)

    def test_saving_an_approved_issue_unchanged_keeps_it_approved(self):
        """Pressing Save without changing anything does not undo the approval."""
        self.client.force_login(self.approver)
        issue = self.make_issue(status=Status.APPROVED, items=0)
        response = self.client.post(
            reverse("admin:issues_issue_change", args=[issue.pk]),
            issue_post_data(issue),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.status_of(issue), Status.APPROVED)

    def post_opened_before(self, issue: Issue, step, **fields):
        """Post the issue's form as loaded before ``step`` ran, as in a race."""
        opened = Issue.objects.select_related("publication").get(pk=issue.pk)
        step(issue=issue, user=self.approver)
        with mock.patch.object(IssueAdmin, "get_object", return_value=opened):
            return self.client.post(
                reverse("admin:issues_issue_change", args=[issue.pk]),
                issue_post_data(opened, **fields),
            )

    def test_save_racing_an_approval_does_not_undo_it(self):
        """The approval stands, and the edit then returns the issue to Draft."""
        self.client.force_login(self.editor)
        issue = self.make_issue(status=Status.IN_REVIEW, items=0)
        response = self.post_opened_before(issue, approve_issue, title="Later")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.status_of(issue), Status.DRAFT)
        self.assertEqual(
            [(a, b) for a, b, _ in steps(issue)],
            [("in_review", "approved"), ("approved", "draft")],
        )

    def test_save_racing_mark_sent_is_refused(self):
        self.client.force_login(self.editor)
        issue = self.make_issue(status=Status.APPROVED)
        response = self.post_opened_before(issue, mark_sent, title="Too late")
        self.assertContains(response, "was marked sent since you opened it")
        issue.refresh_from_db()
        self.assertEqual((issue.status, issue.title), (Status.SENT, ""))

    def test_change_page_queries_do_not_grow_with_items(self):
        """The issue page with its history: as many queries for 5 as 100 items."""
        self.client.force_login(self.editor)
        issue = self.make_issue(items=5)
        submit_issue(issue=issue, user=self.editor)
        send_back(issue=issue, user=self.approver, comment="Again")
        url = reverse("admin:issues_issue_change", args=[issue.pk])
        # Two of them read the editor's permissions.
        get_counting_queries(self, url, 12)
        for _ in range(95):
            make_item(issue, self.section)
        response = get_counting_queries(self, url, 12)
        self.assertContains(response, 'name="items-99-title"')
        self.assertContains(response, "<td>Again</td>", html=True)


def grant(user, *permissions: str):
    """``user`` given these permissions (“app_label.codename”), read afresh."""
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    # Without the permissions the user object has already cached.
    return type(user).objects.get(pk=user.pk)


@export_settings
class TransitionTableTests(TestCase):
    """The admin offers, accepts and reports each step as the table has it."""

    @classmethod
    def setUpTestData(cls):
        cls.superuser = make_user(is_superuser=True)

    def make_issue(self, status: str) -> Issue:
        publication = make_publication()
        issue = make_issue(publication, month=12, status=status)
        make_item(issue, make_section(publication), title="Funding call")
        return issue

    def offered(self, issue: Issue, transition: Transition) -> bool:
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[issue.pk])
        )
        self.assertEqual(response.status_code, 200)
        return step_url(issue, transition.slug) in response.content.decode()

    def test_a_step_whose_permission_is_missing_is_neither_offered_nor_taken(self):
        """
        Without the step's permission, though with every other step's, the step is
        not on the issue's page, its address refuses it, and so does its service.
        Given the permission, it is offered.
        """
        every_step = {transition.permission for transition in TRANSITIONS}
        for transition in TRANSITIONS:
            with self.subTest(step=transition.slug):
                others = every_step - {transition.permission}
                user = grant(make_user(), "issues.view_issue", *others)
                self.client.force_login(user)
                issue = self.make_issue(transition.from_statuses[0])
                self.assertFalse(self.offered(issue, transition))
                response = self.client.post(
                    step_url(issue, transition.slug), {"comment": "Why"}
                )
                self.assertEqual(response.status_code, 403)
                with self.assertRaisesMessage(
                    WorkflowError, f"You are not allowed to {transition.act}:"
                ):
                    transition.take(issue=issue, user=user, comment="Why")
                self.assertEqual(Issue.objects.get(pk=issue.pk).status, issue.status)
                self.assertFalse(issue.transitions.exists())

                user = grant(user, transition.permission)
                self.client.force_login(user)
                self.assertTrue(self.offered(issue, transition))
                self.assertIn(transition, transitions_for(issue, user))

    def test_a_step_is_offered_and_taken_from_its_statuses_only(self):
        """From any other status, the step is not offered and its service refuses."""
        self.client.force_login(self.superuser)
        for transition in TRANSITIONS:
            for status in Status:
                with self.subTest(step=transition.slug, status=status):
                    issue = self.make_issue(status)
                    opened = status in transition.from_statuses
                    self.assertEqual(self.offered(issue, transition), opened)
                    if opened:
                        continue
                    with self.assertRaisesMessage(
                        WorkflowError, f"can be {transition.acted}. Reload the page"
                    ):
                        transition.take(issue=issue, user=self.superuser, comment="Why")
                    self.assertEqual(Issue.objects.get(pk=issue.pk).status, status)

    def test_each_step_taken_says_what_the_table_says(self):
        """
        Taken from its button, a step moves the issue to the table's status and
        says the table's words.
        """
        self.client.force_login(self.superuser)
        for transition in TRANSITIONS:
            with self.subTest(step=transition.slug):
                issue = self.make_issue(transition.from_statuses[0])
                response = self.client.post(
                    step_url(issue, transition.slug), {"comment": "Why"}, follow=True
                )
                issue.refresh_from_db()
                self.assertEqual(issue.status, transition.to_status)
                self.assertContains(response, transition.success.format(issue=issue))
