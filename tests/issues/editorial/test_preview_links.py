import datetime

import time_machine
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.test import TestCase
from django.urls import reverse

from issues.editorial.preview_links import (
    SALT,
    PreviewLinkError,
    create_preview_link,
    revoke_preview_link,
    token_for,
)
from issues.models import Issue, PreviewLink
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
    make_user,
)
from tests.issues.export.helpers import SITE_URL, export_settings
from tests.utils import get_counting_queries

NOW = datetime.datetime(2024, 11, 4, 10, 0, tzinfo=datetime.UTC)


def preview_path(link: PreviewLink) -> str:
    return reverse("preview_link", kwargs={"token": token_for(link)})


@export_settings
@time_machine.travel(NOW, tick=False)
class PreviewLinkPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("Partnership News")
        cls.section = make_section(publication, title="News")
        cls.issue = make_issue(publication, month=12, title="December secrets")
        make_item(cls.issue, cls.section, title="Embargoed announcement")
        with time_machine.travel(NOW, tick=False):
            cls.link = create_preview_link(
                issue=cls.issue, user=make_superuser(), note="Board"
            )

    def assert_reveals_nothing(self, response, status):
        self.assertEqual(response.status_code, status)
        self.assertContains(response, "Preview not available", status_code=status)
        for secret in ["December secrets", "Embargoed", "Partnership News"]:
            self.assertNotContains(response, secret, status_code=status)
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")

    def test_valid_link_shows_the_email_marked_as_preview_to_anyone(self):
        """Without an account, the link shows the e-mail, banner and noindex."""
        response = self.client.get(preview_path(self.link))
        self.assertContains(response, "Preview, not sent")
        self.assertContains(response, "Embargoed announcement")
        self.assertContains(response, "December secrets")
        self.assertContains(
            response, '<meta name="robots" content="noindex, nofollow">', html=True
        )
        self.assertContains(response, "sandbox srcdoc=")
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.assertContains(response, "works until 11 November 2024")

    def test_preview_is_read_only(self):
        """The preview offers no form, and a POST to it changes nothing."""
        response = self.client.get(preview_path(self.link))
        self.assertNotContains(response, "<form")
        self.assertEqual(self.client.post(preview_path(self.link)).status_code, 405)

    def test_tampered_token_reveals_nothing(self):
        token = token_for(self.link)
        value, _, signature = token.rpartition(":")
        tampered = [
            f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
            # Signed, but not for preview links.
            signing.Signer().sign_object(self.link.pk),
            signing.dumps(self.link.pk, salt=SALT),
            "not-a-token",
            signing.Signer(salt=SALT).sign_object(str(self.link.pk)),
            signing.Signer(salt=SALT).sign("not base64"),
        ]
        for token in tampered:
            with self.subTest(token=token):
                response = self.client.get(
                    reverse("preview_link", kwargs={"token": token})
                )
                self.assert_reveals_nothing(response, 404)

    def test_token_is_the_same_every_time(self):
        """The address listed on the issue's page does not change between visits."""
        token = token_for(self.link)
        with time_machine.travel(NOW + datetime.timedelta(hours=5)):
            self.assertEqual(token_for(self.link), token)

    def test_token_of_deleted_link_reveals_nothing(self):
        link = create_preview_link(issue=self.issue, user=None)
        path = preview_path(link)
        link.delete()
        self.assert_reveals_nothing(self.client.get(path), 404)

    def test_expired_link_reveals_nothing(self):
        """Seven days on, the link is gone; a minute before, it still works."""
        path = preview_path(self.link)
        with time_machine.travel(NOW + datetime.timedelta(days=7, minutes=-1)):
            self.assertContains(self.client.get(path), "Embargoed announcement")
        with time_machine.travel(NOW + datetime.timedelta(days=7)):
            self.assert_reveals_nothing(self.client.get(path), 410)

    def test_revoked_link_reveals_nothing(self):
        revoke_preview_link(link=self.link)
        self.assert_reveals_nothing(self.client.get(preview_path(self.link)), 410)

    def test_link_to_an_issue_since_sent_leads_to_its_public_page(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=NOW
        )
        response = self.client.get(preview_path(self.link))
        self.assertRedirects(response, self.issue.get_absolute_url())

    def test_robots_txt_disallows_previews(self):
        response = self.client.get("/robots.txt")
        self.assertIn("Disallow: /preview/", response.content.decode().splitlines())

    def test_queries_do_not_grow_with_items(self):
        """The preview page takes as many queries for 5 items as for 100."""
        path = preview_path(self.link)
        for _ in range(4):
            make_item(self.issue, self.section, event=make_event())
        with self.assertNumQueries(9):
            self.client.get(path)
        for _ in range(95):
            make_item(self.issue, self.section, event=make_event())
        with self.assertNumQueries(9):
            response = self.client.get(path)
        self.assertContains(response, "Preview, not sent")


