import datetime

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, Item
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
    make_user,
)
from tests.issues.admin.test_issue import issue_post_data
from tests.utils import get_counting_queries

D = datetime.date
SENT_REFUSAL = "This issue has been sent; what readers received cannot change."


def item_rows(issue: Issue) -> list[dict]:
    """The item rows of the issue's change form, as they stand."""
    return [
        {
            "id": item.pk,
            "issue": issue.pk,
            "section": item.section_id,
            "position": item.position,
            "title": item.title,
            "loaded_version": item.version,
        }
        for item in issue.items.in_order()
    ]


class AssemblyTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.publication = make_publication("Turing–Roche Partnership")
        cls.updates = make_section(
            cls.publication, title="Partnership updates", slug="updates", position=1
        )
        cls.events_section = make_section(
            cls.publication,
            title="Events from the community",
            slug="events-from-the-community",
            position=2,
        )
        cls.issue = make_issue(
            cls.publication, month=12, planned_send_date=D(2024, 12, 5)
        )

    def setUp(self):
        self.client.force_login(self.user)
        self.change_url = reverse("admin:issues_issue_change", args=[self.issue.pk])
        self.events_url = reverse("admin:issues_issue_add_events", args=[self.issue.pk])
        self.inbox_url = reverse(
            "admin:issues_issue_add_from_inbox", args=[self.issue.pk]
        )

    def message_texts(self, response) -> list[str]:
        return [str(message) for message in response.context["messages"]]


