import datetime
import email.utils
import xml.etree.ElementTree as ET

import time_machine
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.test import TestCase, override_settings
from django.urls import reverse

from issues.editorial.errata import (
    ERRATUM_MAX_LENGTH,
    ErratumError,
    publish_erratum,
    withdraw_erratum,
)
from issues.editorial.revisions import RevisionError, record_revision, restore_revision
from issues.editorial.sending import export_issue, mark_sent
from issues.editorial.workflow import WorkflowError, record_edit
from issues.models import Erratum, Issue, IssueExport, Item, MailerProfile
from tests.browser import BrowserTestCase
from tests.demo import import_demo
from tests.factories import (
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
    make_user,
)
from tests.issues.admin.test_issue import issue_post_data
from tests.issues.export.helpers import export_settings
from tests.utils import REAL_PAGES_CACHE, get_counting_queries

SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)
FROZEN_AT = datetime.datetime(2024, 11, 14, 10, 0, tzinfo=datetime.UTC)
CORRECTED_AT = datetime.datetime(2024, 12, 3, 10, 30, tzinfo=datetime.UTC)
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]
HOSTILE = (
    '<p>The date is <b>12 December</b>.<script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">here</a></p>'
)


def make_member(group: str, username: str | None = None, **fields):
    user = make_user(username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_sent_issue(publication, *, month=11, titles=("Winter school",)) -> Issue:
    section = make_section(publication, title=f"News {month}", position=month)
    issue = make_issue(publication, month=month, sent_at=SENT_AT)
    for position, title in enumerate(titles):
        make_item(issue, section, title=title, position=position)
    with time_machine.travel(FROZEN_AT, tick=False):
        return mark_sent(issue=issue, sent_at=SENT_AT)


class ErratumFixtures:
    @classmethod
    def setUpTestData(cls):
        # Only the frozen content matters here, except where a test says otherwise.
        MailerProfile.objects.update(is_active=False)
        cls.editor = make_member("Editors", "editor")
        cls.approver = make_member(
            "Approvers", "approver", first_name="Ada", last_name="Approver"
        )
        cls.publication = make_publication("Partnership News")
        cls.issue = make_sent_issue(
            cls.publication, titles=("Winter school", "Data study group")
        )
        cls.item = cls.issue.items.get(title="Winter school")
        cls.other_issue = make_sent_issue(
            cls.publication, month=10, titles=("October's paper",)
        )
        cls.other_item = cls.other_issue.items.get()
        cls.url = cls.issue.get_absolute_url()

    def publish(self, text="<p>The workshop is on 12 December.</p>", **kwargs):
        kwargs.setdefault("issue", self.issue)
        kwargs.setdefault("user", self.approver)
        with time_machine.travel(kwargs.pop("at", CORRECTED_AT), tick=False):
            with self.captureOnCommitCallbacks(execute=True):
                return publish_erratum(text=text, **kwargs)


class ErratumPermissionTests(TestCase):
    def test_approvers_publish_errata_and_editors_read_them(self):
        """The data migration lets approvers publish errata; editors only see them."""
        editor = make_member("Editors")
        approver = make_member("Approvers")
        self.assertTrue(approver.has_perm("issues.add_erratum"))
        self.assertFalse(editor.has_perm("issues.add_erratum"))
        for user in (editor, approver):
            self.assertTrue(user.has_perm("issues.view_erratum"))
            self.assertFalse(user.has_perm("issues.change_erratum"))
            self.assertFalse(user.has_perm("issues.delete_erratum"))


class PublishErratumTests(ErratumFixtures, TestCase):
    def test_approver_publishes_an_erratum_on_an_item(self):
        """The erratum keeps its text, item, date and who published it."""
        erratum = self.publish(item=self.item)
        erratum.refresh_from_db()
        self.assertEqual(erratum.issue, self.issue)
        self.assertEqual(erratum.item, self.item)
        self.assertEqual(erratum.text, "<p>The workshop is on 12 December.</p>")
        self.assertEqual(erratum.published_at, CORRECTED_AT)
        self.assertEqual(erratum.published_by, self.approver)
        self.assertEqual(
            str(erratum), "Correction to Partnership News – November 2024, 2024-12-03"
        )
        self.assertEqual(erratum.get_absolute_url(), f"{self.url}#erratum-{erratum.pk}")
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.updated_at, CORRECTED_AT)

    def test_an_erratum_on_the_issue_as_a_whole(self):
        erratum = self.publish(text="<p>The introduction misnamed our partner.</p>")
        self.assertIsNone(erratum.item)

    def test_editor_cannot_publish(self):
        """Refused, saying who can; nothing is published."""
        with self.assertRaisesMessage(ErratumError, "ask an approver"):
            self.publish(user=self.editor)
        with self.assertRaisesMessage(ErratumError, "ask an approver"):
            self.publish(user=make_user())
        self.assertFalse(Erratum.objects.exists())

    def test_only_a_sent_issue_takes_an_erratum(self):
        for status in NOT_SENT:
            issue = make_issue(self.publication, month=1 + NOT_SENT.index(status))
            Issue.objects.filter(pk=issue.pk).update(status=status)
            with self.subTest(status=status):
                with self.assertRaisesMessage(ErratumError, "correct the issue itself"):
                    self.publish(issue=issue)
        self.assertFalse(Erratum.objects.exists())

    def test_item_must_be_one_of_the_issue(self):
        """An item of another issue, or of the inbox, is refused."""
        for item in (self.other_item, make_item(title="Waiting")):
            with self.subTest(item=item.title):
                with self.assertRaisesMessage(ErratumError, "is not an item of"):
                    self.publish(item=item)
        self.assertFalse(Erratum.objects.exists())

    def test_text_is_sanitised(self):
        """Scripts, event handlers and javascript: links never reach the database."""
        erratum = self.publish(text=HOSTILE)
        erratum.refresh_from_db()
        self.assertIn("<b>12 December</b>", erratum.text)
        for hostile in ("<script", "alert", "onerror", "javascript:", "<img"):
            self.assertNotIn(hostile, erratum.text)

    def test_a_correction_without_words_is_refused(self):
        for text in ("", "   ", "<p> </p>", "<script>alert(1)</script>", "&nbsp;"):
            with self.subTest(text=text):
                with self.assertRaisesMessage(ErratumError, "Write the correction"):
                    self.publish(text=text)
        self.assertFalse(Erratum.objects.exists())

    def test_a_long_correction_is_refused(self):
        with self.assertRaisesMessage(ErratumError, "keep it under"):
            self.publish(text="word " * (ERRATUM_MAX_LENGTH // 5 + 1))
        self.assertFalse(Erratum.objects.exists())

    def test_model_validation_and_constraint(self):
        """full_clean() refuses an unsent issue and another issue's item."""
        draft = make_issue(self.publication, month=3)
        with self.assertRaisesMessage(ValidationError, "Only a sent issue"):
            Erratum(issue=draft, text="<p>x</p>").full_clean()
        with self.assertRaisesMessage(ValidationError, "Choose an item of this issue"):
            Erratum(issue=self.issue, item=self.other_item, text="x").full_clean()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Erratum.objects.create(issue=self.issue, text="")

    def test_a_corrected_item_is_never_deleted_on_its_own(self):
        """The item stays; deleting the whole issue takes its errata with it."""
        self.publish(item=self.item)
        with self.assertRaises(RestrictedError):
            self.item.delete()
        self.assertTrue(Item.objects.filter(pk=self.item.pk).exists())
        self.issue.delete()
        self.assertFalse(Erratum.objects.exists())

    def test_sent_issue_is_not_changed_through_the_services(self):
        """Recording an edit or restoring a revision of a sent issue is refused."""
        with self.assertRaisesMessage(WorkflowError, "Publish an erratum instead"):
            record_edit(issue=self.issue, user=self.approver)
        revision = record_revision(issue=self.issue, user=self.approver)
        with self.assertRaisesMessage(RevisionError, "Publish an erratum instead"):
            restore_revision(issue=self.issue, revision=revision, user=self.approver)

    def test_only_a_superuser_withdraws_an_erratum(self):
        erratum = self.publish()
        with self.assertRaisesMessage(ErratumError, "only a superuser"):
            withdraw_erratum(erratum=erratum, user=self.approver)
        self.assertTrue(Erratum.objects.filter(pk=erratum.pk).exists())
        withdraw_erratum(erratum=erratum, user=make_superuser())
        self.assertFalse(Erratum.objects.exists())


@export_settings
class ErratumLeavesTheEmailsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.approver = make_member("Approvers")
        cls.issue = make_sent_issue(make_publication())
        cls.item = cls.issue.items.get()

    def test_exports_and_frozen_content_are_unchanged(self):
        """What readers received is exported byte for byte after an erratum."""
        profiles = list(MailerProfile.objects.active())
        self.assertTrue(profiles)
        before = {
            profile.slug: export_issue(issue=self.issue, profile=profile, force=True)
            for profile in profiles
        }
        content, checksum = self.issue.frozen_content, self.issue.frozen_content_sha256
        publish_erratum(
            issue=self.issue,
            user=self.approver,
            text="<p>The deadline is Friday.</p>",
            item=self.item,
        )
        issue = Issue.objects.get(pk=self.issue.pk)
        self.assertEqual(issue.frozen_content, content)
        self.assertEqual(issue.frozen_content_sha256, checksum)
        for profile in profiles:
            after = export_issue(issue=issue, profile=profile, force=True)
            self.assertTrue(after.frozen)
            self.assertEqual(after.html, before[profile.slug].html)
            self.assertEqual(after.text, before[profile.slug].text)
            self.assertNotIn("The deadline is Friday", after.html + after.text)
        for export in IssueExport.objects.filter(issue=issue):
            self.assertTrue(export.is_intact)


class ErratumAdminTests(ErratumFixtures, TestCase):
    def errata_url(self, issue=None) -> str:
        return reverse("admin:issues_issue_errata", args=[(issue or self.issue).pk])

    def change_url(self, issue=None) -> str:
        return reverse("admin:issues_issue_change", args=[(issue or self.issue).pk])

    def post(self, data, issue=None):
        with time_machine.travel(CORRECTED_AT, tick=False):
            return self.client.post(self.errata_url(issue), data)

    def test_approver_is_offered_to_publish_on_a_sent_issue_only(self):
        self.client.force_login(self.approver)
        response = self.client.get(self.change_url())
        self.assertContains(
            response,
            f'<a href="{self.errata_url()}">Publish an erratum</a>',
            html=True,
        )
        draft = make_issue(self.publication, month=12)
        self.assertNotContains(
            self.client.get(self.change_url(draft)), self.errata_url(draft)
        )

    def test_editor_sees_the_errata_but_is_not_offered_to_publish(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.change_url())
        self.assertNotContains(response, "Publish an erratum")
        self.assertContains(
            response, f'<a href="{self.errata_url()}">Errata</a>', html=True
        )
        response = self.client.get(self.errata_url())
        self.assertContains(response, "Approvers publish errata")
        self.assertNotContains(response, 'name="text"')

    def test_errata_page_offers_the_issue_items_only(self):
        """The item choice lists this issue's items, in order, and nothing else."""
        self.client.force_login(self.approver)
        response = get_counting_queries(self, self.errata_url(), 7)
        self.assertContains(response, 'name="text"')
        self.assertContains(
            response, f'<option value="{self.item.pk}">News 11: Winter school</option>'
        )
        self.assertContains(response, "None: the issue as a whole")
        self.assertNotContains(response, "October's paper")
        self.assertContains(response, "None yet.")

    def test_approver_publishes_through_the_admin(self):
        """Published, said so, and listed in the issue's history with who and when."""
        self.client.force_login(self.approver)
        response = self.post(
            {"text": "<p>The school starts on <b>12 January</b>.</p>", "item": ""}
        )
        self.assertRedirects(response, self.change_url(), fetch_redirect_response=False)
        erratum = Erratum.objects.get()
        self.assertEqual(erratum.published_by, self.approver)
        self.assertIsNone(erratum.item)
        response = self.client.get(self.change_url())
        self.assertContains(response, "Erratum published on")
        self.assertContains(response, "dated 3 December 2024")
        self.assertContains(response, "<td>Erratum published</td>", html=True)
        self.assertContains(response, "<td>Ada Approver</td>", html=True)
        self.assertContains(response, "<td>3 Dec 2024, 10:30</td>", html=True)
        self.assertContains(
            response, "<td>The school starts on 12 January.</td>", html=True
        )

    def test_erratum_on_an_item_is_listed_with_the_item(self):
        self.client.force_login(self.approver)
        self.post({"text": "Room 4, not room 3.", "item": self.item.pk})
        self.assertEqual(Erratum.objects.get().item, self.item)
        response = self.client.get(self.change_url())
        self.assertContains(
            response, "<td>On “Winter school”: Room 4, not room 3.</td>", html=True
        )
        response = self.client.get(self.errata_url())
        self.assertContains(response, "<td>Winter school</td>", html=True)
        self.assertContains(response, "3 December 2024, 10:30")

    def test_editor_cannot_publish(self):
        """A hand-made post is refused with 403; nothing is published."""
        self.client.force_login(self.editor)
        response = self.post({"text": "Room 4."})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Erratum.objects.exists())

    def test_not_on_an_issue_that_is_not_sent(self):
        self.client.force_login(self.approver)
        draft = make_issue(self.publication, month=12)
        response = self.post({"text": "Room 4."}, issue=draft)
        self.assertRedirects(
            response, self.change_url(draft), fetch_redirect_response=False
        )
        response = self.client.get(self.change_url(draft))
        self.assertContains(response, "not sent: correct the issue itself")
        self.assertFalse(Erratum.objects.exists())

    def test_item_of_another_issue_is_refused_and_the_text_kept(self):
        self.client.force_login(self.approver)
        response = self.post({"text": "Room 4, not 3.", "item": self.other_item.pk})
        self.assertContains(response, "Choose one of this issue&#x27;s items.")
        self.assertContains(response, "Room 4, not 3.</textarea>")
        self.assertFalse(Erratum.objects.exists())

    def test_correction_without_words_is_refused_and_the_text_kept(self):
        self.client.force_login(self.approver)
        response = self.post({"text": "", "item": ""})
        self.assertContains(response, "Write the correction.")
        response = self.post({"text": "<script>alert(1)</script>", "item": ""})
        self.assertContains(response, "Write the correction: what was wrong")
        kept = "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"
        self.assertContains(response, kept)
        self.assertFalse(Erratum.objects.exists())

    def test_hostile_text_is_inert_in_the_admin(self):
        self.client.force_login(self.approver)
        self.post({"text": HOSTILE, "item": self.item.pk})
        erratum = Erratum.objects.get()
        pages = [
            self.change_url(),
            self.errata_url(),
            reverse("admin:issues_erratum_changelist"),
            reverse("admin:issues_erratum_change", args=[erratum.pk]),
        ]
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "12 December")
                self.assertNotContains(response, "onerror")
                self.assertNotContains(response, "javascript:alert")
                self.assertNotContains(response, 'alert("x")')

    def test_errata_list_is_read_only(self):
        """No one adds or edits errata there; only a superuser may delete one."""
        erratum = self.publish()
        self.client.force_login(self.approver)
        response = self.client.get(reverse("admin:issues_erratum_changelist"))
        self.assertContains(response, "The workshop is on 12 December.")
        self.assertNotContains(response, reverse("admin:issues_erratum_add"))
        change = reverse("admin:issues_erratum_change", args=[erratum.pk])
        response = self.client.get(change)
        self.assertContains(
            response, "<p>The workshop is on 12 December.</p>", html=True
        )
        self.assertNotContains(response, 'name="_save"')
        self.assertNotContains(response, 'name="text"')
        response = self.client.post(change, {"text": "Rewritten"})
        self.assertEqual(response.status_code, 403)
        delete = reverse("admin:issues_erratum_delete", args=[erratum.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        erratum.refresh_from_db()
        self.assertEqual(erratum.text, "<p>The workshop is on 12 December.</p>")

    def test_superuser_withdraws_an_erratum_published_by_mistake(self):
        erratum = self.publish()
        self.client.force_login(make_superuser())
        delete = reverse("admin:issues_erratum_delete", args=[erratum.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(delete, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Erratum.objects.exists())
        self.assertNotContains(self.client.get(self.url), "12 December")

    def test_sent_issue_and_its_items_still_refuse_changes(self):
        """With errata published, the change form and the item stay read-only."""
        self.publish(item=self.item)
        self.client.force_login(self.approver)
        response = self.client.post(
            self.change_url(), issue_post_data(self.issue, title="Rewritten")
        )
        self.assertEqual(response.status_code, 403)
        delete = reverse("admin:issues_item_delete", args=[self.item.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.title, "")
        self.assertTrue(Item.objects.filter(pk=self.item.pk).exists())

    def test_query_counts_do_not_grow_with_errata(self):
        """The issue's page, its Errata page and the errata list: 1 erratum or 6."""
        self.client.force_login(self.approver)
        self.publish(item=self.item)
        pages = [
            (self.change_url(), 12),
            (self.errata_url(), 7),
            (reverse("admin:issues_erratum_changelist"), 10),
        ]
        for url, queries in pages:
            get_counting_queries(self, url, queries)
        for day in range(4, 9):
            self.publish(item=self.item, at=CORRECTED_AT.replace(day=day))
        for url, queries in pages:
            with self.subTest(url=url):
                response = get_counting_queries(self, url, queries)
                self.assertContains(response, "The workshop is on 12 December", 6)

    def test_web_preview_shows_the_errata(self):
        self.publish(item=self.item)
        self.client.force_login(self.editor)
        response = self.client.get(
            reverse("admin:issues_issue_web_preview", args=[self.issue.pk])
        )
        self.assertContains(response, "The workshop is on 12 December.", count=2)


def main_content(response) -> str:
    return response.content.decode().split("<main", 1)[1]


class ErratumPageTests(ErratumFixtures, TestCase):
    def test_shows_the_correction_at_the_top_and_beside_the_item(self):
        erratum = self.publish(item=self.item)
        whole = self.publish(text="<p>Our partner is <em>Roche</em>.</p>")
        response = self.client.get(self.url)
        notice = (
            '<section class="notice errata" aria-labelledby="errata-heading">'
            '<h2 id="errata-heading">Corrections since this issue was sent</h2><ul>'
            f'<li id="erratum-{erratum.pk}"><p class="erratum-date"><strong>'
            'Correction, <time datetime="2024-12-03">3 December 2024</time></strong>'
            f', to <a href="#item-{self.item.pk}">Winter school</a>:</p>'
            '<div class="rich-text"><p>The workshop is on 12 December.</p></div></li>'
            f'<li id="erratum-{whole.pk}"><p class="erratum-date"><strong>'
            'Correction, <time datetime="2024-12-03">3 December 2024</time></strong>'
            ':</p><div class="rich-text"><p>Our partner is <em>Roche</em>.</p></div>'
            "</li></ul></section>"
        )
        self.assertContains(response, notice, html=True)
        beside = (
            '<div class="notice erratum" role="note"><p class="erratum-date"><strong>'
            'Correction, <time datetime="2024-12-03">3 December 2024</time>:</strong>'
            '</p><div class="rich-text"><p>The workshop is on 12 December.</p></div>'
            "</div>"
        )
        self.assertContains(response, beside, count=1, html=True)
        page = main_content(response)
        # Near the top: before the first section, and inside the corrected item.
        self.assertLess(page.index("errata-heading"), page.index("issue-section"))
        article = page.split(f'id="item-{self.item.pk}"', 1)[1].split("</article>")[0]
        self.assertIn('class="notice erratum"', article)
        self.assertNotIn("Our partner", article)

    def test_page_without_errata_has_no_notice(self):
        response = self.client.get(self.url)
        self.assertNotContains(response, "errata-heading")
        self.assertNotContains(response, "Correction,")

    def test_hostile_text_is_inert_on_the_page(self):
        self.publish(text=HOSTILE, item=self.item)
        page = main_content(self.client.get(self.url))
        self.assertIn("<b>12 December</b>", page)
        for hostile in ("<script", "onerror", "javascript:", "alert("):
            self.assertNotIn(hostile, page)

    def test_two_queries_uncached_with_errata(self):
        """The errata are read with the issue's address: still two queries."""
        for day in range(3, 8):
            self.publish(item=self.item, at=CORRECTED_AT.replace(day=day))
        with self.assertNumQueries(2):
            response = self.client.get(self.url)
        self.assertContains(response, "The workshop is on 12 December.", count=10)

    def test_legacy_sent_issue_shows_its_errata(self):
        """An issue sent before freezing shows errata too, in as many queries."""
        legacy = make_issue(self.publication, month=9, status=Issue.Status.SENT)
        item = make_item(legacy, title="September news")
        with self.assertNumQueries(5):
            self.client.get(legacy.get_absolute_url())
        self.publish(issue=legacy, item=item, text="Room 4.")
        with self.assertNumQueries(5):
            response = self.client.get(legacy.get_absolute_url())
        self.assertContains(response, f'<a href="#item-{item.pk}">September news</a>')
        self.assertContains(response, "Room 4.", count=2)

    def test_frozen_content_is_left_as_sent(self):
        content = Issue.objects.get(pk=self.issue.pk).frozen_content
        self.publish(item=self.item)
        self.assertEqual(Issue.objects.get(pk=self.issue.pk).frozen_content, content)


@override_settings(CACHES=REAL_PAGES_CACHE)
class ErratumCacheTests(ErratumFixtures, TestCase):
    def setUp(self):
        caches["pages"].clear()

    def test_a_new_erratum_shows_at_once(self):
        """A cached page gives way to the corrected one, with a new ETag and date."""
        first = self.client.get(self.url)
        self.assertNotContains(first, "Correction,")
        with self.assertNumQueries(0):
            self.client.get(self.url)
        self.publish(item=self.item)
        response = self.client.get(self.url, headers={"if-none-match": first["ETag"]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The workshop is on 12 December.", count=2)
        self.assertNotEqual(response["ETag"], first["ETag"])
        self.assertEqual(
            response["Last-Modified"],
            email.utils.format_datetime(CORRECTED_AT, usegmt=True),
        )
        since = email.utils.format_datetime(FROZEN_AT, usegmt=True)
        response = self.client.get(self.url, headers={"if-modified-since": since})
        self.assertEqual(response.status_code, 200)
        with self.assertNumQueries(0):
            again = self.client.get(self.url)
        self.assertContains(again, "The workshop is on 12 December.", count=2)

    def test_revalidation_of_the_corrected_page(self):
        """The corrected page's ETag is answered 304 in one query, none when cached."""
        self.publish(item=self.item)
        caches["pages"].clear()
        etag = self.client.get(self.url)["ETag"]
        caches["pages"].clear()
        with self.assertNumQueries(1):
            response = self.client.get(self.url, headers={"if-none-match": etag})
        self.assertEqual(response.status_code, 304)
        with self.assertNumQueries(0):
            response = self.client.get(self.url, headers={"if-none-match": etag})
        self.assertEqual(response.status_code, 304)

    def test_a_second_erratum_shows_at_once_too(self):
        self.publish(item=self.item)
        self.client.get(self.url)
        self.publish(text="<p>And room 4.</p>", at=CORRECTED_AT.replace(day=5))
        response = self.client.get(self.url)
        self.assertContains(response, "And room 4.")
        self.assertContains(response, "Corrections since this issue was sent")


@override_settings(SITE_URL="https://news.example.org")
class ErratumFeedTests(ErratumFixtures, TestCase):
    ATOM = {"atom": "http://www.w3.org/2005/Atom"}

    def updated(self) -> dict[str, str]:
        with self.assertNumQueries(2):
            response = self.client.get(reverse("issues:feed"))
        root = ET.fromstring(response.content)
        entries = {
            entry.find("atom:link", self.ATOM).get("href"): entry.find(
                "atom:updated", self.ATOM
            ).text
            for entry in root.findall("atom:entry", self.ATOM)
        }
        return {"feed": root.find("atom:updated", self.ATOM).text, **entries}

    def test_entry_is_updated_by_its_latest_erratum(self):
        link = "https://news.example.org" + self.url
        self.assertEqual(self.updated()[link], "2024-11-14T09:00:00+00:00")
        self.publish(item=self.item)
        self.publish(at=CORRECTED_AT.replace(day=5))
        updated = self.updated()
        self.assertEqual(updated[link], "2024-12-05T10:30:00+00:00")
        self.assertEqual(updated["feed"], "2024-12-05T10:30:00+00:00")
        other = "https://news.example.org" + self.other_issue.get_absolute_url()
        self.assertEqual(updated[other], "2024-11-14T09:00:00+00:00")


@time_machine.travel(CORRECTED_AT, tick=True)
class ErratumInBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        import_demo()
        self.approver = make_member("Approvers", "approver")
        self.issue = Issue.objects.sent().select_related("publication").get()
        self.item = self.issue.items.in_order().first()

    def test_approver_publishes_an_erratum_that_readers_see(self):
        """
        From the sent issue's page to the Errata form and back, then the public page:
        the correction is there, links to its item, and axe-core finds nothing wrong.
        """
        page = self.page
        self.visit(reverse("admin:login"))
        page.get_by_label("Username").fill(self.approver.username)
        page.get_by_label("Password").fill(self.approver.raw_password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        self.visit(reverse("admin:issues_issue_change", args=[self.issue.pk]))
        page.get_by_role("link", name="Publish an erratum").click()
        page.wait_for_load_state()
        self.assert_accessible("the Errata page")
        page.get_by_label("Correction").fill("The room is 4, not 3.")
        page.get_by_role("combobox", name="Item").select_option(str(self.item.pk))
        page.get_by_role("button", name="Publish the erratum").click()
        page.wait_for_load_state()
        self.assertIn("Erratum published on", page.locator(".messagelist").inner_text())
        self.assertIn(
            "Erratum published", page.locator(".workflow-history").inner_text()
        )

        self.visit(self.issue.get_absolute_url())
        notice = page.get_by_role("region", name="Correction since this issue was sent")
        self.assertIn("Correction, 3 December 2024", notice.inner_text())
        self.assertIn("The room is 4, not 3.", notice.inner_text())
        self.assertIn(
            "The room is 4, not 3.", page.locator(f"#item-{self.item.pk}").inner_text()
        )
        notice.get_by_role("link", name=self.item.title).click()
        self.assertTrue(page.url.endswith(f"#item-{self.item.pk}"))
        self.assert_accessible("the corrected issue")


@override_settings(SITE_URL="https://news.example.org")
class ErratumSitemapTests(ErratumFixtures, TestCase):
    def test_issue_is_modified_by_its_latest_erratum(self):
        """The sitemap's lastmod of a corrected issue is the day of the correction."""
        location = "https://news.example.org" + self.url
        self.publish(item=self.item)
        response = self.client.get("/sitemap.xml")
        root = ET.fromstring(response.content)
        namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        lastmod = {
            url.find("sm:loc", namespace).text: url.findtext(
                "sm:lastmod", "", namespace
            )
            for url in root.findall("sm:url", namespace)
        }
        self.assertEqual(lastmod[location], "2024-12-03")
        other = "https://news.example.org" + self.other_issue.get_absolute_url()
        self.assertEqual(lastmod[other], "2024-11-14")
