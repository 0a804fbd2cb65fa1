import datetime
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from issues.editorial.assembly import (
    AssemblyError,
    add_events,
    event_window,
    guess_events_section,
    one_month_after,
    place_inbox_items,
    renumber_positions,
    upcoming_events,
)
from issues.models import Issue, IssueTransition, Item, Section
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_user,
)

D = datetime.date


def titles_in(issue: Issue, section: Section) -> list[tuple[str, int]]:
    return list(
        issue.items.filter(section=section)
        .order_by("position", "pk")
        .values_list("title", "position")
    )


class EventWindowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication()

    def test_from_the_planned_send_date_to_the_next_issues(self):
        """The window runs from this issue's send date to the day before the next's."""
        issue = make_issue(self.publication, month=12, planned_send_date=D(2024, 12, 5))
        make_issue(
            self.publication, year=2025, month=1, planned_send_date=D(2025, 1, 9)
        )
        window = event_window(issue)
        self.assertEqual((window.start, window.end), (D(2024, 12, 5), D(2025, 1, 9)))
        self.assertEqual(window.last_day, D(2025, 1, 8))

    def test_without_dates_a_month_from_the_first_of_the_month(self):
        """No planned date: from the first of the issue's month, for one month."""
        issue = make_issue(self.publication, month=12)
        make_issue(self.publication, year=2025, month=1)
        window = event_window(issue)
        self.assertEqual((window.start, window.end), (D(2024, 12, 1), D(2025, 1, 1)))

    def test_other_publications_issues_do_not_count(self):
        issue = make_issue(self.publication, month=11, planned_send_date=D(2024, 11, 7))
        make_issue(make_publication(), month=11, planned_send_date=D(2024, 11, 20))
        self.assertEqual(event_window(issue).end, D(2024, 12, 7))

    def test_one_month_after_keeps_within_short_months(self):
        self.assertEqual(one_month_after(D(2024, 1, 31)), D(2024, 2, 29))
        self.assertEqual(one_month_after(D(2025, 1, 31)), D(2025, 2, 28))
        self.assertEqual(one_month_after(D(2024, 12, 15)), D(2025, 1, 15))


class UpcomingEventsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication()
        cls.events_section = make_section(cls.publication, title="Events")
        cls.issue = make_issue(
            cls.publication, month=12, planned_send_date=D(2024, 12, 5)
        )
        cls.previous = make_issue(cls.publication, month=11)
        make_issue(cls.publication, year=2025, month=1, planned_send_date=D(2025, 1, 9))

    def offered(self) -> list[str]:
        return [offer.event.title for offer in upcoming_events(self.issue)]

    def test_events_starting_in_the_window_are_offered_soonest_first(self):
        make_event("Winter school", start_date=D(2025, 1, 8))
        make_event("Data day", start_date=D(2024, 12, 5))
        self.assertEqual(self.offered(), ["Data day", "Winter school"])

    def test_events_before_the_send_date_are_not_offered(self):
        make_event("Last week's talk", start_date=D(2024, 12, 4))
        self.assertEqual(self.offered(), [])

    def test_events_from_the_next_issues_send_date_are_left_to_it(self):
        make_event("January meetup", start_date=D(2025, 1, 9))
        self.assertEqual(self.offered(), [])

    def test_a_later_event_whose_deadline_falls_in_the_window_is_offered(self):
        """A call for papers closing this month is news even if the event is in May."""
        event = make_event("Spring conference", start_date=D(2025, 5, 20))
        make_deadline(event, label="Call for papers", date=D(2024, 12, 20))
        make_deadline(event, label="Registration", date=D(2025, 4, 1))
        [offer] = upcoming_events(self.issue)
        self.assertEqual(offer.event, event)
        self.assertEqual(offer.deadline.label, "Call for papers")

    def test_deadlines_outside_the_window_do_not_bring_an_event_in(self):
        event = make_event("Summer school", start_date=D(2025, 7, 1))
        make_deadline(event, date=D(2024, 11, 30))
        make_deadline(event, date=D(2025, 2, 1))
        self.assertEqual(self.offered(), [])

    def test_the_earliest_open_deadline_is_the_items(self):
        """Deadlines before the send date are over and skipped."""
        event = make_event("Hackathon", start_date=D(2024, 12, 12))
        make_deadline(event, label="Early bird", date=D(2024, 11, 30))
        make_deadline(event, label="Team sign-up", date=D(2024, 12, 8))
        make_deadline(event, label="Final registration", date=D(2024, 12, 10))
        [offer] = upcoming_events(self.issue)
        self.assertEqual(offer.deadline.label, "Team sign-up")

    def test_events_the_issue_features_are_not_offered_again(self):
        event = make_event("Data day", start_date=D(2024, 12, 10))
        make_item(self.issue, self.events_section, event=event)
        self.assertEqual(self.offered(), [])

    def test_events_featured_in_another_issue_are_offered_and_say_so(self):
        event = make_event("Data day", start_date=D(2024, 12, 10))
        make_item(self.previous, self.events_section, event=event)
        make_item(self.previous, self.events_section, event=event, title="Reminder")
        [offer] = upcoming_events(self.issue)
        self.assertEqual(offer.featured_in, [self.previous])

    def test_an_inbox_item_of_the_event_is_not_a_feature(self):
        event = make_event("Data day", start_date=D(2024, 12, 10))
        make_item(None, None, event=event)
        [offer] = upcoming_events(self.issue)
        self.assertEqual(offer.featured_in, [])

    def test_queries_do_not_grow_with_events(self):
        """Events, their deadlines and their other issues: one query each."""
        window = event_window(self.issue)
        for day in range(10, 30):
            event = make_event(start_date=D(2024, 12, day))
            make_deadline(event, date=D(2024, 12, day - 2))
            make_item(self.previous, self.events_section, event=event)
        with self.assertNumQueries(3):
            offers = upcoming_events(self.issue, window)
        self.assertEqual(len(offers), 20)


