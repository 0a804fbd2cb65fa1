import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse

from people.models import TeamMembership
from tests.factories import (
    make_membership,
    make_person,
    make_superuser,
    make_team,
    make_user,
)
from tests.utils import get_counting_queries

TODAY = datetime.date(2024, 11, 25)


def make_people(count: int, team=None) -> list:
    people = []
    for _ in range(count):
        person = make_person(organisation="The Alan Turing Institute")
        if team is not None:
            make_membership(team, person)
        people.append(person)
    return people


class PersonAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.team = make_team("Partnership team")
        cls.person = make_person(
            "Maria Anagnostopoulou",
            organisation="The Alan Turing Institute",
            email="maria.a@example.org",
        )
        make_membership(cls.team, cls.person, role="Programme Manager")

    def setUp(self):
        self.client.force_login(self.user)

    def test_changelist_shows_people_with_their_teams(self):
        """Each row shows the person's organisation, e-mail and teams."""
        response = self.client.get(reverse("admin:people_person_changelist"))
        self.assertContains(response, "Maria Anagnostopoulou")
        self.assertContains(response, "maria.a@example.org")
        self.assertContains(response, '<td class="field-team_names">Partnership team')

    def test_team_shown_once_for_a_person_who_rejoined(self):
        """A person who left a team and joined it again has it listed once."""
        make_membership(
            self.team,
            self.person,
            starts_on=datetime.date(2020, 1, 1),
            ends_on=datetime.date(2021, 1, 1),
        )
        response = self.client.get(reverse("admin:people_person_changelist"))
        self.assertContains(
            response, '<td class="field-team_names">Partnership team</td>', html=False
        )

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The people list runs the same number of queries for 3 people as for 30."""
        url = reverse("admin:people_person_changelist")
        make_people(2, self.team)
        get_counting_queries(self, url, 7)
        make_people(27, self.team)
        response = get_counting_queries(self, url, 7)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_search_finds_people_by_organisation(self):
        make_person("Ryan Copping", organisation="Roche")
        response = self.client.get(
            reverse("admin:people_person_changelist"), {"q": "roche"}
        )
        self.assertEqual(
            [person.name for person in response.context["cl"].result_list],
            ["Ryan Copping"],
        )

    def test_filter_by_team(self):
        other_team = make_team("Steering group")
        make_membership(other_team, make_person("Ryan Copping"))
        response = self.client.get(
            reverse("admin:people_person_changelist"),
            {"teams__id__exact": self.team.pk},
        )
        self.assertEqual(
            [person.name for person in response.context["cl"].result_list],
            ["Maria Anagnostopoulou"],
        )

    def test_change_page_shows_memberships(self):
        response = self.client.get(
            reverse("admin:people_person_change", args=[self.person.pk])
        )
        self.assertContains(response, "Programme Manager")
        # The chosen team is in the autocomplete's only option.
        self.assertContains(
            response, f'<option value="{self.team.pk}" selected>Partnership team'
        )

    def test_change_page_queries_do_not_grow_with_memberships(self):
        """A person's page runs the same number of queries with 2 memberships as 20."""
        person = make_person()
        url = reverse("admin:people_person_change", args=[person.pk])
        for _ in range(2):
            make_membership(make_team(), person)
        get_counting_queries(self, url, 6)
        for _ in range(18):
            make_membership(make_team(), person)
        response = get_counting_queries(self, url, 6)
        self.assertEqual(
            response.context["inline_admin_formsets"][0].formset.total_form_count(), 20
        )

    def test_add_page_loads(self):
        response = self.client.get(reverse("admin:people_person_add"))
        self.assertContains(response, "Shown in the newsletter")

    def test_adding_a_membership_from_the_person(self):
        """A membership added on the person's page is stored with its role."""
        response = self.client.post(
            reverse("admin:people_person_change", args=[self.person.pk]),
            {
                "name": self.person.name,
                "slug": self.person.slug,
                "memberships-TOTAL_FORMS": "2",
                "memberships-INITIAL_FORMS": "1",
                "memberships-0-id": self.person.memberships.get().pk,
                "memberships-0-person": self.person.pk,
                "memberships-0-team": self.team.pk,
                "memberships-0-role": "Programme Manager",
                "memberships-0-position": "0",
                "memberships-1-person": self.person.pk,
                "memberships-1-team": make_team("Steering group").pk,
                "memberships-1-role": "Observer",
                "memberships-1-position": "1",
            },
        )
        self.assertRedirects(response, reverse("admin:people_person_changelist"))
        self.assertEqual(
            sorted(self.person.memberships.values_list("team__name", "role")),
            [
                ("Partnership team", "Programme Manager"),
                ("Steering group", "Observer"),
            ],
        )

    def test_staff_without_permission_is_refused(self):
        self.client.force_login(make_user())
        response = self.client.get(
            reverse("admin:people_person_change", args=[self.person.pk])
        )
        self.assertEqual(response.status_code, 403)


