import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse

from tests.factories import make_membership, make_person, make_team

NOW = datetime.datetime(2024, 11, 10, 12, 0, tzinfo=datetime.UTC)
LAST_MONTH = datetime.date(2024, 10, 31)
NEXT_MONTH = datetime.date(2024, 12, 1)


@time_machine.travel(NOW, tick=False)
class PersonPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = make_person(
            "Vicky Hellon",
            organisation="The Alan Turing Institute",
            job_title="Research Community Manager",
            email="vicky.h@example.org",
            bio="Looks after the partnership's community.\n\nAsk her about Slack.",
        )
        cls.team = make_team("Turing-Roche Partnership")
        make_membership(cls.team, cls.person, role="Senior Community Manager")
        make_membership(
            make_team("Old working group"),
            cls.person,
            role="Secretary",
            ends_on=LAST_MONTH,
        )
        make_membership(
            make_team("Future board"), cls.person, role="Chair", starts_on=NEXT_MONTH
        )
        cls.url = cls.person.get_absolute_url()

    def test_shows_name_organisation_job_title_and_bio(self):
        """The person page gives their name, job title, organisation and bio."""
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Vicky Hellon</h1>", html=True)
        self.assertContains(
            response, "Research Community Manager, The Alan Turing Institute"
        )
        self.assertContains(
            response, "<p>Looks after the partnership&#x27;s community.</p>"
        )
        self.assertContains(response, "<p>Ask her about Slack.</p>")

    def test_shows_current_team_roles_only(self):
        """Only the roles held today are listed, each linking to its team."""
        response = self.client.get(self.url)
        self.assertContains(
            response,
            f'<li>Senior Community Manager, <a href="{self.team.get_absolute_url()}">'
            "Turing-Roche Partnership</a></li>",
            html=True,
        )
        self.assertNotContains(response, "Old working group")
        self.assertNotContains(response, "Future board")

    def test_email_address_is_never_shown(self):
        """The person's e-mail address appears nowhere on their page."""
        response = self.client.get(self.url)
        self.assertContains(response, "Vicky Hellon")
        self.assertNotContains(response, "vicky.h@example.org")
        self.assertNotContains(response, "mailto:")

    def test_text_is_escaped(self):
        """Name, job title, organisation and bio are shown as text."""
        person = make_person(
            "<script>alert('name')</script>",
            slug="escaped",
            job_title="<script>alert('job')</script>",
            organisation="<script>alert('organisation')</script>",
            bio="<script>alert('bio')</script>",
        )
        response = self.client.get(person.get_absolute_url())
        self.assertNotContains(response, "<script>")
        for name in ("name", "job", "organisation", "bio"):
            with self.subTest(field=name):
                self.assertContains(
                    response, f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;"
                )

    def test_unknown_person_is_404(self):
        """A slug that matches no person is a 404."""
        url = reverse("people:person", kwargs={"slug": "nobody"})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_query_count_does_not_grow(self):
        """The person page runs two queries, for one team role or ten."""
        busy = make_person()
        for number in range(10):
            make_membership(make_team(), busy, role=f"Role {number}")
        for person, count in ((self.person, 1), (busy, 10)):
            with self.subTest(roles=count):
                with self.assertNumQueries(2):
                    response = self.client.get(person.get_absolute_url())
                self.assertContains(response, '<a href="/people/teams/', count=count)


@time_machine.travel(NOW, tick=False)
class TeamPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.team = make_team("Turing-Roche Partnership")
        cls.lead = make_person("Ryan Copping", organisation="Roche")
        make_membership(cls.team, cls.lead, role="Partnership Lead", position=1)
        make_membership(
            cls.team,
            make_person("Ben MacArthur", organisation="Turing"),
            role="Deputy Lead",
            position=2,
        )
        make_membership(
            cls.team, make_person("Gone Already"), role="Lead", ends_on=LAST_MONTH
        )
        make_membership(
            cls.team, make_person("Not Yet"), role="Lead", starts_on=NEXT_MONTH
        )
        cls.url = cls.team.get_absolute_url()

    def test_lists_todays_members_in_order_with_their_roles(self):
        """The team page lists today's members, in the team's order, with roles."""
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Turing-Roche Partnership</h1>", html=True)
        self.assertContains(
            response,
            f'<li><a href="{self.lead.get_absolute_url()}">Ryan Copping</a>, Roche, '
            "Partnership Lead</li>",
            html=True,
        )
        content = response.content.decode()
        self.assertLess(content.index("Ryan Copping"), content.index("Ben MacArthur"))
        self.assertNotContains(response, "Gone Already")
        self.assertNotContains(response, "Not Yet")

    def test_team_without_members_today(self):
        """A team with nobody on it today says so."""
        response = self.client.get(make_team().get_absolute_url())
        self.assertContains(response, "This team has no members at the moment.")

    def test_text_is_escaped(self):
        """The team's name and its members' roles are shown as text."""
        team = make_team("<script>alert('team')</script>", slug="escaped")
        make_membership(team, make_person(), role="<script>alert('role')</script>")
        response = self.client.get(team.get_absolute_url())
        self.assertNotContains(response, "<script>")
        for name in ("team", "role"):
            with self.subTest(field=name):
                self.assertContains(
                    response, f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;"
                )

    def test_unknown_team_is_404(self):
        """A slug that matches no team is a 404."""
        url = reverse("people:team", kwargs={"slug": "nobody"})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_query_count_does_not_grow(self):
        """The team page runs two queries, for two members or twenty."""
        big = make_team()
        for position in range(20):
            make_membership(big, make_person(), position=position)
        for team, count in ((self.team, 2), (big, 20)):
            with self.subTest(members=count):
                with self.assertNumQueries(2):
                    response = self.client.get(team.get_absolute_url())
                self.assertContains(response, '<a href="/people/', count=count)