class GuessEventsSectionTests(TestCase):
    def test_by_slug_then_by_title_never_the_team(self):
        publication = make_publication()
        team = make_section(
            publication, title="Events team", slug="events-team", kind="team"
        )
        news = make_section(publication, title="News", slug="news")
        by_title = make_section(publication, title="Upcoming events", slug="upcoming")
        by_slug = make_section(
            publication, title="From the community", slug="events-from-the-community"
        )
        self.assertEqual(guess_events_section([team, news, by_title, by_slug]), by_slug)
        self.assertEqual(guess_events_section([team, news, by_title]), by_title)
        self.assertIsNone(guess_events_section([team, news]))


class AddEventsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor")
        cls.publication = make_publication()
        cls.news = make_section(cls.publication, title="News", position=1)
        cls.events_section = make_section(cls.publication, title="Events", position=2)
        cls.issue = make_issue(
            cls.publication, month=12, planned_send_date=D(2024, 12, 5)
        )
        cls.workshop = make_event(
            "Responsible AI workshop",
            start_date=D(2024, 12, 12),
            summary="A day on <evaluation> & audit.",
            registration_url="https://www.example.org/register",
        )
        make_deadline(cls.workshop, label="Registration deadline", date=D(2024, 12, 9))
        cls.talk = make_event(
            "Seminar", start_date=D(2024, 12, 15), url="https://www.example.org/talk"
        )

    def test_each_event_becomes_an_item_at_the_end_of_the_section(self):
        make_item(self.issue, self.events_section, title="Already there", position=1)
        added = add_events(
            issue=self.issue,
            events=[self.workshop, self.talk],
            section=self.events_section,
            user=self.editor,
        )
        self.assertEqual(len(added.items), 2)
        self.assertEqual(
            titles_in(self.issue, self.events_section),
            [("Already there", 1), ("Responsible AI workshop", 2), ("Seminar", 3)],
        )
        item = Item.objects.get(event=self.workshop)
        self.assertEqual(item.body, "<p>A day on &lt;evaluation&gt; &amp; audit.</p>")
        self.assertEqual(item.cta_label, "Register")
        self.assertEqual(item.cta_url, "https://www.example.org/register")
        self.assertEqual(
            (item.deadline, item.deadline_label),
            (D(2024, 12, 9), "Registration deadline"),
        )

    def test_without_registration_link_the_events_page_is_the_call_to_action(self):
        add_events(
            issue=self.issue,
            events=[self.talk],
            section=self.events_section,
            user=self.editor,
        )
        item = Item.objects.get(event=self.talk)
        self.assertEqual(
            (item.cta_label, item.cta_url),
            ("Find out more", "https://www.example.org/talk"),
        )
        self.assertEqual((item.body, item.deadline), ("", None))

    def test_adding_twice_adds_once(self):
        """A second click adds nothing and says how many were there already."""
        add_events(
            issue=self.issue,
            events=[self.workshop],
            section=self.news,
            user=self.editor,
        )
        added = add_events(
            issue=self.issue,
            events=[self.workshop, self.talk, self.talk],
            section=self.events_section,
            user=self.editor,
        )
        self.assertEqual([item.event for item in added.items], [self.talk])
        self.assertEqual(added.skipped, 1)
        self.assertEqual(self.issue.items.filter(event=self.workshop).count(), 1)
        self.assertEqual(self.issue.items.filter(event=self.talk).count(), 1)

    def test_an_approved_issue_goes_back_to_draft(self):
        """Adding an event is an edit: the issue must be approved again."""
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        add_events(
            issue=self.issue,
            events=[self.workshop],
            section=self.events_section,
            user=self.editor,
        )
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.DRAFT)
        transition = self.issue.transitions.get()
        self.assertEqual(
            (transition.from_status, transition.to_status, transition.by),
            (Issue.Status.APPROVED, Issue.Status.DRAFT, self.editor),
        )
        self.assertEqual(transition.comment, "Edited after approval")

    def test_each_addition_keeps_a_revision_with_the_new_items(self):
        add_events(
            issue=self.issue,
            events=[self.workshop, self.talk],
            section=self.events_section,
            user=self.editor,
        )
        revision = self.issue.revisions.get()
        self.assertEqual((revision.number, revision.by), (1, self.editor))
        self.assertEqual(
            revision.note,
            "Events added to “Events”: “Responsible AI workshop”, “Seminar”",
        )
        self.assertEqual(
            [item["title"] for item in revision.content["items"]],
            ["Responsible AI workshop", "Seminar"],
        )
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.DRAFT)
        self.assertFalse(self.issue.transitions.exists())

    def test_adding_nothing_new_is_no_edit(self):
        """A second click keeps the issue approved and keeps no revision."""
        add_events(
            issue=self.issue,
            events=[self.talk],
            section=self.events_section,
            user=self.editor,
        )
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        add_events(
            issue=self.issue,
            events=[self.talk],
            section=self.events_section,
            user=self.editor,
        )
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.APPROVED)
        self.assertEqual(self.issue.revisions.count(), 1)

    def test_a_failed_revision_adds_nothing(self):
        """Items, status and revision are one change: all of it is kept, or none."""
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        with (
            mock.patch(
                "issues.editorial.revisions.record_revision",
                side_effect=RuntimeError("disk"),
            ),
            self.assertRaises(RuntimeError),
        ):
            add_events(
                issue=self.issue,
                events=[self.workshop],
                section=self.events_section,
                user=self.editor,
            )
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.APPROVED)
        self.assertFalse(self.issue.items.exists())
        self.assertFalse(IssueTransition.objects.exists())

    def test_a_sent_issue_is_refused(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
        with self.assertRaisesMessage(AssemblyError, "This issue has been sent"):
            add_events(
                issue=self.issue,
                events=[self.talk],
                section=self.events_section,
                user=self.editor,
            )
        self.assertFalse(self.issue.items.exists())

    def test_another_publications_section_is_refused(self):
        elsewhere = make_section(make_publication(), title="Elsewhere")
        with self.assertRaisesMessage(AssemblyError, "another publication"):
            add_events(
                issue=self.issue,
                events=[self.talk],
                section=elsewhere,
                user=self.editor,
            )
        self.assertFalse(self.issue.items.exists())

    def test_the_team_section_is_refused(self):
        team = make_section(self.publication, title="Team", kind=Section.Kind.TEAM)
        with self.assertRaisesMessage(AssemblyError, "lists the team"):
            add_events(
                issue=self.issue, events=[self.talk], section=team, user=self.editor
            )


class PlaceInboxItemsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_user("editor")
        cls.publication = make_publication()
        cls.news = make_section(cls.publication, title="News", position=1)
        cls.other = make_section(cls.publication, title="Other", position=2)
        cls.issue = make_issue(cls.publication, month=12)
        make_item(cls.issue, cls.news, title="First news", position=1)
        make_item(cls.issue, cls.news, title="Second news", position=2)

    def test_items_go_at_the_end_of_their_sections_in_the_order_given(self):
        fellowship = make_item(None, None, title="Fellowship")
        grant = make_item(None, self.news, title="Grant")
        prize = make_item(None, None, title="Prize")
        added = place_inbox_items(
            issue=self.issue,
            placements=[
                (grant, self.news),
                (prize, self.other),
                (fellowship, self.news),
            ],
            user=self.editor,
        )
        self.assertEqual(len(added.items), 3)
        self.assertEqual(
            titles_in(self.issue, self.news),
            [("First news", 1), ("Second news", 2), ("Grant", 3), ("Fellowship", 4)],
        )
        self.assertEqual(titles_in(self.issue, self.other), [("Prize", 1)])
        self.assertFalse(Item.objects.inbox().exists())

    def test_placing_twice_places_once(self):
        """An item placed already, here or in another issue, stays where it is."""
        grant = make_item(None, None, title="Grant")
        place_inbox_items(
            issue=self.issue, placements=[(grant, self.news)], user=self.editor
        )
        later = make_issue(self.publication, year=2025, month=1)
        added = place_inbox_items(
            issue=later, placements=[(grant, self.other)], user=self.editor
        )
        self.assertEqual((added.items, added.skipped), ([], 1))
        grant.refresh_from_db()
        self.assertEqual(
            (grant.issue, grant.section, grant.position), (self.issue, self.news, 3)
        )

    def test_placing_in_an_approved_issue_returns_it_to_draft_with_a_revision(self):
        grant = make_item(None, None, title="Grant")
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        place_inbox_items(
            issue=self.issue, placements=[(grant, self.news)], user=self.editor
        )
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.DRAFT)
        transition = self.issue.transitions.get()
        self.assertEqual(
            (transition.to_status, transition.by, transition.comment),
            (Issue.Status.DRAFT, self.editor, "Edited after approval"),
        )
        revision = self.issue.revisions.get()
        self.assertEqual(revision.note, "Placed from the inbox: “Grant”")
        self.assertEqual(revision.by, self.editor)
        self.assertIn("Grant", [item["title"] for item in revision.content["items"]])

    def test_placing_raises_the_items_version(self):
        """A form opened on the item in the inbox can no longer save over it."""
        grant = make_item(None, None, title="Grant")
        place_inbox_items(
            issue=self.issue, placements=[(grant, self.news)], user=self.editor
        )
        grant.refresh_from_db()
        self.assertEqual(grant.version, 2)

    def test_placing_nothing_is_no_edit(self):
        grant = make_item(None, None, title="Grant")
        place_inbox_items(
            issue=self.issue, placements=[(grant, self.news)], user=self.editor
        )
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.APPROVED)
        added = place_inbox_items(
            issue=self.issue, placements=[(grant, self.news)], user=self.editor
        )
        self.assertEqual(added.skipped, 1)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.APPROVED)
        self.assertEqual(self.issue.revisions.count(), 1)

    def test_a_sent_issue_is_refused(self):
        grant = make_item(None, None, title="Grant")
        sent = make_issue(self.publication, month=10, status=Issue.Status.SENT)
        with self.assertRaises(AssemblyError):
            place_inbox_items(
                issue=sent, placements=[(grant, self.news)], user=self.editor
            )
        grant.refresh_from_db()
        self.assertIsNone(grant.issue)


class RenumberPositionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication()
        cls.news = make_section(cls.publication, title="News", position=1)
        cls.events_section = make_section(cls.publication, title="Events", position=2)
        cls.issue = make_issue(cls.publication, month=12)

    def test_each_section_is_numbered_from_one(self):
        make_item(self.issue, self.news, title="A", position=10)
        make_item(self.issue, self.news, title="B", position=20)
        make_item(self.issue, self.events_section, title="C", position=7)
        self.assertEqual(renumber_positions(issue=self.issue), 3)
        self.assertEqual(titles_in(self.issue, self.news), [("A", 1), ("B", 2)])
        self.assertEqual(titles_in(self.issue, self.events_section), [("C", 1)])
        self.assertEqual(renumber_positions(issue=self.issue), 0)

    def test_an_item_moved_to_a_taken_position_goes_there(self):
        """Typing 2 for the third item makes it second; the second becomes third."""
        make_item(self.issue, self.news, title="A", position=1)
        b = make_item(self.issue, self.news, title="B", position=2)
        c = make_item(self.issue, self.news, title="C", position=2)
        renumber_positions(issue=self.issue, moved={c.pk})
        self.assertEqual(
            titles_in(self.issue, self.news), [("A", 1), ("C", 2), ("B", 3)]
        )
        self.assertLess(b.pk, c.pk)

    def test_items_that_move_have_their_version_raised(self):
        """Only those: an item that stays where it was keeps its version."""
        make_item(self.issue, self.news, title="A", position=1)
        make_item(self.issue, self.news, title="B", position=5)
        c = make_item(self.issue, self.news, title="C", position=1)
        renumber_positions(issue=self.issue, moved={c.pk})
        versions = dict(self.issue.items.values_list("title", "version"))
        self.assertEqual(versions, {"A": 2, "B": 2, "C": 1})
        self.assertEqual(
            titles_in(self.issue, self.news), [("C", 1), ("A", 2), ("B", 3)]
        )

    def test_other_issues_are_left_alone(self):
        other = make_issue(self.publication, month=11)
        item = make_item(other, self.news, position=9)
        renumber_positions(issue=self.issue)
        item.refresh_from_db()
        self.assertEqual(item.position, 9)
