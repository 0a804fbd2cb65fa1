from django.contrib import admin
from django.test import TestCase
from django.urls import reverse

from issues.admin.views import AdminPageView, IssueAdminView
from issues.models import Issue
from tests.factories import make_issue, make_item, make_superuser, make_user

# Values for the other parts of a page's address.
ADDRESS = {"step": "submit", "number": 1, "profile": "generic", "link_id": 1}
MISSING = 999_999


def extra_pages():
    """The pages IssueAdmin adds to the admin's own, with their view classes."""
    model_admin = admin.site.get_model_admin(Issue)
    for pattern in model_admin.get_urls():
        view_class = getattr(pattern.callback, "view_class", None)
        # Not the admin's redirect of an object's old address, which has no name.
        if view_class is not None and pattern.name:
            yield pattern, view_class


def address(pattern, issue_id: int) -> str:
    kwargs = {name: ADDRESS.get(name, issue_id) for name in pattern.pattern.converters}
    return reverse(f"admin:{pattern.name}", kwargs=kwargs)


def answered_by(view_class) -> str:
    return "get" if "get" in view_class.http_method_names else "post"


class IssueAdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue(month=12)
        make_item(cls.issue)

    def test_every_extra_page_is_a_view_class(self):
        """Each page behind an issue's buttons reads its issue the one way."""
        pages = dict(extra_pages())
        self.assertEqual(
            sorted(pattern.name for pattern in pages),
            [
                "issues_issue_add_events",
                "issues_issue_add_from_inbox",
                "issues_issue_errata",
                "issues_issue_export",
                "issues_issue_import",
                "issues_issue_preview",
                "issues_issue_preview_link_create",
                "issues_issue_preview_link_revoke",
                "issues_issue_restore",
                "issues_issue_revisions",
                "issues_issue_web_preview",
                "issues_issue_workflow",
            ],
        )
        for pattern, view_class in pages.items():
            with self.subTest(page=pattern.name):
                self.assertTrue(issubclass(view_class, AdminPageView))
                if "issue_id" in pattern.pattern.converters:
                    self.assertTrue(issubclass(view_class, IssueAdminView))

    def test_a_missing_issue_is_not_found(self):
        self.client.force_login(make_superuser())
        for pattern, view_class in extra_pages():
            if "issue_id" not in pattern.pattern.converters:
                continue
            with self.subTest(page=pattern.name):
                method = getattr(self.client, answered_by(view_class))
                self.assertEqual(method(address(pattern, MISSING)).status_code, 404)

    def test_a_method_a_page_does_not_answer_is_refused_before_the_issue_is_read(self):
        """A GET to a page that only takes a POST: 405, whether the issue exists."""
        self.client.force_login(make_superuser())
        for pattern, view_class in extra_pages():
            if answered_by(view_class) != "post":
                continue
            with self.subTest(page=pattern.name):
                response = self.client.get(address(pattern, MISSING))
                self.assertEqual(response.status_code, 405)

    def test_staff_without_permissions_are_refused_every_page(self):
        self.client.force_login(make_user())
        for pattern, view_class in extra_pages():
            with self.subTest(page=pattern.name):
                method = getattr(self.client, answered_by(view_class))
                response = method(address(pattern, self.issue.pk))
                self.assertEqual(response.status_code, 403)
