import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.editorial.sending import mark_sent
from tests.factories import make_issue, make_item, make_superuser


class FrozenContentReadsTests(TestCase):
    """
    What a sent issue froze is the whole issue, e-mails aside: pages that list items
    with their issue never read it, so that a thousand open deadlines do not load a
    thousand issues.
    """

    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue(title="The sent one")
        make_item(
            cls.issue,
            title="Apply for the fellowship",
            deadline=timezone.localdate() + datetime.timedelta(days=10),
            deadline_label="Applications close",
        )
        mark_sent(issue=cls.issue)
        cls.admin = make_superuser()

    def assertFrozenContentNotRead(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Apply for the fellowship")
        read = [q["sql"] for q in queries if '."frozen_content"' in q["sql"]]
        self.assertEqual(read, [], f"{url} read the frozen content")

    def test_the_sent_issue_is_frozen(self):
        """The frozen content the other tests look for is there to be read."""
        self.issue.refresh_from_db()
        self.assertTrue(self.issue.frozen_content)

    def test_home_page(self):
        """The deadlines closing soon show their issue without its content."""
        self.assertFrozenContentNotRead(reverse("home"))

    def test_calendar(self):
        """The calendar of what is upcoming names each item's issue, no more."""
        self.assertFrozenContentNotRead(reverse("events:calendar"))

    def test_admin_item_list(self):
        """The admin's list of items shows their issue without its content."""
        self.client.force_login(self.admin)
        self.assertFrozenContentNotRead(reverse("admin:issues_item_changelist"))
