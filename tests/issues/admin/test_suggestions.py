import datetime

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from issues.models import Item, Suggestion
from issues.suggestions.services import accept_suggestion, submit_suggestion
from tests.factories import make_superuser, make_user
from tests.utils import get_counting_queries

HOSTILE_TITLE = "<script>alert('title')</script> Workshop"


def make_suggestion(**fields) -> Suggestion:
    values = {
        "title": "Health data workshop",
        "summary": "Submit a short paper.",
        "url": "https://www.example.org/workshop",
        "contact_name": "Ada Lovelace",
        "contact_email": "ada@example.org",
        "consent": True,
        "sender_address": "192.0.2.1",
        **fields,
    }
    return submit_suggestion(**values)


def make_editor():
    """A staff user with the suggestion permissions the Editors group has."""
    editor = make_user()
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="issues",
            codename__in=["view_suggestion", "change_suggestion", "change_item"],
        )
    )
    return editor


class SuggestionAdminListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.pending = make_suggestion(title=HOSTILE_TITLE)
        cls.accepted = make_suggestion(title="Accepted one", sender_address="192.0.2.2")
        cls.item = accept_suggestion(suggestion=cls.accepted, user=cls.user)

    def setUp(self):
        self.client.force_login(self.user)

    def test_list_shows_title_sender_status_and_item(self):
        """Each row shows the title, who sent it, its status and its inbox item."""
        response = self.client.get(reverse("admin:issues_suggestion_changelist"))
        self.assertContains(response, "Ada Lovelace &lt;ada@example.org&gt;")
        self.assertContains(response, "Waiting for a decision")
        self.assertContains(response, "Accepted")
        self.assertContains(
            response, reverse("admin:issues_item_change", args=[self.item.pk])
        )

    def test_hostile_title_is_shown_as_text(self):
        """A title with markup in it is shown escaped, never run."""
        response = self.client.get(reverse("admin:issues_suggestion_changelist"))
        self.assertNotContains(response, "<script>alert('title')")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;title&#x27;)")

    def test_list_filters_by_status_and_searches(self):
        """The list filters by status and finds a sender by e-mail or a title word."""
        url = reverse("admin:issues_suggestion_changelist")
        response = self.client.get(url, {"status__exact": "pending"})
        self.assertEqual(list(response.context["cl"].result_list), [self.pending])
        response = self.client.get(url, {"q": "accepted"})
        self.assertEqual(list(response.context["cl"].result_list), [self.accepted])
        response = self.client.get(url, {"q": "ada@example.org"})
        self.assertEqual(len(response.context["cl"].result_list), 2)

    def test_list_queries_do_not_grow_with_rows(self):
        """
        The list runs the same queries for 2 suggestions as for 12, one of them for
        whether the public form's hourly cap was reached.
        """
        url = reverse("admin:issues_suggestion_changelist")
        for number in range(10):
            suggestion = make_suggestion(sender_address=f"198.51.100.{number}")
            if number % 2:
                accept_suggestion(suggestion=suggestion, user=self.user)
        get_counting_queries(self, url, 8)

    def test_suggestions_are_never_added_in_the_admin(self):
        """Suggestions come from the public form only: the admin has no add page."""
        response = self.client.get(reverse("admin:issues_suggestion_add"))
        self.assertEqual(response.status_code, 403)


class SuggestionAdminChangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.editor = make_editor()
        cls.suggestion = make_suggestion(
            title=HOSTILE_TITLE,
            summary="<b>Bold?</b>\n\nSecond paragraph.",
            deadline=datetime.date(2099, 1, 31),
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def change_url(self, suggestion=None):
        suggestion = suggestion or self.suggestion
        return reverse("admin:issues_suggestion_change", args=[suggestion.pk])

    def decide(self, action: str, suggestion=None):
        suggestion = suggestion or self.suggestion
        return self.client.post(
            reverse(f"admin:issues_suggestion_{action}", args=[suggestion.pk])
        )

    def test_change_page_shows_the_suggestion_read_only(self):
        """The page shows what was sent, escaped, with no field to edit it."""
        response = get_counting_queries(self, self.change_url(), 6)
        self.assertNotContains(response, 'name="title"')
        self.assertNotContains(response, 'name="_save"')
        self.assertNotContains(response, "<script>alert('title')")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;title&#x27;)")
        self.assertContains(
            response, "<p>&lt;b&gt;Bold?&lt;/b&gt;</p><p>Second paragraph.</p>"
        )
        self.assertContains(
            response,
            '<a href="https://www.example.org/workshop" rel="noopener noreferrer '
            'nofollow">https://www.example.org/workshop</a>',
        )
        self.assertContains(response, "31 Jan 2099")
        self.assertContains(response, 'value="Accept (to inbox)"')
        self.assertContains(response, 'value="Decline"')

    def test_accepting_puts_an_item_in_the_inbox(self):
        """Accept makes the inbox item, says so with a link, and the page shows it."""
        response = self.decide("accept")
        self.assertRedirects(response, self.change_url(), fetch_redirect_response=False)
        item = Item.objects.get()
        self.assertIsNone(item.issue)
        self.assertEqual(item.title, HOSTILE_TITLE)
        item_url = reverse("admin:issues_item_change", args=[item.pk])
        response = self.client.get(self.change_url())
        self.assertContains(response, "is accepted and waits in the inbox")
        self.assertContains(response, f'<a href="{item_url}">Item {item.pk}</a>')
        self.assertContains(response, "Open its inbox item")
        self.assertNotContains(response, 'value="Accept (to inbox)"')

    def test_declining_keeps_the_suggestion_without_item(self):
        """Decline marks it declined, returns to the list and makes no item."""
        response = self.decide("decline")
        self.assertRedirects(response, reverse("admin:issues_suggestion_changelist"))
        self.suggestion.refresh_from_db()
        self.assertEqual(self.suggestion.status, Suggestion.Status.DECLINED)
        self.assertEqual(self.suggestion.decided_by, self.editor)
        self.assertFalse(Item.objects.exists())

    def test_second_decision_is_refused_with_a_message(self):
        """Deciding again, e.g. from a page left open, changes nothing and says so."""
        self.client.post(
            reverse("admin:issues_suggestion_decline", args=[self.suggestion.pk]),
            follow=True,
        )
        response = self.decide("accept")
        self.assertRedirects(response, self.change_url(), fetch_redirect_response=False)
        response = self.client.get(self.change_url())
        self.assertContains(response, "was already declined on")
        self.assertFalse(Item.objects.exists())

    def test_decisions_need_a_post(self):
        """Opening the accept address does nothing: only the button decides."""
        response = self.client.get(
            reverse("admin:issues_suggestion_accept", args=[self.suggestion.pk])
        )
        self.assertEqual(response.status_code, 405)
        self.assertFalse(Item.objects.exists())

    def test_staff_without_permission_cannot_decide(self):
        """A staff user who may not change suggestions gets a 403 and nothing moves."""
        self.client.force_login(make_user())
        self.assertEqual(self.decide("accept").status_code, 403)
        self.assertEqual(self.decide("decline").status_code, 403)
        self.suggestion.refresh_from_db()
        self.assertEqual(self.suggestion.status, Suggestion.Status.PENDING)

    def test_missing_suggestion_is_a_404(self):
        """Deciding on a suggestion that does not exist is a 404."""
        response = self.client.post(
            reverse("admin:issues_suggestion_accept", args=[999999])
        )
        self.assertEqual(response.status_code, 404)

    def test_actions_decide_several_and_skip_the_decided(self):
        """The list's actions decide each pending suggestion and name any skipped."""
        other = make_suggestion(title="Other", sender_address="192.0.2.9")
        self.decide("decline", other)
        third = make_suggestion(title="Third", sender_address="192.0.2.10")
        response = self.client.post(
            reverse("admin:issues_suggestion_changelist"),
            {
                "action": "accept_selected",
                "_selected_action": [self.suggestion.pk, other.pk, third.pk],
            },
            follow=True,
        )
        self.assertContains(response, "2 suggestions accepted to the inbox.")
        self.assertContains(response, "“Other” was already declined on")
        self.assertEqual(
            set(Item.objects.values_list("title", flat=True)), {HOSTILE_TITLE, "Third"}
        )
        fourth = make_suggestion(title="Fourth", sender_address="192.0.2.11")
        response = self.client.post(
            reverse("admin:issues_suggestion_changelist"),
            {"action": "decline_selected", "_selected_action": [fourth.pk]},
            follow=True,
        )
        self.assertContains(response, "1 suggestion declined.")
        fourth.refresh_from_db()
        self.assertEqual(fourth.status, Suggestion.Status.DECLINED)
