from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

import issues.demo
from issues.models import Issue, Item
from tests.factories import make_superuser, make_user
from tests.utils import get_counting_queries

REFERENCE = Path(issues.demo.__file__).with_name("newsletter-2024-11.md")
URL = reverse("admin:issues_issue_import")


def upload(data: bytes, name="newsletter.md") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/markdown")


class ImportAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()

    def setUp(self):
        self.client.force_login(self.user)

    def test_changelist_offers_the_import(self):
        """The issue list has an “Import a newsletter” button."""
        response = self.client.get(reverse("admin:issues_issue_changelist"))
        self.assertContains(response, f'href="{URL}"')

    def test_editors_cannot_import(self):
        """
        An import is published as sent: an editor, who cannot mark an issue sent,
        is not offered the import and is refused the page and the upload.
        """
        editor = make_user("editor")
        editor.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(editor)
        response = self.client.get(reverse("admin:issues_issue_changelist"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, f'href="{URL}"')
        self.assertEqual(self.client.get(URL).status_code, 403)
        response = self.client.post(URL, {"file": upload(REFERENCE.read_bytes())})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Issue.objects.exists())

    def test_approvers_may_import(self):
        """An approver is offered the import and may upload."""
        approver = make_user("approver")
        approver.groups.add(Group.objects.get(name="Approvers"))
        self.client.force_login(approver)
        response = self.client.get(reverse("admin:issues_issue_changelist"))
        self.assertContains(response, f'href="{URL}"')
        response = self.client.post(URL, {"file": upload(REFERENCE.read_bytes())})
        self.assertContains(response, "would create: 1 publication")

    def test_upload_page_queries(self):
        """The upload page: session, user, and the publications to choose from."""
        response = get_counting_queries(self, URL, 3)
        self.assertContains(response, 'type="file"')

    def test_preview_then_import(self):
        """Uploading shows what would be created and saves nothing; Import saves it."""
        response = self.client.post(URL, {"file": upload(REFERENCE.read_bytes())})
        self.assertContains(response, "would create: 1 publication")
        self.assertContains(response, "Events from the Community")
        self.assertEqual(Issue.objects.count(), 0)
        token = response.context["token"]
        response = self.client.post(URL, {"token": token})
        issue = Issue.objects.get()
        self.assertRedirects(
            response, reverse("admin:issues_issue_change", args=[issue.pk])
        )
        self.assertTrue(issue.is_sent)
        self.assertEqual(Item.objects.count(), 13)
        # Confirming the same preview again imports nothing more.
        self.client.post(URL, {"token": token})
        self.assertEqual(Item.objects.count(), 13)

    def test_tampered_preview_is_refused(self):
        """A preview whose signed text was changed cannot be imported."""
        response = self.client.post(URL, {"file": upload(REFERENCE.read_bytes())})
        token = response.context["token"]
        response = self.client.post(URL, {"token": token[:-2] + "xx"})
        self.assertContains(response, "cannot be confirmed")
        self.assertEqual(Issue.objects.count(), 0)

    def test_unreadable_file_is_explained(self):
        """A file that is not a newsletter: its name, the line and the reason."""
        response = self.client.post(URL, {"file": upload(b"Hello\n\nthere\n")})
        self.assertContains(response, "newsletter.md, line 1: no publication name")
        self.assertEqual(Issue.objects.count(), 0)

    def test_large_file_is_refused(self):
        """Files over 2 MB are refused before they are read."""
        response = self.client.post(URL, {"file": upload(b"x" * (2 * 1024 * 1024 + 1))})
        self.assertContains(response, "a newsletter is at most 2 MB")

    def test_needs_permission_to_add_issues(self):
        """Staff who cannot add issues cannot import them."""
        self.client.force_login(make_user())
        self.assertEqual(self.client.get(URL).status_code, 403)
