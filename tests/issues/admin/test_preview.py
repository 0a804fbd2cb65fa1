import datetime
import io
import tempfile
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from issues.models import Issue, Item
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
    make_user,
)
from tests.issues.export.helpers import export_settings
from tests.utils import get_counting_queries

SEND_DATE = datetime.date(2024, 11, 14)


@export_settings
class PreviewPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        publication = make_publication("Partnership News")
        cls.section = make_section(publication, title="News")
        cls.issue = make_issue(
            publication,
            preheader="Calls, events and a new theme lead this month",
            planned_send_date=SEND_DATE,
        )
        cls.item = make_item(
            cls.issue,
            cls.section,
            title="Summer internships",
            image_url="https://www.example.org/interns.jpg",
            cta_url="https://www.example.org/apply",
        )

    def setUp(self):
        self.client.force_login(self.user)

    def preview_url(self, profile=""):
        url = reverse("admin:issues_issue_preview", args=[self.issue.pk])
        return f"{url}?profile={profile}" if profile else url

    def test_preview_shows_both_widths_text_web_page_and_checks(self):
        """The e-mail at both widths, its text and web page sit beside the checks."""
        response = self.client.get(self.preview_url("generic"))
        self.assertContains(response, 'width="640"')
        self.assertContains(response, 'width="375"')
        self.assertContains(response, "Plain text")
        self.assertContains(
            response, reverse("admin:issues_issue_web_preview", args=[self.issue.pk])
        )
        self.assertContains(response, "Pre-flight checks")
        self.assertContains(response, "Blocking:")
        self.assertContains(response, "has no alt text")
        item_page = reverse("admin:issues_item_change", args=[self.item.pk])
        self.assertContains(response, f'<a href="{item_page}">Fix it on the item</a>')
        # A blocking problem offers the forced download only.
        self.assertContains(response, "Download anyway for Other mailer")

    def test_clean_issue_says_no_problems(self):
        Item.objects.filter(pk=self.item.pk).update(image_alt="Two interns at work")
        response = self.client.get(self.preview_url("generic"))
        self.assertContains(response, "No problems found.")
        self.assertNotContains(response, "Download anyway")

    def test_mailer_can_still_be_chosen(self):
        response = self.client.get(self.preview_url("mailchimp"))
        self.assertContains(response, "<strong>Mailchimp</strong>", html=True)
        self.assertContains(response, "?profile=generic")

    def test_preview_queries_do_not_grow_with_items(self):
        """The preview with its checks takes as many queries for 5 items as 100."""

        def add_items(count):
            for _ in range(count):
                make_item(
                    self.issue,
                    self.section,
                    event=make_event(start_date=datetime.date(2024, 12, 1)),
                )

        add_items(4)
        get_counting_queries(self, self.preview_url("generic"), 14)
        add_items(95)
        response = get_counting_queries(self, self.preview_url("generic"), 14)
        # Every new item lacks a call to action; the event gives no registration.
        self.assertContains(response, "has no call to action", count=99)

    def test_download_with_blocking_problems_goes_back_to_the_checks(self):
        """A blocked download says why and keeps “Download anyway” at hand."""
        url = reverse("admin:issues_issue_export", args=[self.issue.pk, "generic"])
        response = self.client.get(url, follow=True)
        self.assertRedirects(response, self.preview_url("generic"))
        self.assertContains(response, "Not downloaded: 1 problem must be fixed first")
        forced = self.client.get(url + "?force=1")
        self.assertEqual(forced["Content-Type"], "application/zip")

    def test_command_refuses_blocking_problems_unless_forced(self):
        """export_issue lists the blocking problems and exports with --force."""
        with tempfile.TemporaryDirectory() as out:
            with self.assertRaisesMessage(CommandError, "has no alt text"):
                call_command(
                    "export_issue",
                    str(self.issue.pk),
                    "--mailer=generic",
                    f"--out={out}",
                )
            self.assertEqual(list(Path(out).iterdir()), [])
            call_command(
                "export_issue",
                str(self.issue.pk),
                "--mailer=generic",
                f"--out={out}",
                "--force",
                stdout=io.StringIO(),
            )
            self.assertEqual(len(list(Path(out).iterdir())), 3)


@export_settings
class WebPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        publication = make_publication("Partnership News")
        cls.section = make_section(publication, title="News")
        cls.issue = make_issue(publication, month=12, title="December draft")
        make_item(cls.issue, cls.section, title="Winter school")
        cls.url = reverse("admin:issues_issue_web_preview", args=[cls.issue.pk])

    def setUp(self):
        self.client.force_login(self.user)

    def test_unsent_issue_page_is_shown_in_the_admin_only(self):
        """The public page of a draft, which the public site hides, is in the admin."""
        response = self.client.get(self.url)
        self.assertContains(response, "December draft")
        self.assertContains(response, "Winter school")
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertIn("script-src 'none'", response["Content-Security-Policy"])
        self.assertEqual(
            self.client.get(self.issue.get_absolute_url()).status_code, 404
        )
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)

    def test_staff_without_view_permission_is_refused(self):
        self.client.force_login(make_user())
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_queries_do_not_grow_with_items(self):
        """The web page preview takes as many queries for 5 items as for 100."""
        for _ in range(4):
            make_item(self.issue, self.section, event=make_event())
        get_counting_queries(self, self.url, 8)
        for _ in range(95):
            make_item(self.issue, self.section, event=make_event())
        get_counting_queries(self, self.url, 8)


class ProblemColumnTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication()
        cls.section = make_section(cls.publication)
        cls.url = reverse("admin:issues_issue_changelist")

    def setUp(self):
        self.client.force_login(make_superuser())

    def test_changelist_counts_blocking_problems_and_warnings(self):
        """Each unsent issue shows its open problems; a sent one shows none."""
        issue = make_issue(self.publication, month=10)
        make_item(issue, self.section, image_url="https://www.example.org/a.png")
        make_issue(
            self.publication,
            month=9,
            status=Issue.Status.SENT,
        )
        response = self.client.get(self.url)
        # No alt text blocks; no preheader, send date or call to action warn.
        self.assertContains(response, "1 blocking, 3 warnings")
        self.assertContains(response, '<td class="field-open_problems">–</td>')

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The issue list with its problem counts: as many queries for 3 as 30."""
        for month in range(1, 4):
            issue = make_issue(self.publication, month=month)
            make_item(issue, self.section, event=make_event())
        get_counting_queries(self, self.url, 10)
        for year in range(2000, 2027):
            issue = make_issue(self.publication, year=year)
            make_item(issue, self.section, event=make_event())
        response = get_counting_queries(self, self.url, 10)
        self.assertEqual(response.context["cl"].result_count, 30)


class EditorPreviewTests(TestCase):
    """What an editor of the Editors group may do with the preview."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user()
        cls.editor.groups.add(Group.objects.get(name="Editors"))
        cls.issue = make_issue()
        make_item(cls.issue, title="Spring call")

    def test_editor_sees_the_preview_and_web_page(self):
        self.client.force_login(self.editor)
        for name in ["admin:issues_issue_preview", "admin:issues_issue_web_preview"]:
            response = self.client.get(reverse(name, args=[self.issue.pk]))
            self.assertContains(response, "Spring call", msg_prefix=name)
