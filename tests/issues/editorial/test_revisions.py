import ast
import copy
from pathlib import Path
from unittest import mock

from django.test import TestCase
from django.urls import reverse

import issues
from issues.editorial.revisions import (
    RevisionError,
    compare,
    issue_edited,
    record_revision,
    restore_revision,
    word_changes,
)
from issues.editorial.workflow import EDITED_AFTER_APPROVAL, WorkflowError
from issues.models import Issue, IssueRevision, IssueTransition, Item
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
)
from tests.issues.admin.test_issue import issue_post_data
from tests.utils import get_counting_queries

Status = Issue.Status


def item_row(item: Item, **changes) -> dict:
    return {
        "id": item.pk,
        "issue": item.issue_id,
        "section": item.section_id,
        "position": item.position,
        "title": item.title,
        "body": item.body,
        "loaded_version": item.version,
        **changes,
    }


class RevisionsOnSaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser("alice")
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News")

    def setUp(self):
        self.client.force_login(self.user)

    def test_each_save_keeps_a_revision_with_the_items(self):
        """Adding an issue keeps revision 1; each changing save the next one."""
        issue = Issue(publication=self.publication, year=2024, month=12)
        self.client.post(
            reverse("admin:issues_issue_add"),
            issue_post_data(issue, {"section": self.section.pk, "title": "Welcome"}),
        )
        issue = Issue.objects.get(month=12)
        first = issue.revisions.get()
        self.assertEqual(
            (first.number, first.by, first.note), (1, self.user, "Created")
        )
        self.assertEqual(first.content["items"][0]["title"], "Welcome")
        self.assertEqual(first.content["items"][0]["section_title"], "News")

        item = issue.items.get()
        self.client.post(
            reverse("admin:issues_issue_change", args=[issue.pk]),
            issue_post_data(issue, item_row(item, title="Welcome!"), initial=1),
        )
        second = issue.revisions.get(number=2)
        self.assertEqual(second.content["items"][0]["title"], "Welcome!")
        self.assertEqual(second.by, self.user)

    def test_saving_without_a_change_keeps_no_revision(self):
        issue = make_issue(self.publication, month=12)
        self.client.post(
            reverse("admin:issues_issue_change", args=[issue.pk]),
            issue_post_data(issue),
        )
        self.assertFalse(issue.revisions.exists())

    def test_saving_an_item_on_its_page_keeps_a_revision_of_its_issue(self):
        issue = make_issue(self.publication, month=12)
        item = make_item(issue, self.section, title="Call")
        self.client.post(
            reverse("admin:issues_item_change", args=[item.pk]),
            {
                "issue": issue.pk,
                "section": self.section.pk,
                "position": 0,
                "title": "Call, extended",
                "loaded_version": item.version,
            },
        )
        revision = issue.revisions.get()
        self.assertEqual(revision.note, "Item “Call, extended” saved")
        self.assertEqual(revision.content["items"][0]["title"], "Call, extended")


class IssueEditedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser("alice")
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News")

    def make_issue(self, status: str) -> Issue:
        issue = make_issue(self.publication, month=12, status=status)
        make_item(issue, self.section, title="Call")
        return issue

    def test_an_edit_of_an_approved_issue_returns_it_to_draft_with_a_revision(self):
        """One change, one step back to Draft and one revision, with the note."""
        issue = self.make_issue(Status.APPROVED)
        revision = issue_edited(issue=issue, user=self.user, note="Intro rewritten")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Status.DRAFT)
        transition = issue.transitions.get()
        self.assertEqual(
            (transition.from_status, transition.to_status, transition.comment),
            (Status.APPROVED, Status.DRAFT, EDITED_AFTER_APPROVAL),
        )
        self.assertEqual(issue.revisions.get(), revision)
        self.assertEqual(
            (revision.number, revision.by, revision.note),
            (1, self.user, "Intro rewritten"),
        )
        self.assertEqual(revision.content["items"][0]["title"], "Call")

    def test_an_edit_of_a_draft_or_an_issue_in_review_keeps_its_status(self):
        for status in (Status.DRAFT, Status.IN_REVIEW):
            with self.subTest(status=status):
                issue = self.make_issue(status)
                issue_edited(issue=issue, user=self.user)
                issue.refresh_from_db()
                self.assertEqual(issue.status, status)
                self.assertFalse(issue.transitions.exists())
                self.assertEqual(issue.revisions.count(), 1)
                issue.delete()

    def test_an_edit_of_a_sent_issue_is_refused_and_nothing_is_kept(self):
        issue = self.make_issue(Status.SENT)
        with self.assertRaisesMessage(WorkflowError, "Publish an erratum instead."):
            issue_edited(issue=issue, user=self.user)
        self.assertFalse(issue.revisions.exists())
        self.assertFalse(IssueTransition.objects.exists())


