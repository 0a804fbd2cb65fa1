import datetime

from django.db import IntegrityError, transaction
from django.test import TestCase

from people.models import TeamMembership
from tests.factories import make_membership, make_person, make_team


class TeamOnDateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.team = make_team("Partnership team")
        cls.lead = make_person("Ryan Copping", organisation="Roche")
        cls.deputy = make_person("Ben MacArthur")
        cls.leaver = make_person("Left Early")
        cls.joiner = make_person("Joined Later")
        make_membership(cls.team, cls.lead, role="Lead", position=1)
        make_membership(cls.team, cls.deputy, role="Deputy Lead", position=2)
        make_membership(
            cls.team,
            cls.leaver,
            role="Manager",
            position=3,
            starts_on=datetime.date(2022, 1, 1),
            ends_on=datetime.date(2024, 10, 31),
        )
        make_membership(
            cls.team,
            cls.joiner,
            role="Manager",
            position=3,
            starts_on=datetime.date(2024, 11, 1),
        )
        # Another team's member never shows up in this team.
        make_membership(make_team("Other"), make_person("Elsewhere"), role="Lead")

    def names_on(self, date):
        return [m.person.name for m in self.team.members_on(date)]

    def test_team_on_a_date_follows_membership_dates_and_order(self):
        """An issue shows the team as it stood on the issue's date."""
        self.assertEqual(
            self.names_on(datetime.date(2024, 10, 31)),
            ["Ryan Copping", "Ben MacArthur", "Left Early"],
        )
        self.assertEqual(
            self.names_on(datetime.date(2024, 11, 1)),
            ["Ryan Copping", "Ben MacArthur", "Joined Later"],
        )

    def test_membership_before_it_starts_is_not_counted(self):
        self.assertEqual(
            self.names_on(datetime.date(2021, 12, 31)),
            ["Ryan Copping", "Ben MacArthur"],
        )

    def test_team_on_a_date_is_one_query(self):
        with self.assertNumQueries(1):
            members = [
                (m.person.organisation, m.role)
                for m in self.team.members_on(datetime.date(2024, 11, 1))
            ]
        self.assertEqual(members[0], ("Roche", "Lead"))

    def test_membership_ending_before_it_starts_is_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_membership(
                self.team,
                make_person(),
                starts_on=datetime.date(2024, 5, 1),
                ends_on=datetime.date(2024, 4, 30),
            )

    def test_duplicate_open_membership_is_refused(self):
        """A person cannot hold two undated memberships of the same team."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_membership(self.team, self.lead, role="Lead again")

    def test_str_and_urls(self):
        membership = TeamMembership.objects.get(person=self.lead)
        self.assertEqual(str(membership), "Ryan Copping – Lead (Partnership team)")
        self.assertEqual(self.lead.get_absolute_url(), "/people/ryan-copping/")
        self.assertEqual(membership.get_absolute_url(), "/people/ryan-copping/")
        self.assertEqual(
            self.team.get_absolute_url(), "/people/teams/partnership-team/"
        )