class IssuePageOrderTests(AssemblyTestCase):
    def test_items_are_shown_by_section_order_then_position(self):
        make_item(self.issue, self.events_section, title="Workshop", position=1)
        make_item(self.issue, self.updates, title="Second update", position=2)
        make_item(self.issue, self.updates, title="First update", position=1)
        response = self.client.get(self.change_url)
        formset = response.context["inline_admin_formsets"][0].formset
        self.assertEqual(
            [(form.instance.section.title, form.instance.title) for form in formset],
            [
                ("Partnership updates", "First update"),
                ("Partnership updates", "Second update"),
                ("Events from the community", "Workshop"),
            ],
        )

    def test_page_offers_the_buttons_and_the_ordering_script(self):
        response = self.client.get(self.change_url)
        self.assertContains(response, f'href="{self.events_url}"')
        self.assertContains(response, "Add upcoming events")
        self.assertContains(response, f'href="{self.inbox_url}"')
        self.assertContains(response, "issues/assembly.js")

    def test_a_sent_issue_offers_no_buttons(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
        response = self.client.get(self.change_url)
        self.assertNotContains(response, "Add upcoming events")
        self.assertNotContains(response, "Add from inbox")

    def test_someone_who_can_only_view_the_issue_gets_no_buttons(self):
        user = make_user()
        user.user_permissions.add(Permission.objects.get(codename="view_issue"))
        self.client.force_login(user)
        response = self.client.get(self.change_url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Add upcoming events")
        self.assertNotContains(response, "Add from inbox")

    def test_saving_numbers_positions_from_one_in_each_section(self):
        """Positions typed as 10, 20, 5 are saved as 1, 2 and 1."""
        a = make_item(self.issue, self.updates, title="A", position=10)
        b = make_item(self.issue, self.updates, title="B", position=20)
        c = make_item(self.issue, self.events_section, title="C", position=5)
        rows = item_rows(self.issue)
        response = self.client.post(
            self.change_url, issue_post_data(self.issue, *rows, initial=len(rows))
        )
        self.assertRedirects(response, reverse("admin:issues_issue_changelist"))
        self.assertEqual(
            list(self.issue.items.in_order().values_list("pk", "position")),
            [(a.pk, 1), (b.pk, 2), (c.pk, 1)],
        )

    def test_a_typed_position_moves_the_item_there(self):
        """Typing 1 for the third item puts it first; the others follow it."""
        a = make_item(self.issue, self.updates, title="A", position=1)
        b = make_item(self.issue, self.updates, title="B", position=2)
        c = make_item(self.issue, self.updates, title="C", position=3)
        rows = item_rows(self.issue)
        rows[2]["position"] = 1
        self.client.post(
            self.change_url, issue_post_data(self.issue, *rows, initial=len(rows))
        )
        self.assertEqual(
            list(self.issue.items.in_order().values_list("pk", "position")),
            [(c.pk, 1), (a.pk, 2), (b.pk, 3)],
        )

    def test_the_revision_kept_on_saving_holds_the_positions_as_numbered(self):
        """Typing 1 for the third item: the revision has it first, the others after."""
        make_item(self.issue, self.updates, title="A", position=1)
        make_item(self.issue, self.updates, title="B", position=2)
        make_item(self.issue, self.updates, title="C", position=3)
        rows = item_rows(self.issue)
        rows[2]["position"] = 1
        self.client.post(
            self.change_url, issue_post_data(self.issue, *rows, initial=len(rows))
        )
        content = self.issue.revisions.get().content
        self.assertEqual(
            [(item["title"], item["position"]) for item in content["items"]],
            [("C", 1), ("A", 2), ("B", 3)],
        )

    def test_an_item_moved_to_another_section_is_numbered_there(self):
        make_item(self.issue, self.updates, title="A", position=1)
        b = make_item(self.issue, self.updates, title="B", position=2)
        c = make_item(self.issue, self.updates, title="C", position=3)
        workshop = make_item(self.issue, self.events_section, title="W", position=1)
        rows = item_rows(self.issue)
        rows[1].update(section=self.events_section.pk, position=2)
        self.client.post(
            self.change_url, issue_post_data(self.issue, *rows, initial=len(rows))
        )
        self.assertEqual(
            list(
                self.issue.items.filter(section=self.events_section)
                .order_by("position")
                .values_list("pk", "position")
            ),
            [(workshop.pk, 1), (b.pk, 2)],
        )
        c.refresh_from_db()
        self.assertEqual(c.position, 2)

    def test_a_refused_save_keeps_the_typed_positions(self):
        """The page comes back with the positions as typed, and nothing is saved."""
        make_item(self.issue, self.updates, title="A", position=1)
        make_item(self.issue, self.updates, title="B", position=2)
        rows = item_rows(self.issue)
        rows[0]["position"] = 7
        rows[1]["section"] = ""
        response = self.client.post(
            self.change_url, issue_post_data(self.issue, *rows, initial=len(rows))
        )
        self.assertContains(response, 'name="items-0-position" value="7"')
        self.assertEqual(
            list(self.issue.items.in_order().values_list("position", flat=True)),
            [1, 2],
        )

    def test_queries_do_not_grow_with_items(self):
        """The issue page runs as many queries for 100 items as for 5."""
        for position in range(1, 6):
            make_item(self.issue, self.updates, position=position, event=make_event())
        # One query reads the mailer profiles for the download buttons.
        get_counting_queries(self, self.change_url, 10)
        for position in range(6, 101):
            make_item(self.issue, self.updates, position=position, event=make_event())
        response = get_counting_queries(self, self.change_url, 10)
        self.assertContains(response, 'name="items-99-title"')


class AddEventsPageTests(AssemblyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_issue(cls.publication, year=2025, month=1, planned_send_date=D(2025, 1, 9))
        cls.previous = make_issue(cls.publication, month=11)
        cls.workshop = make_event(
            "Responsible AI workshop",
            start_date=D(2024, 12, 12),
            summary="A day on evaluation.",
            registration_url="https://www.example.org/register",
        )
        make_deadline(cls.workshop, label="Registration deadline", date=D(2024, 12, 9))
        cls.seminar = make_event("Winter seminar", start_date=D(2025, 1, 7))
        make_item(cls.previous, cls.events_section, event=cls.seminar)
        cls.too_late = make_event("January meetup", start_date=D(2025, 1, 9))
        cls.too_early = make_event("November talk", start_date=D(2024, 11, 20))

    def test_page_lists_the_events_of_the_window_all_ticked(self):
        response = self.client.get(self.events_url)
        self.assertContains(
            response,
            "from 5 December 2024 to 8 January 2025 (the day before January 2025 "
            "is planned to go out)",
        )
        for event in (self.workshop, self.seminar):
            self.assertContains(
                response,
                f'<input type="checkbox" name="events" value="{event.pk}" '
                f'id="event-{event.pk}" checked>',
                html=True,
            )
        self.assertNotContains(response, "January meetup")
        self.assertNotContains(response, "November talk")
        self.assertContains(response, "Registration deadline: 9 Dec 2024")

    def test_events_featured_in_another_issue_say_so(self):
        response = self.client.get(self.events_url)
        self.assertContains(response, f"<td>{self.previous}</td>", html=True)

    def test_the_events_section_is_chosen(self):
        response = self.client.get(self.events_url)
        self.assertContains(
            response,
            f'<option value="{self.events_section.pk}" selected>'
            "Events from the community</option>",
            html=True,
        )

    def test_posting_adds_the_ticked_events(self):
        response = self.client.post(
            self.events_url,
            {"events": [self.workshop.pk], "section": self.events_section.pk},
            follow=True,
        )
        self.assertRedirects(response, self.change_url)
        self.assertEqual(
            self.message_texts(response),
            [
                "Added 1 event to “Events from the community”: “Responsible AI "
                "workshop”."
            ],
        )
        item = self.issue.items.get()
        self.assertEqual(
            (item.event, item.section, item.position, item.cta_label),
            (self.workshop, self.events_section, 1, "Register"),
        )
        self.assertContains(response, 'value="Responsible AI workshop"')

    def test_adding_to_an_approved_issue_returns_it_to_draft(self):
        """The issue's page then says so, in the review block and its history."""
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        response = self.client.post(
            self.events_url,
            {"events": [self.workshop.pk], "section": self.events_section.pk},
            follow=True,
        )
        self.assertContains(response, "Review: Draft")
        self.assertContains(
            response,
            f"<td>{self.user.get_username()}</td><td>Approved → Draft</td>"
            "<td>Edited after approval</td>",
            html=True,
        )
        revision = self.issue.revisions.get()
        self.assertEqual(revision.by, self.user)
        self.assertIn("Responsible AI workshop", revision.note)

    def test_posting_twice_adds_once(self):
        data = {
            "events": [self.workshop.pk, self.seminar.pk],
            "section": self.events_section.pk,
        }
        self.client.post(self.events_url, data, follow=True)
        response = self.client.post(self.events_url, data, follow=True)
        self.assertEqual(
            self.message_texts(response),
            ["Nothing added: the events you chose are already in this issue."],
        )
        self.assertEqual(self.issue.items.count(), 2)

    def test_without_a_section_nothing_is_added_and_the_ticks_stay(self):
        response = self.client.post(
            self.events_url, {"events": [self.seminar.pk], "section": ""}
        )
        self.assertContains(response, "Choose the section the events go in.")
        self.assertContains(
            response,
            f'<input type="checkbox" name="events" value="{self.workshop.pk}" '
            f'id="event-{self.workshop.pk}">',
            html=True,
        )
        self.assertContains(
            response,
            f'<input type="checkbox" name="events" value="{self.seminar.pk}" '
            f'id="event-{self.seminar.pk}" checked>',
            html=True,
        )
        self.assertFalse(self.issue.items.exists())

    def test_nothing_ticked_is_explained(self):
        response = self.client.post(
            self.events_url, {"section": self.events_section.pk}
        )
        self.assertContains(response, "Tick at least one event to add.")

    def test_a_section_of_another_publication_is_refused(self):
        elsewhere = make_section(make_publication(), title="Elsewhere")
        response = self.client.post(
            self.events_url, {"events": [self.workshop.pk], "section": elsewhere.pk}
        )
        self.assertContains(response, "Select a valid choice.")
        self.assertFalse(self.issue.items.exists())

    def test_with_nothing_to_add_the_page_says_so(self):
        self.client.post(
            self.events_url,
            {
                "events": [self.workshop.pk, self.seminar.pk],
                "section": self.events_section.pk,
            },
        )
        response = self.client.get(self.events_url)
        self.assertContains(response, "No event to add")
        self.assertNotContains(response, '<form method="post">')

    def test_a_sent_issue_is_refused(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
        response = self.client.post(
            self.events_url,
            {"events": [self.workshop.pk], "section": self.events_section.pk},
            follow=True,
        )
        # A sent issue is read-only for everyone: back to it, saying why.
        self.assertRedirects(response, self.change_url)
        self.assertContains(response, SENT_REFUSAL)
        self.assertFalse(self.issue.items.exists())

    def test_staff_who_cannot_change_issues_are_refused(self):
        user = make_user()
        user.user_permissions.add(Permission.objects.get(codename="view_issue"))
        self.client.force_login(user)
        self.assertEqual(self.client.get(self.events_url).status_code, 403)
        response = self.client.post(
            self.events_url,
            {"events": [self.workshop.pk], "section": self.events_section.pk},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.issue.items.exists())

    def test_unknown_issue_is_not_found(self):
        url = reverse("admin:issues_issue_add_events", args=[999999])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_queries_do_not_grow_with_items_or_events(self):
        """The page runs as many queries for 100 items and 20 events as for 5 and 1."""
        other_events = [
            make_event(start_date=D(2024, 12, 10 + number)) for number in range(20)
        ]
        for position in range(1, 6):
            make_item(self.issue, self.updates, position=position)
        get_counting_queries(self, self.events_url, 8)
        for position in range(6, 101):
            make_item(self.issue, self.updates, position=position)
        for event in other_events:
            make_deadline(event, date=event.start_date)
            make_item(self.previous, self.events_section, event=event)
        response = get_counting_queries(self, self.events_url, 8)
        self.assertEqual(len(response.context["offers"]), 22)


class AddFromInboxPageTests(AssemblyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_item(cls.issue, cls.updates, title="Welcome", position=1)
        cls.grant = make_item(None, cls.updates, title="Grant round open")
        cls.unsorted = make_item(None, None, title="Fellowship")
        cls.elsewhere = make_item(
            None, make_section(make_publication(), title="Theirs"), title="Not ours"
        )

    def test_page_lists_this_publications_inbox_items(self):
        """Items with a section are ticked; items without one wait for a choice."""
        response = self.client.get(self.inbox_url)
        self.assertContains(response, "Grant round open")
        self.assertContains(response, "Fellowship")
        self.assertNotContains(response, "Not ours")
        self.assertContains(
            response,
            f'<input type="checkbox" name="place_{self.grant.pk}" '
            f'id="id_place_{self.grant.pk}" checked>',
            html=True,
        )
        self.assertContains(
            response,
            f'<input type="checkbox" name="place_{self.unsorted.pk}" '
            f'id="id_place_{self.unsorted.pk}">',
            html=True,
        )

    def test_posting_places_the_ticked_items_at_the_end_of_their_sections(self):
        response = self.client.post(
            self.inbox_url,
            {
                f"place_{self.grant.pk}": "on",
                f"section_{self.grant.pk}": self.updates.pk,
                f"place_{self.unsorted.pk}": "on",
                f"section_{self.unsorted.pk}": self.events_section.pk,
            },
            follow=True,
        )
        self.assertRedirects(response, self.change_url)
        self.assertEqual(
            self.message_texts(response),
            [
                "Placed 2 inbox items at the end of their sections: “Grant round "
                "open”, “Fellowship”."
            ],
        )
        self.grant.refresh_from_db()
        self.unsorted.refresh_from_db()
        self.assertEqual((self.grant.issue, self.grant.position), (self.issue, 2))
        self.assertEqual(
            (self.unsorted.section, self.unsorted.position), (self.events_section, 1)
        )

    def test_placing_in_an_approved_issue_returns_it_to_draft(self):
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        response = self.client.post(
            self.inbox_url,
            {
                f"place_{self.grant.pk}": "on",
                f"section_{self.grant.pk}": self.updates.pk,
            },
            follow=True,
        )
        self.assertContains(response, "Review: Draft")
        self.assertContains(response, "<td>Approved → Draft</td>", html=True)
        revision = self.issue.revisions.get()
        self.assertEqual(
            (revision.by, revision.note),
            (self.user, "Placed from the inbox: “Grant round open”"),
        )

    def test_an_accepted_suggestion_is_offered_with_its_sender(self):
        from issues.models import Suggestion

        item = make_item(None, None, title="Community hackathon")
        Suggestion.objects.create(
            title="Community hackathon",
            summary="<p>Join us.</p>",
            contact_name="Ada Lovelace",
            contact_email="ada@example.org",
            consent=True,
            status=Suggestion.Status.ACCEPTED,
            decided_at=timezone.now(),
            item=item,
        )
        response = self.client.get(self.inbox_url)
        self.assertContains(response, "Suggested by Ada Lovelace")

    def test_a_ticked_item_without_a_section_is_refused_and_the_choices_stay(self):
        response = self.client.post(
            self.inbox_url,
            {
                f"place_{self.grant.pk}": "on",
                f"section_{self.grant.pk}": self.events_section.pk,
                f"place_{self.unsorted.pk}": "on",
                f"section_{self.unsorted.pk}": "",
            },
        )
        self.assertContains(response, "Choose the section this item goes in.")
        self.assertContains(
            response,
            f'<option value="{self.events_section.pk}" selected>'
            "Events from the community</option>",
            html=True,
        )
        self.assertEqual(Item.objects.inbox().count(), 3)

    def test_nothing_ticked_is_explained(self):
        response = self.client.post(self.inbox_url, {})
        self.assertContains(response, "Tick at least one item to place.")

    def test_posting_twice_places_once(self):
        data = {
            f"place_{self.grant.pk}": "on",
            f"section_{self.grant.pk}": self.updates.pk,
        }
        self.client.post(self.inbox_url, data, follow=True)
        response = self.client.post(self.inbox_url, data, follow=True)
        self.assertEqual(
            self.message_texts(response),
            ["Nothing added: the items you chose were placed in an issue meanwhile."],
        )
        self.assertEqual(self.issue.items.filter(title="Grant round open").count(), 1)

    def test_an_empty_inbox_says_so(self):
        Item.objects.inbox().delete()
        response = self.client.get(self.inbox_url)
        self.assertContains(response, "The inbox is empty")

    def test_a_sent_issue_is_refused(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
        response = self.client.get(self.inbox_url, follow=True)
        self.assertRedirects(response, self.change_url)
        self.assertContains(response, SENT_REFUSAL)
        response = self.client.post(
            self.inbox_url, {f"place_{self.grant.pk}": "on"}, follow=True
        )
        self.assertContains(response, SENT_REFUSAL)
        self.grant.refresh_from_db()
        self.assertIsNone(self.grant.issue_id)

    def test_queries_do_not_grow_with_items(self):
        """The page runs as many queries for 100 inbox and issue items as for 5."""
        for position in range(1, 5):
            make_item(self.issue, self.updates, position=position + 1)
            make_item(None, self.updates, event=make_event())
        get_counting_queries(self, self.inbox_url, 5)
        for position in range(5, 100):
            make_item(self.issue, self.updates, position=position + 1)
            make_item(None, self.updates, event=make_event())
        response = get_counting_queries(self, self.inbox_url, 5)
        self.assertEqual(len(response.context["form"].inbox_items), 101)