class EveryEditTests(TestCase):
    """
    Each way of changing an issue, on any page, goes through ``issue_edited`` once:
    one revision, and an approved issue back to Draft.
    """

    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser("alice")
        cls.publication = make_publication()
        cls.news = make_section(cls.publication, title="News")
        cls.event = make_event("Summit")

    def setUp(self):
        self.client.force_login(self.user)
        self.issue = make_issue(self.publication, month=12, title="December")
        self.item = make_item(self.issue, self.news, title="Call")
        record_revision(issue=self.issue, user=self.user, note="Created")
        Issue.objects.filter(pk=self.issue.pk).update(status=Status.APPROVED)
        self.issue.refresh_from_db()

    def assert_one_edit(self, response, note: str):
        self.assertEqual(response.status_code, 302)
        self.edited.assert_called_once()
        self.assertEqual(self.edited.call_args.kwargs["issue"].pk, self.issue.pk)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Status.DRAFT)
        self.assertEqual(
            list(self.issue.transitions.values_list("comment", flat=True)),
            [EDITED_AFTER_APPROVAL],
        )
        notes = self.issue.revisions.order_by("number").values_list("note", flat=True)
        self.assertEqual(list(notes), ["Created", note])

    def post(self, url: str, data: dict):
        with mock.patch(
            "issues.editorial.revisions.issue_edited", wraps=issue_edited
        ) as self.edited:
            return self.client.post(url, data)

    def test_saving_an_item_on_its_page(self):
        response = self.post(
            reverse("admin:issues_item_change", args=[self.item.pk]),
            {
                "issue": self.issue.pk,
                "section": self.news.pk,
                "position": 1,
                "title": "Call, extended",
                "loaded_version": self.item.version,
            },
        )
        self.assert_one_edit(response, "Item “Call, extended” saved")

    def test_deleting_an_item_on_its_page(self):
        response = self.post(
            reverse("admin:issues_item_delete", args=[self.item.pk]), {"post": "yes"}
        )
        self.assert_one_edit(response, "Item “Call” deleted")

    def test_saving_the_issue_and_its_items(self):
        response = self.post(
            reverse("admin:issues_issue_change", args=[self.issue.pk]),
            issue_post_data(
                self.issue, item_row(self.item, title="Call!"), initial=1, title="Dec"
            ),
        )
        self.assert_one_edit(response, "")

    def test_adding_upcoming_events(self):
        response = self.post(
            reverse("admin:issues_issue_add_events", args=[self.issue.pk]),
            {"events": [self.event.pk], "section": self.news.pk},
        )
        self.assert_one_edit(response, "Events added to “News”: “Summit”")

    def test_placing_an_item_from_the_inbox(self):
        waiting = make_item(title="Waiting")
        response = self.post(
            reverse("admin:issues_issue_add_from_inbox", args=[self.issue.pk]),
            {f"place_{waiting.pk}": "on", f"section_{waiting.pk}": self.news.pk},
        )
        self.assert_one_edit(response, "Placed from the inbox: “Waiting”")

    def test_restoring_a_revision(self):
        response = self.post(
            reverse("admin:issues_issue_restore", args=[self.issue.pk, 1]), {}
        )
        self.assert_one_edit(response, "Restored revision 1")

    def test_deleting_items_from_the_item_list(self):
        """Several items of the issue deleted at once are one edit of it."""
        other = make_item(self.issue, self.news, title="Talk")
        waiting = make_item(title="Waiting")
        response = self.post(
            reverse("admin:issues_item_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [self.item.pk, other.pk, waiting.pk],
                "post": "yes",
            },
        )
        self.assert_one_edit(response, "Items “Call”, “Talk” deleted")
        self.assertFalse(Item.objects.exists())

    def test_moving_an_item_to_another_issue_is_an_edit_of_both(self):
        other = make_issue(self.publication, month=11)
        response = self.post(
            reverse("admin:issues_item_change", args=[self.item.pk]),
            {
                "issue": other.pk,
                "section": self.news.pk,
                "position": 1,
                "title": "Call",
                "loaded_version": self.item.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            sorted(call.kwargs["issue"].pk for call in self.edited.call_args_list),
            sorted([self.issue.pk, other.pk]),
        )
        self.assertEqual(other.revisions.get().note, "Item “Call” saved")
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Status.DRAFT)

    def test_no_other_code_records_an_edit_or_a_revision(self):
        """Only issue_edited calls record_edit and record_revision, in the whole app."""
        app = Path(issues.__file__).parent
        callers = set()
        for module in app.rglob("*.py"):
            for function in ast.walk(ast.parse(module.read_text())):
                if not isinstance(function, ast.FunctionDef):
                    continue
                for call in ast.walk(function):
                    if not isinstance(call, ast.Call):
                        continue
                    name = getattr(call.func, "id", getattr(call.func, "attr", ""))
                    if name in ("record_edit", "record_revision"):
                        callers.add((str(module.relative_to(app)), function.name))
        self.assertEqual(callers, {("editorial/revisions.py", "issue_edited")})


