import datetime
from unittest import mock

import time_machine
from django.test import TestCase
from django.urls import reverse

from issues.editorial.concurrency import StaleSave, claim_version
from issues.models import Issue, Item
from tests.factories import (
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
)
from tests.issues.admin.test_issue import issue_post_data

# 10:42 in London in winter.
SAVED_AT = datetime.datetime(2024, 12, 2, 10, 42, tzinfo=datetime.UTC)


def item_row(item: Item, **changes) -> dict:
    """An item's row on the issue page, as it was loaded, with ``changes``."""
    return {
        "id": item.pk,
        "issue": item.issue_id,
        "section": item.section_id,
        "position": item.position,
        "title": item.title,
        "loaded_version": item.version,
        **changes,
    }


def item_page_data(item: Item, **changes) -> dict:
    """What the item's own change form posts, as loaded, with ``changes``."""
    return {
        "issue": item.issue_id or "",
        "section": item.section_id or "",
        "position": item.position,
        "title": item.title,
        "loaded_version": item.version,
        **changes,
    }


class StaleIssueSaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = make_superuser("alice")
        cls.bob = make_superuser("bob")
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News")
        cls.issue = make_issue(cls.publication, month=12, title="December")
        cls.item = make_item(cls.issue, cls.section, title="Funding call", position=1)
        cls.url = reverse("admin:issues_issue_change", args=[cls.issue.pk])

    def post_as(self, user, data):
        self.client.force_login(user)
        return self.client.post(self.url, data)

    def test_form_carries_the_version_it_was_opened_at(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            '<input type="hidden" name="loaded_version" value="1" '
            'id="id_loaded_version">',
            html=True,
        )
        self.assertContains(response, 'name="items-0-loaded_version" value="1"')

    def test_each_save_raises_the_version_by_one(self):
        opened = Issue.objects.get(pk=self.issue.pk)
        response = self.post_as(self.alice, issue_post_data(opened, title="One"))
        self.assertEqual(response.status_code, 302)
        self.issue.refresh_from_db()
        self.assertEqual((self.issue.title, self.issue.version), ("One", 2))
        response = self.post_as(self.alice, issue_post_data(self.issue, title="Two"))
        self.assertEqual(response.status_code, 302)
        self.issue.refresh_from_db()
        self.assertEqual((self.issue.title, self.issue.version), ("Two", 3))

    def test_stale_save_is_refused_and_the_input_stays_on_the_screen(self):
        """Bob saved first; Alice's save is refused, her text shown, Bob's kept."""
        opened = Issue.objects.get(pk=self.issue.pk)
        with time_machine.travel(SAVED_AT, tick=False):
            self.post_as(self.bob, issue_post_data(opened, title="Bob's title"))
        response = self.post_as(
            self.alice,
            issue_post_data(opened, title="Alice's title", preheader="Alice's line"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "Someone else saved this issue at 10:42 since you opened it."
        )
        self.assertContains(response, "copy what you need, reload the page")
        self.assertContains(response, 'value="Alice&#x27;s title"')
        self.assertContains(response, 'value="Alice&#x27;s line"')
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.title, "Bob's title")
        self.assertEqual(self.issue.preheader, "")
        self.assertEqual(self.issue.version, 2)

    def test_resubmitting_the_refused_form_is_refused_again(self):
        """The refused form still carries the old version: it cannot overwrite."""
        opened = Issue.objects.get(pk=self.issue.pk)
        self.post_as(self.bob, issue_post_data(opened, title="Bob's title"))
        response = self.post_as(self.alice, issue_post_data(opened, title="Alice's"))
        self.assertContains(response, 'name="loaded_version" value="1"')
        response = self.post_as(self.alice, issue_post_data(opened, title="Alice's"))
        self.assertContains(response, "Someone else saved this issue")
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.title, "Bob's title")

    def test_save_overtaken_after_the_check_is_rolled_back(self):
        """Where rows cannot be locked, a save overtaken at the end is undone."""
        self.client.force_login(self.alice)
        with mock.patch(
            "issues.editorial.concurrency.claim_version", side_effect=StaleSave
        ):
            response = self.client.post(
                self.url, issue_post_data(self.issue, title="Lost?"), follow=True
            )
        self.assertContains(response, "your changes were not saved")
        self.issue.refresh_from_db()
        self.assertEqual((self.issue.title, self.issue.version), ("December", 1))
        self.assertFalse(self.issue.revisions.exists())

    def test_form_without_its_version_is_refused(self):
        data = issue_post_data(self.issue, title="Changed")
        del data["loaded_version"]
        response = self.post_as(self.alice, data)
        self.assertContains(response, "does not say which version it was opened at")
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.title, "December")

    def test_page_refused_for_an_item_error_saves_once_corrected(self):
        """
        An error in one item leaves the version as it was: the corrected page is
        saved, not refused as if someone else had saved meanwhile.
        """
        opened = Issue.objects.get(pk=self.issue.pk)
        rows = [item_row(self.item, title=""), item_row(self.item, title="Fixed")]
        response = self.post_as(
            self.alice, issue_post_data(opened, rows[0], initial=1, title="New")
        )
        self.assertContains(response, "This field is required.")
        self.issue.refresh_from_db()
        self.assertEqual((self.issue.title, self.issue.version), ("December", 1))
        response = self.post_as(
            self.alice, issue_post_data(opened, rows[1], initial=1, title="New")
        )
        self.assertEqual(response.status_code, 302)
        self.issue.refresh_from_db()
        self.assertEqual((self.issue.title, self.issue.version), ("New", 2))
        self.assertEqual(Item.objects.get(pk=self.item.pk).title, "Fixed")

    def test_stale_item_row_is_refused_and_nothing_is_overwritten(self):
        """An item changed on its own page since: the row on the issue page waits."""
        opened = Item.objects.get(pk=self.item.pk)
        self.client.force_login(self.bob)
        with time_machine.travel(SAVED_AT, tick=False):
            response = self.client.post(
                reverse("admin:issues_item_change", args=[self.item.pk]),
                item_page_data(opened, title="Funding call (Bob)"),
            )
        self.assertEqual(response.status_code, 302)
        response = self.post_as(
            self.alice,
            issue_post_data(
                self.issue,
                item_row(opened, title="Funding call (Alice)"),
                initial=1,
            ),
        )
        self.assertContains(
            response, "Someone else saved this item at 10:42 since you opened it."
        )
        self.assertContains(response, 'value="Funding call (Alice)"')
        self.item.refresh_from_db()
        self.assertEqual(self.item.title, "Funding call (Bob)")
        self.assertEqual(self.item.version, 2)

    def test_unchanged_item_rows_do_not_block_a_save(self):
        """Rows that match what is stored are not saved, and raise no version."""
        other = make_item(self.issue, self.section, title="Other", position=2)
        response = self.post_as(
            self.alice,
            issue_post_data(
                self.issue,
                item_row(self.item, title="Renamed"),
                item_row(other),
                initial=2,
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.item.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual((self.item.title, self.item.version), ("Renamed", 2))
        self.assertEqual(other.version, 1)


class StaleItemSaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = make_superuser("alice")
        cls.bob = make_superuser("bob")
        cls.item = make_item(title="Webinar", body="<p>Draft</p>")
        cls.url = reverse("admin:issues_item_change", args=[cls.item.pk])

    def test_stale_item_save_is_refused_and_the_input_stays_on_the_screen(self):
        opened = Item.objects.get(pk=self.item.pk)
        self.client.force_login(self.bob)
        with time_machine.travel(SAVED_AT, tick=False):
            self.client.post(self.url, item_page_data(opened, title="Webinar (Bob)"))
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url,
            item_page_data(opened, title="Webinar (Alice)", body="<p>Mine</p>"),
        )
        self.assertContains(
            response, "Someone else saved this item at 10:42 since you opened it."
        )
        self.assertContains(response, 'value="Webinar (Alice)"')
        self.assertContains(response, "&lt;p&gt;Mine&lt;/p&gt;")
        self.item.refresh_from_db()
        self.assertEqual(self.item.title, "Webinar (Bob)")
        self.assertEqual(self.item.version, 2)


class AssemblyStaleSaveTests(TestCase):
    """Items moved by assembling an issue cannot be saved over from older forms."""

    @classmethod
    def setUpTestData(cls):
        cls.alice = make_superuser("alice")
        cls.bob = make_superuser("bob")
        cls.publication = make_publication()
        cls.section = make_section(cls.publication, title="News")
        cls.issue = make_issue(cls.publication, month=12, title="December")
        cls.first = make_item(cls.issue, cls.section, title="First", position=1)
        cls.second = make_item(cls.issue, cls.section, title="Second", position=2)
        cls.third = make_item(cls.issue, cls.section, title="Third", position=3)

    def test_stale_save_of_a_renumbered_item_is_refused(self):
        """
        Alice opens the second item; Bob puts the third first, which makes the
        second third. Alice's save, which would put it back second, is refused.
        """
        opened = Item.objects.get(pk=self.second.pk)
        rows = [
            item_row(self.first),
            item_row(self.second),
            item_row(self.third, position=1),
        ]
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("admin:issues_issue_change", args=[self.issue.pk]),
            issue_post_data(self.issue, *rows, initial=3),
        )
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("admin:issues_item_change", args=[self.second.pk]),
            item_page_data(opened, title="Second (Alice)"),
        )
        self.assertContains(response, "Someone else saved this item")
        self.assertContains(response, 'value="Second (Alice)"')
        self.second.refresh_from_db()
        self.assertEqual((self.second.title, self.second.position), ("Second", 3))
        self.assertEqual(
            list(self.issue.items.in_order().values_list("title", flat=True)),
            ["Third", "First", "Second"],
        )

    def test_stale_save_of_an_item_placed_from_the_inbox_is_refused(self):
        """A form opened on an inbox item cannot take it back out of the issue."""
        grant = make_item(None, None, title="Grant")
        opened = Item.objects.get(pk=grant.pk)
        self.client.force_login(self.bob)
        self.client.post(
            reverse("admin:issues_issue_add_from_inbox", args=[self.issue.pk]),
            {f"place_{grant.pk}": "on", f"section_{grant.pk}": self.section.pk},
        )
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("admin:issues_item_change", args=[grant.pk]),
            item_page_data(opened, title="Grant (Alice)"),
        )
        self.assertContains(response, "Someone else saved this item")
        grant.refresh_from_db()
        self.assertEqual((grant.issue, grant.title), (self.issue, "Grant"))


class ClaimVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue()

    def test_only_the_current_version_is_raised(self):
        """The check and the raise are one UPDATE … WHERE version = n."""
        self.assertEqual(claim_version(model=Issue, pk=self.issue.pk, version=1), 2)
        with self.assertRaises(StaleSave):
            claim_version(model=Issue, pk=self.issue.pk, version=1)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.version, 2)