@time_machine.travel(datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC))
class TeamAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.team = make_team("Partnership team")
        make_membership(cls.team, make_person("Maria Anagnostopoulou"))
        make_membership(
            cls.team,
            make_person("Former Lead"),
            ends_on=datetime.date(2023, 12, 31),
        )
        make_membership(
            cls.team, make_person("Future Lead"), starts_on=datetime.date(2025, 1, 1)
        )

    def setUp(self):
        self.client.force_login(self.user)

    def test_changelist_counts_current_members_only(self):
        """Past and future members are not counted among today's members."""
        response = self.client.get(reverse("admin:people_team_changelist"))
        self.assertContains(
            response, '<td class="field-current_member_count">1</td>', html=True
        )

    def test_changelist_queries_do_not_grow_with_rows(self):
        """The team list runs the same number of queries for 3 teams as for 30."""
        url = reverse("admin:people_team_changelist")
        for _ in range(2):
            make_people(2, make_team())
        get_counting_queries(self, url, 5)
        for _ in range(27):
            make_people(2, make_team())
        response = get_counting_queries(self, url, 5)
        self.assertEqual(response.context["cl"].result_count, 30)

    def test_search_by_name(self):
        make_team("Steering group")
        response = self.client.get(
            reverse("admin:people_team_changelist"), {"q": "steer"}
        )
        self.assertEqual(
            [team.name for team in response.context["cl"].result_list],
            ["Steering group"],
        )

    def test_change_page_lists_members_in_order(self):
        response = self.client.get(
            reverse("admin:people_team_change", args=[self.team.pk])
        )
        self.assertContains(response, "Team members")
        members = [
            form.instance.person.name
            for form in response.context["inline_admin_formsets"][0].formset
        ]
        self.assertEqual(
            members, ["Former Lead", "Future Lead", "Maria Anagnostopoulou"]
        )

    def test_change_page_queries_do_not_grow_with_members(self):
        """A team's page runs the same number of queries with 2 members as with 20."""
        team = make_team()
        url = reverse("admin:people_team_change", args=[team.pk])
        make_people(2, team)
        get_counting_queries(self, url, 5)
        make_people(18, team)
        response = get_counting_queries(self, url, 5)
        self.assertContains(response, "selected>Person", count=20)

    def test_add_page_loads(self):
        response = self.client.get(reverse("admin:people_team_add"))
        self.assertEqual(response.status_code, 200)

    def test_membership_ending_before_it_starts_is_refused(self):
        """The page explains the error and stores nothing."""
        person = make_person()
        response = self.client.post(
            reverse("admin:people_team_change", args=[self.team.pk]),
            {
                "name": self.team.name,
                "slug": self.team.slug,
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "0",
                "memberships-0-team": self.team.pk,
                "memberships-0-person": person.pk,
                "memberships-0-role": "Member",
                "memberships-0-position": "0",
                "memberships-0-starts_on": "2024-05-01",
                "memberships-0-ends_on": "2024-04-01",
            },
        )
        self.assertContains(response, "“Member until” cannot be before “member from”.")
        self.assertFalse(TeamMembership.objects.filter(person=person).exists())

    def test_membership_until_the_year_9999_is_refused(self):
        """A membership's dates are held to the years Newsroom keeps, like others."""
        person = make_person()
        response = self.client.post(
            reverse("admin:people_team_change", args=[self.team.pk]),
            {
                "name": self.team.name,
                "slug": self.team.slug,
                "memberships-TOTAL_FORMS": "1",
                "memberships-INITIAL_FORMS": "0",
                "memberships-0-team": self.team.pk,
                "memberships-0-person": person.pk,
                "memberships-0-role": "Member",
                "memberships-0-position": "0",
                "memberships-0-starts_on": "2024-05-01",
                "memberships-0-ends_on": "9999-12-31",
            },
        )
        self.assertContains(
            response,
            "The year 9999 is outside the dates Newsroom keeps (1990 to 2100): "
            "check the year.",
        )
        self.assertFalse(TeamMembership.objects.filter(person=person).exists())

    def test_staff_without_permission_is_refused(self):
        self.client.force_login(make_user())
        response = self.client.get(
            reverse("admin:people_team_change", args=[self.team.pk])
        )
        self.assertEqual(response.status_code, 403)
