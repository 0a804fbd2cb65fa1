import io
import zipfile

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from issues.models import MailerProfile
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
    make_user,
)
from tests.issues.export.helpers import export_settings, parse
from tests.utils import get_counting_queries


@export_settings
class EmailPreviewAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        publication = make_publication()
        cls.section = make_section(publication, title="News")
        cls.issue = make_issue(publication)
        make_item(cls.issue, cls.section, title="First item", cta_url="https://x.org/")

    def setUp(self):
        self.client.force_login(self.user)

    def preview_url(self, profile=""):
        url = reverse("admin:issues_issue_preview", args=[self.issue.pk])
        return f"{url}?profile={profile}" if profile else url

    def test_change_page_has_preview_and_download_buttons(self):
        response = self.client.get(
            reverse("admin:issues_issue_change", args=[self.issue.pk])
        )
        self.assertContains(response, self.preview_url())
        for profile in MailerProfile.objects.all():
            self.assertContains(response, f"Download for {profile.name}")

    def test_preview_shows_both_widths_text_and_size(self):
        response = self.client.get(self.preview_url("mailchimp"))
        self.assertContains(response, 'width="640"')
        self.assertContains(response, 'width="375"')
        self.assertContains(response, "srcdoc=")
        self.assertContains(response, "First item")
        self.assertContains(response, "Within the budget")
        self.assertContains(response, "*|UNSUB|*")

    def test_preview_lists_a_mailer_tag_in_content_as_a_warning(self):
        make_item(
            self.issue, self.section, title="Hello *|FNAME|*", cta_url="https://x.org/"
        )
        response = self.client.get(self.preview_url("generic"))
        self.assertContains(response, "Nothing blocks the issue")
        warnings = [
            " ".join(li.get_text().split())
            for li in parse(response.content).select(".preflight li.warning")
        ]
        self.assertIn(
            "Warning: “*|FNAME|*” in the title of item “Hello *|FNAME|*” looks like "
            "a placeholder to Mailchimp; it is sent as the characters typed. Nothing "
            "to do if readers should see these characters: content is never read as "
            "a mailer's template. Fix it on the item",
            warnings,
        )

    def test_preview_queries_do_not_grow_with_items(self):
        """The preview takes as many queries for 3 items as for 30."""
        # Three of them are the pre-flight checks'.
        for _ in range(2):
            make_item(self.issue, self.section, event=make_event())
        get_counting_queries(self, self.preview_url("generic"), 14)
        for _ in range(27):
            make_item(self.issue, self.section, event=make_event())
        get_counting_queries(self, self.preview_url("generic"), 14)

    def test_download_is_a_zip(self):
        response = self.client.get(
            reverse("admin:issues_issue_export", args=[self.issue.pk, "generic"])
        )
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertEqual(len(archive.namelist()), 2)

    def test_download_over_the_budget_goes_back_to_the_preview(self):
        for _ in range(30):
            make_item(self.issue, self.section, body="<p>words here </p>" * 500)
        url = reverse("admin:issues_issue_export", args=[self.issue.pk, "generic"])
        response = self.client.get(url, follow=True)
        self.assertRedirects(response, self.preview_url("generic"))
        self.assertContains(response, "Not downloaded")
        self.assertContains(response, "Download anyway")
        forced = self.client.get(url + "?force=1")
        self.assertEqual(forced["Content-Type"], "application/zip")

    def test_unknown_profile_is_not_found(self):
        self.assertEqual(self.client.get(self.preview_url("nope")).status_code, 404)
        url = reverse("admin:issues_issue_export", args=[self.issue.pk, "nope"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_staff_without_view_permission_is_refused(self):
        user = make_user()
        self.client.force_login(user)
        self.assertEqual(self.client.get(self.preview_url()).status_code, 403)
        user.user_permissions.add(Permission.objects.get(codename="view_issue"))
        self.assertEqual(self.client.get(self.preview_url()).status_code, 200)

    def test_mailer_profiles_are_in_the_admin(self):
        response = self.client.get(reverse("admin:issues_mailerprofile_changelist"))
        self.assertContains(response, "Dynamics 365 Customer Insights")
        self.assertContains(response, "Mailchimp")
