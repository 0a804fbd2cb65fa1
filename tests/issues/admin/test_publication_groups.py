"""
With several publications, each programme's editors see and work on their own: a
publication that names editor groups is hidden from everyone else in the admin (its
issues, their items, its sections), and every page and step of its issues is refused
to them as if it did not exist. A publication with no groups is everyone's, as before.
"""

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from issues.importer.services import import_newsletter
from issues.models import Erratum, Issue, Item, Publication
from tests.factories import (
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
    make_user,
)
from tests.issues.admin.test_importer import REFERENCE, upload
from tests.issues.editorial.test_workflow import step_url
from tests.utils import get_counting_queries

Status = Issue.Status


def member(username: str, *groups: str):
    user = make_user(username)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


class PublicationGroupsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.shared = make_publication("Partnership News")
        cls.health = make_publication("Health Programme")
        cls.health.editor_groups.add(Group.objects.create(name="Health editors"))
        cls.data = make_publication("Data Programme")
        cls.data.editor_groups.add(Group.objects.create(name="Data editors"))
        cls.sections = {
            publication: make_section(publication, title=f"{publication} news")
            for publication in (cls.shared, cls.health, cls.data)
        }
        cls.issues = {}
        for publication in (cls.shared, cls.health, cls.data):
            issue = make_issue(publication, month=12)
            make_item(issue, cls.sections[publication], title=f"{publication} item")
            cls.issues[publication] = issue
        cls.inbox = make_item(title="Waiting in the inbox")
        # Alice edits the health programme's newsletter; Bob is an editor of no
        # programme in particular.
        cls.alice = member("alice", "Editors", "Health editors")
        cls.bob = member("bob", "Editors")
        cls.carol = member("carol", "Approvers", "Data editors")
        cls.dave = member("dave", "Approvers")

    def issue_list(self, user) -> list[str]:
        self.client.force_login(user)
        response = self.client.get(reverse("admin:issues_issue_changelist"))
        return sorted(str(i.publication) for i in response.context["cl"].result_list)

    def test_each_editor_lists_the_issues_of_their_publications(self):
        self.assertEqual(
            self.issue_list(self.alice), ["Health Programme", "Partnership News"]
        )
        self.assertEqual(self.issue_list(self.bob), ["Partnership News"])
        self.assertEqual(
            self.issue_list(self.carol), ["Data Programme", "Partnership News"]
        )
        self.assertEqual(
            self.issue_list(make_superuser("root")),
            ["Data Programme", "Health Programme", "Partnership News"],
        )

    def test_restricting_the_lists_costs_no_query(self):
        """The same queries for an editor of a programme and one of none."""
        url = reverse("admin:issues_issue_changelist")
        for user in (self.alice, self.bob):
            with self.subTest(user.username):
                self.client.force_login(user)
                get_counting_queries(self, url, 11)
        url = reverse("admin:issues_item_changelist")
        for user in (self.alice, self.bob):
            with self.subTest(user.username):
                self.client.force_login(user)
                get_counting_queries(self, url, 8)

    def test_items_and_sections_of_other_programmes_are_not_listed(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("admin:issues_item_changelist"))
        listed = {item.title for item in response.context["cl"].result_list}
        self.assertEqual(listed, {"Partnership News item", "Waiting in the inbox"})
        response = self.client.get(reverse("admin:issues_section_changelist"))
        self.assertEqual(
            [str(s) for s in response.context["cl"].result_list],
            [str(self.sections[self.shared])],
        )
        Erratum.objects.create(
            issue=self.issues[self.health], text="<p>The room is 2.14.</p>"
        )
        response = self.client.get(reverse("admin:issues_erratum_changelist"))
        self.assertEqual(list(response.context["cl"].result_list), [])
        response = self.client.get(reverse("admin:issues_publication_changelist"))
        self.assertEqual(
            [str(p) for p in response.context["cl"].result_list], ["Partnership News"]
        )

    def test_every_page_of_another_programmes_issue_is_not_found(self):
        issue = self.issues[self.health]
        self.client.force_login(self.bob)
        change = self.client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
        # The admin's answer to an object it cannot find: back to the index.
        self.assertRedirects(change, reverse("admin:index"))
        for name in ("revisions", "preview", "errata", "add_events", "add_from_inbox"):
            with self.subTest(name):
                url = reverse(f"admin:issues_issue_{name}", args=[issue.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.post(step_url(issue, "submit"))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Issue.objects.get(pk=issue.pk).status, Status.DRAFT)
        item = issue.items.get()
        response = self.client.get(reverse("admin:issues_item_change", args=[item.pk]))
        self.assertRedirects(response, reverse("admin:index"))

    def test_a_member_of_the_programme_works_on_it(self):
        issue = self.issues[self.health]
        self.client.force_login(self.alice)
        change = self.client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
        self.assertContains(change, "Health Programme item")
        self.client.post(step_url(issue, "submit"))
        self.assertEqual(Issue.objects.get(pk=issue.pk).status, Status.IN_REVIEW)

    def test_only_approvers_of_the_programme_approve_its_issues(self):
        issue = self.issues[self.data]
        Issue.objects.filter(pk=issue.pk).update(status=Status.IN_REVIEW)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.post(step_url(issue, "approve")).status_code, 404)
        self.assertEqual(Issue.objects.get(pk=issue.pk).status, Status.IN_REVIEW)
        self.client.force_login(self.carol)
        self.client.post(step_url(issue, "approve"))
        self.assertEqual(Issue.objects.get(pk=issue.pk).status, Status.APPROVED)

    def test_nothing_can_be_placed_in_another_programmes_issue(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("admin:issues_item_add"),
            {
                "issue": self.issues[self.health].pk,
                "section": self.sections[self.health].pk,
                "title": "Slipped in",
                "position": "0",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("issue", response.context["adminform"].form.errors)
        self.assertIn("section", response.context["adminform"].form.errors)
        self.assertFalse(Item.objects.filter(title="Slipped in").exists())

    def test_no_issue_is_added_to_another_programme(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("admin:issues_issue_add"),
            {"publication": self.health.pk, "year": "2025", "month": "3"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("publication", response.context["adminform"].form.errors)
        self.assertFalse(Issue.objects.filter(year=2025).exists())

    def test_no_newsletter_is_imported_into_another_programme(self):
        parsed = import_newsletter(source=REFERENCE.read_bytes(), dry_run=True).parsed
        theirs = Publication.objects.create(
            name=parsed.publication.name, slug=parsed.publication.slug
        )
        theirs.editor_groups.add(Group.objects.get(name="Data editors"))
        self.client.force_login(self.dave)
        response = self.client.post(
            reverse("admin:issues_issue_import"),
            {"file": upload(REFERENCE.read_bytes())},
        )
        self.assertContains(response, "whose issues you do not work on")
        self.assertContains(response, "nothing was saved")
        self.assertFalse(theirs.issues.exists())
        # Carol, of the data programme, may.
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("admin:issues_issue_import"),
            {"file": upload(REFERENCE.read_bytes())},
        )
        self.assertNotContains(response, "whose issues you do not work on")
        self.assertContains(response, "would create")