@time_machine.travel(NOW, tick=False)
class PreviewLinkServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue()

    def test_link_expires_after_the_days_chosen(self):
        link = create_preview_link(issue=self.issue, user=None, days=30)
        self.assertEqual(link.expires_at, NOW + datetime.timedelta(days=30))

    def test_days_out_of_range_are_refused(self):
        for days in [0, 31]:
            with self.assertRaisesMessage(PreviewLinkError, "1 to 30 days"):
                create_preview_link(issue=self.issue, user=None, days=days)
        self.assertFalse(PreviewLink.objects.exists())

    def test_no_link_for_a_sent_issue(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=NOW
        )
        with self.assertRaisesMessage(PreviewLinkError, "share its public page"):
            create_preview_link(issue=self.issue, user=None)

    def test_revoking_twice_keeps_the_first_time(self):
        link = create_preview_link(issue=self.issue, user=None)
        revoke_preview_link(link=link)
        with time_machine.travel(NOW + datetime.timedelta(hours=1)):
            link = revoke_preview_link(link=link)
        self.assertEqual(link.revoked_at, NOW)


@export_settings
@time_machine.travel(NOW, tick=False)
class PreviewLinkAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user()
        cls.editor.groups.add(Group.objects.get(name="Editors"))
        cls.approver = make_user()
        cls.approver.groups.add(Group.objects.get(name="Approvers"))
        cls.viewer = make_user()
        cls.viewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
        cls.issue = make_issue(title="December draft")
        make_item(cls.issue, title="Winter school")
        cls.change_url = reverse("admin:issues_issue_change", args=[cls.issue.pk])
        cls.create_url = reverse(
            "admin:issues_issue_preview_link_create", args=[cls.issue.pk]
        )

    def revoke_url(self, link):
        return reverse(
            "admin:issues_issue_preview_link_revoke", args=[self.issue.pk, link.pk]
        )

    def test_editor_makes_a_link_with_a_note_for_seven_days(self):
        """The link is made from the issue's page and shown there to copy."""
        self.client.force_login(self.editor)
        page = self.client.get(self.change_url)
        self.assertContains(page, "Make a preview link")
        self.assertContains(page, 'name="days" value="7"')
        response = self.client.post(
            self.create_url, {"note": "Partnership board", "days": "7"}, follow=True
        )
        link = PreviewLink.objects.get()
        self.assertEqual(link.note, "Partnership board")
        self.assertEqual(link.created_by, self.editor)
        self.assertEqual(link.expires_at, NOW + datetime.timedelta(days=7))
        self.assertRedirects(response, self.change_url + "#preview-links")
        self.assertContains(response, "Preview link made")
        self.assertContains(response, SITE_URL + preview_path(link), count=2)
        self.assertContains(response, "Partnership board")
        self.assertContains(response, "Revoke")

    def test_approver_makes_and_revokes_a_link(self):
        self.client.force_login(self.approver)
        self.client.post(self.create_url, {"days": "3"})
        link = PreviewLink.objects.get()
        response = self.client.post(self.revoke_url(link), follow=True)
        self.assertContains(response, "Preview link withdrawn")
        self.assertContains(response, "Withdrawn 4 Nov 2024")
        link.refresh_from_db()
        self.assertFalse(link.is_usable())
        self.assertEqual(self.client.get(preview_path(link)).status_code, 410)

    def test_bad_number_of_days_says_so_and_makes_nothing(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            self.create_url, {"note": "Board", "days": "90"}, follow=True
        )
        self.assertContains(response, "No link made. Works for (days)")
        self.assertContains(response, "less than or equal to 30")
        self.assertFalse(PreviewLink.objects.exists())

    def test_staff_who_may_only_view_cannot_make_or_revoke(self):
        """Only staff who may change the issue make or revoke links."""
        link = create_preview_link(issue=self.issue, user=None)
        self.client.force_login(self.viewer)
        page = self.client.get(self.change_url)
        self.assertContains(page, "Preview links")
        self.assertNotContains(page, "Make a preview link")
        self.assertNotContains(page, self.revoke_url(link))
        refused = self.client.post(self.create_url, {"days": 7})
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(self.client.post(self.revoke_url(link)).status_code, 403)
        link.refresh_from_db()
        self.assertIsNone(link.revoked_at)
        self.assertEqual(PreviewLink.objects.count(), 1)

    def test_anonymous_cannot_make_links(self):
        response = self.client.post(self.create_url, {"days": 7})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])
        self.assertFalse(PreviewLink.objects.exists())

    def test_links_are_made_and_revoked_by_post_only(self):
        link = create_preview_link(issue=self.issue, user=None)
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(self.create_url).status_code, 405)
        self.assertEqual(self.client.get(self.revoke_url(link)).status_code, 405)
        self.assertFalse(PreviewLink.objects.filter(revoked_at__isnull=False).exists())

    def test_link_of_another_issue_cannot_be_revoked_through_this_one(self):
        other = create_preview_link(issue=make_issue(month=12), user=None)
        self.client.force_login(self.editor)
        url = reverse(
            "admin:issues_issue_preview_link_revoke", args=[self.issue.pk, other.pk]
        )
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_expired_link_is_listed_as_expired_without_its_address(self):
        link = create_preview_link(issue=self.issue, user=None, days=1)
        self.client.force_login(self.editor)
        with time_machine.travel(NOW + datetime.timedelta(days=2)):
            page = self.client.get(self.change_url)
        self.assertContains(page, "Expired 5 Nov 2024")
        self.assertNotContains(page, preview_path(link))

    def test_change_page_queries_do_not_grow_with_links(self):
        """The issue's page runs the same queries with 1 link as with 10."""
        self.client.force_login(make_superuser())
        create_preview_link(issue=self.issue, user=self.editor)
        get_counting_queries(self, self.change_url, 10)
        for _ in range(9):
            create_preview_link(issue=self.issue, user=self.editor)
        get_counting_queries(self, self.change_url, 10)