class CompareTests(TestCase):
    def test_fields_and_items_added_removed_and_changed(self):
        older = {
            "issue": {"title": "December", "month": 12, "preheader": ""},
            "items": [
                {"id": 1, "title": "Kept", "section_title": "News", "position": 1},
                {"id": 2, "title": "Dropped", "section_title": "News", "position": 2},
            ],
        }
        newer = {
            "issue": {"title": "Winter", "month": 12, "preheader": "Hello"},
            "items": [
                {"id": 1, "title": "Kept", "section_title": "Events", "position": 1},
                {"id": 3, "title": "New", "section_title": "News", "position": 3},
            ],
        }
        older["issue"]["section"] = newer["issue"]["section"] = None
        older["items"][0]["section"], newer["items"][0]["section"] = 5, 6
        comparison = compare(older, newer)
        self.assertEqual(
            [(c.label, c.old, c.new) for c in comparison.fields],
            [("Title", "December", "Winter"), ("Preheader", "—", "Hello")],
        )
        self.assertEqual(comparison.added, ["New"])
        self.assertEqual(comparison.removed, ["Dropped"])
        [changed] = comparison.changed
        self.assertEqual(changed.title, "Kept")
        self.assertEqual(
            [(c.label, c.old, c.new) for c in changed.changes],
            [("Section", "News", "Events")],
        )


class WordChangesTests(TestCase):
    def test_rich_text_is_compared_word_by_word_and_escaped(self):
        """Readers' words are compared, not markup; typed markup stays text."""
        words = word_changes(
            "<p>Apply by <strong>Friday</strong> &amp; go</p>",
            "<p>Apply by Monday &amp; go &lt;now&gt;</p>",
        )
        self.assertEqual(
            words,
            "Apply by <del>Friday</del> <ins>Monday</ins> &amp; go "
            "<ins>&lt;now&gt;</ins>",
        )

    def test_only_formatting_changed_gives_no_word_changes(self):
        self.assertIsNone(word_changes("<p>Go now</p>", "<p>Go <em>now</em></p>"))


class HistoryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser("alice")
        cls.publication = make_publication()
        cls.news = make_section(cls.publication, title="News")
        cls.issue = make_issue(cls.publication, month=12, title="December")
        cls.kept = make_item(cls.issue, cls.news, title="Kept", body="<p>Old</p>")
        cls.dropped = make_item(cls.issue, cls.news, title="Dropped")
        record_revision(issue=cls.issue, user=cls.user)
        Issue.objects.filter(pk=cls.issue.pk).update(title="<script>x</script>")
        Item.objects.filter(pk=cls.kept.pk).update(body="<p>New</p>")
        Item.objects.filter(pk=cls.dropped.pk).update(issue=None)
        make_item(cls.issue, cls.news, title="Added")
        cls.issue.refresh_from_db()
        record_revision(issue=cls.issue, user=cls.user)
        cls.url = reverse("admin:issues_issue_revisions", args=[cls.issue.pk])

    def setUp(self):
        self.client.force_login(self.user)

    def test_issue_page_links_to_its_history(self):
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        self.assertContains(response, f'href="{self.url}"')

    def test_history_shows_what_changed_escaped(self):
        """The last two revisions are compared; what people typed is never run."""
        response = self.client.get(self.url)
        self.assertContains(response, "From revision 1 to revision 2")
        self.assertContains(
            response, "<td><ins>&lt;script&gt;x&lt;/script&gt;</ins></td>", html=True
        )
        self.assertNotContains(response, "<script>x</script>")
        self.assertContains(response, "<h3>Items added</h3>")
        self.assertContains(response, "<li>Added</li>", html=True)
        self.assertContains(response, "<li>Dropped</li>", html=True)
        self.assertContains(response, "Item “Kept”")
        self.assertContains(
            response, '<td colspan="2"><del>Old</del> <ins>New</ins></td>', html=True
        )

    def test_two_chosen_revisions_are_compared(self):
        record_revision(issue=self.issue, user=self.user)
        response = self.client.get(self.url, {"from": 3, "to": 2})
        self.assertContains(response, "From revision 2 to revision 3")
        self.assertContains(response, "Nothing changed between these revisions.")

    def test_revisions_not_of_this_issue_fall_back_to_the_last_two(self):
        response = self.client.get(self.url, {"from": "99", "to": "x"})
        self.assertContains(response, "From revision 1 to revision 2")

    def test_history_queries_do_not_grow_with_revisions_or_items(self):
        """The history page runs the same queries for 3 revisions as for 30."""
        record_revision(issue=self.issue, user=self.user)
        get_counting_queries(self, self.url, 5)
        for _ in range(20):
            make_item(self.issue, self.news)
        for _ in range(27):
            record_revision(issue=self.issue, user=self.user)
        response = get_counting_queries(self, self.url, 5)
        self.assertContains(response, "From revision 29 to revision 30")


class RestoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser("alice")
        cls.publication = make_publication()
        cls.news = make_section(cls.publication, title="News")
        cls.events = make_section(cls.publication, title="Events")
        cls.event = make_event("Summit")

    def setUp(self):
        self.client.force_login(self.user)
        self.issue = make_issue(self.publication, month=12, title="December")
        self.kept = make_item(self.issue, self.news, title="Kept", event=self.event)
        self.first = record_revision(issue=self.issue, user=self.user)
        Issue.objects.filter(pk=self.issue.pk).update(title="Changed")
        Item.objects.filter(pk=self.kept.pk).update(
            title="Kept, renamed", section=self.events, event=None
        )
        self.later = make_item(self.issue, self.news, title="Added later")
        record_revision(issue=self.issue, user=self.user)

    def restore(self, number: int):
        return self.client.post(
            reverse("admin:issues_issue_restore", args=[self.issue.pk, number])
        )

    def test_restore_brings_back_fields_and_items_as_a_new_revision(self):
        """Items added since go back to the inbox; nothing is deleted."""
        response = self.restore(1)
        self.assertRedirects(
            response,
            reverse("admin:issues_issue_change", args=[self.issue.pk]),
            fetch_redirect_response=False,
        )
        self.issue.refresh_from_db()
        self.kept.refresh_from_db()
        self.later.refresh_from_db()
        self.assertEqual(self.issue.title, "December")
        self.assertEqual(
            (self.kept.title, self.kept.section, self.kept.event),
            ("Kept", self.news, self.event),
        )
        self.assertIsNone(self.later.issue)
        newest = self.issue.revisions.order_by("-number").first()
        self.assertEqual((newest.number, newest.note), (3, "Restored revision 1"))
        self.assertEqual(newest.content["items"], self.first.content["items"])
        self.assertEqual(self.issue.version, 2)

    def stored_revision(self) -> dict:
        """Revision 1 as every database has stored revisions until now."""
        return {
            "issue": {
                "year": 2024,
                "month": 12,
                "title": "December",
                "slug": "2024-12",
                "preheader": "",
                "intro": "",
                "planned_send_date": None,
            },
            "items": [
                {
                    "id": self.kept.pk,
                    "section": self.news.pk,
                    "section_title": "News",
                    "position": 0,
                    "title": "Kept",
                    "body": "",
                    "image": "",
                    "image_url": "",
                    "image_alt": "",
                    "deadline": None,
                    "deadline_label": "",
                    "cta_label": "",
                    "cta_url": "",
                    "event": self.event.pk,
                    "event_title": "Summit",
                }
            ],
        }

    def test_revisions_are_stored_as_they_always_were(self):
        """Every key revisions have had is still kept, with the same value."""
        stored = self.stored_revision()
        content = self.first.content
        self.assertEqual(
            {name: content["issue"][name] for name in stored["issue"]},
            stored["issue"],
        )
        [item] = content["items"]
        self.assertEqual(
            {name: item[name] for name in stored["items"][0]}, *stored["items"]
        )

    def test_a_stored_revision_is_compared_and_restored(self):
        revision = IssueRevision.objects.create(
            issue=self.issue, number=3, content=self.stored_revision()
        )
        later = self.issue.revisions.get(number=2)
        [changed] = compare(revision.content, later.content).changed
        self.assertEqual(
            [(c.label, c.old, c.new) for c in changed.changes],
            [
                ("Section", "News", "Events"),
                ("Title", "Kept", "Kept, renamed"),
                ("Event", "Summit", "—"),
            ],
        )
        restore_revision(issue=self.issue, revision=revision, user=self.user)
        self.kept.refresh_from_db()
        self.assertEqual(
            (self.kept.title, self.kept.section, self.kept.event),
            ("Kept", self.news, self.event),
        )

    def test_a_field_a_revision_does_not_have_is_not_compared(self):
        """What a revision older than a field held in it is not known."""
        older = copy.deepcopy(self.first.content)
        del older["issue"]["preheader"], older["items"][0]["image_alt"]
        newer = copy.deepcopy(self.first.content)
        newer["issue"]["preheader"] = "Winter news"
        newer["items"][0]["image_alt"] = "The summit's hall"
        self.assertTrue(compare(older, newer).is_empty)
        self.assertTrue(compare(newer, older).is_empty)

    def test_a_field_a_revision_does_not_have_stays_as_it_is(self):
        """A revision kept before a field was added leaves that field alone."""
        content = copy.deepcopy(self.first.content)
        del content["issue"]["preheader"], content["items"][0]["image_alt"]
        revision = IssueRevision.objects.create(
            issue=self.issue, number=3, content=content
        )
        Issue.objects.filter(pk=self.issue.pk).update(preheader="Winter news")
        Item.objects.filter(pk=self.kept.pk).update(image_alt="The summit's hall")
        restore_revision(issue=self.issue, revision=revision, user=self.user)
        self.issue.refresh_from_db()
        self.kept.refresh_from_db()
        self.assertEqual(
            (self.issue.title, self.issue.preheader), ("December", "Winter news")
        )
        self.assertEqual(
            (self.kept.title, self.kept.image_alt), ("Kept", "The summit's hall")
        )

    def test_restore_of_an_approved_issue_returns_it_to_draft(self):
        Issue.objects.filter(pk=self.issue.pk).update(status=Status.APPROVED)
        self.restore(1)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Status.DRAFT)
        self.assertEqual(self.issue.transitions.get().comment, "Edited after approval")

    def test_deleted_item_comes_back(self):
        self.kept.delete()
        restore_revision(issue=self.issue, revision=self.first, user=self.user)
        self.assertEqual(
            list(self.issue.items.values_list("title", flat=True)), ["Kept"]
        )

    def test_item_placed_in_another_issue_since_comes_back_as_a_copy(self):
        """The other issue keeps its item; this one gets the revision's copy."""
        other = make_issue(self.publication, month=11)
        Item.objects.filter(pk=self.kept.pk).update(issue=other)
        restore_revision(issue=self.issue, revision=self.first, user=self.user)
        self.kept.refresh_from_db()
        self.assertEqual(self.kept.issue, other)
        [copy] = self.issue.items.all()
        self.assertNotEqual(copy.pk, self.kept.pk)
        self.assertEqual((copy.title, copy.section), ("Kept", self.news))

    def test_restore_refused_when_a_section_is_gone(self):
        """The message names the section; nothing is changed."""
        gone = make_section(self.publication, title="Gone")
        Item.objects.filter(pk=self.kept.pk).update(section=gone)
        revision = record_revision(issue=self.issue, user=self.user)
        Item.objects.filter(pk=self.kept.pk).update(section=self.news)
        gone.delete()
        with self.assertRaisesMessage(RevisionError, "The section “Gone” of"):
            restore_revision(issue=self.issue, revision=revision, user=self.user)
        self.issue.refresh_from_db()
        self.later.refresh_from_db()
        self.assertEqual(self.issue.title, "Changed")
        self.assertEqual(self.later.issue, self.issue)

    def test_sent_issue_is_never_restored(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Status.SENT, sent_at="2024-12-02T10:00Z"
        )
        response = self.restore(1)
        self.assertEqual(response.status_code, 403)
        self.issue.refresh_from_db()
        with self.assertRaisesMessage(RevisionError, "was sent"):
            restore_revision(issue=self.issue, revision=self.first, user=self.user)
        self.assertEqual(self.issue.title, "Changed")
        self.assertEqual(IssueRevision.objects.filter(issue=self.issue).count(), 2)
        response = self.client.get(
            reverse("admin:issues_issue_revisions", args=[self.issue.pk])
        )
        self.assertNotContains(response, "Restore</button>")

    def test_restore_refused_when_another_issue_took_the_month(self):
        """The message says what to do, and nothing is changed."""
        Issue.objects.filter(pk=self.issue.pk).update(month=1, slug="2024-01")
        make_issue(self.publication, month=12)
        response = self.client.post(
            reverse("admin:issues_issue_restore", args=[self.issue.pk, 1]),
            follow=True,
        )
        self.assertContains(response, "another issue now has its month")
        self.issue.refresh_from_db()
        self.later.refresh_from_db()
        self.assertEqual((self.issue.month, self.issue.title), (1, "Changed"))
        self.assertEqual(self.later.issue, self.issue)

    def test_restore_is_only_posted(self):
        response = self.client.get(
            reverse("admin:issues_issue_restore", args=[self.issue.pk, 1])
        )
        self.assertEqual(response.status_code, 405)
