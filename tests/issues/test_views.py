import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse

from events.models import Event
from issues.models import Issue, Section, SocialLink
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_membership,
    make_person,
    make_publication,
    make_section,
    make_social_link,
    make_team,
)

NOW = datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC)
SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


@time_machine.travel(NOW, tick=False)
class IssuePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.contact = make_person(
            "Maria Anagnostopoulou",
            email="maria.a@example.org",
            job_title="Programme Manager",
            organisation="The Alan Turing Institute",
        )
        team = make_team("Partnership team")
        make_membership(
            team,
            make_person("Ryan Copping", organisation="Roche"),
            role="Partnership Lead",
            position=1,
        )
        make_membership(
            team,
            make_person("Ben MacArthur", organisation="Turing"),
            role="Deputy Lead",
            position=2,
        )
        make_membership(
            team,
            make_person("Former Member"),
            role="Theme Lead",
            ends_on=datetime.date(2024, 10, 31),
        )
        make_membership(
            team,
            make_person("Later Member"),
            role="Theme Lead",
            starts_on=datetime.date(2024, 12, 1),
        )
        cls.publication = make_publication(
            "Turing-Roche Partnership",
            intro="<p>Launched in <strong>June 2021</strong>.</p>",
            contact=cls.contact,
            signup_url="https://example.org/sign-up",
            postal_address="British Library\n96 Euston Road, London",
            copyright_holder="The Alan Turing Institute",
            team=team,
        )
        make_social_link(
            cls.publication,
            network=SocialLink.Network.SLACK,
            label="Slack workspace",
            url="https://example.slack.com/",
        )
        news = make_section(cls.publication, title="News and opportunities", position=2)
        updates = make_section(cls.publication, title="Partnership updates", position=1)
        cls.unused = make_section(
            cls.publication, title="Publication of the month", position=3
        )
        make_section(
            cls.publication,
            title="The partnership team",
            position=4,
            kind=Section.Kind.TEAM,
        )
        cls.issue = make_issue(
            cls.publication,
            status=Issue.Status.SENT,
            sent_at=SENT_AT,
            intro="<p>Welcome to the <em>November</em> issue.</p>",
        )
        cls.internship = make_item(
            cls.issue, news, position=2, title="Medical Statistics Internship"
        )
        cls.study_group = make_item(
            cls.issue,
            news,
            position=1,
            title="Apply to take part in a Data Study Group",
            body="<p>Study groups are <strong>collaborative</strong> hackathons.</p>",
            deadline=datetime.date(2024, 11, 20),
            deadline_label="Application deadline",
            cta_label="More info and apply here",
            cta_url="https://example.org/dsg",
            image_url="https://example.org/dsg.png",
            image_alt="People around a table of laptops",
        )
        cls.event = make_event(
            "Private Data for Public Good",
            start_date=datetime.date(2024, 11, 20),
            location="British Library, London",
            format=Event.Format.HYBRID,
            registration_url="https://example.org/register",
        )
        cls.event_item = make_item(
            cls.issue, updates, title="Join us in London", event=cls.event
        )
        # The unused section has items, but in another issue only.
        other_issue = make_issue(cls.publication, month=10, status=Issue.Status.SENT)
        make_item(other_issue, cls.unused, title="October's paper")
        cls.url = cls.issue.get_absolute_url()

    def test_shows_title_publication_and_intros_in_order(self):
        """The issue shows its title, its publication, then the two intros as HTML."""
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>November 2024</h1>", html=True)
        self.assertContains(
            response,
            f'<a href="{self.publication.get_absolute_url()}">'
            "Turing-Roche Partnership</a>",
            html=True,
        )
        self.assertContains(
            response, '<time datetime="2024-11-14">14 November 2024</time>'
        )
        content = response.content.decode()
        publication_intro = "<p>Launched in <strong>June 2021</strong>.</p>"
        issue_intro = "<p>Welcome to the <em>November</em> issue.</p>"
        self.assertIn(publication_intro, content)
        self.assertIn(issue_intro, content)
        self.assertLess(content.index(publication_intro), content.index(issue_intro))

    def test_sections_and_items_in_order(self):
        """Sections follow their position, and items their position within one."""
        content = self.client.get(self.url).content.decode()
        headings = [
            "Partnership updates",
            "Join us in London",
            "News and opportunities",
            "Apply to take part in a Data Study Group",
            "Medical Statistics Internship",
            "The partnership team",
        ]
        positions = [content.index(heading) for heading in headings]
        self.assertEqual(positions, sorted(positions))

    def test_item_is_an_article_with_an_anchor(self):
        """Each item is an article whose id gives it a permalink, titled by an h3."""
        response = self.client.get(self.url)
        self.assertContains(
            response, f'<article class="item" id="item-{self.internship.pk}">'
        )
        self.assertContains(response, "<h3>Medical Statistics Internship</h3>")

    def test_item_shows_deadline_image_body_and_call_to_action(self):
        """An item shows its deadline, image with alt text, its body and its link."""
        response = self.client.get(self.url)
        self.assertContains(
            response,
            'Application deadline: <time datetime="2024-11-20">20 November 2024</time>',
        )
        self.assertContains(
            response,
            '<img src="https://example.org/dsg.png" '
            'alt="People around a table of laptops">',
            html=True,
        )
        self.assertContains(
            response,
            "<p>Study groups are <strong>collaborative</strong> hackathons.</p>",
        )
        self.assertContains(
            response,
            '<a href="https://example.org/dsg">More info and apply here</a>',
            html=True,
        )

    def test_item_shows_its_event(self):
        """An item about an event shows the event's date, place, format and links."""
        response = self.client.get(self.url)
        self.assertContains(
            response, '<time datetime="2024-11-20">20 November 2024</time>'
        )
        self.assertContains(response, "<dd>British Library, London</dd>", html=True)
        self.assertContains(response, "<dd>Hybrid</dd>", html=True)
        self.assertContains(response, 'href="https://example.org/register"')
        self.assertContains(response, f'href="{self.event.get_absolute_url()}"')

    def test_registration_link_is_not_repeated_by_the_call_to_action(self):
        """A call to action that is the event's registration link is not repeated."""
        item = make_item(
            self.issue,
            self.unused,
            event=self.event,
            cta_label="Register here",
            cta_url=self.event.registration_url,
        )
        response = self.client.get(self.url)
        content = response.content.decode()
        article = content.split(f'id="{item.anchor}"', 1)[1].split("</article>", 1)[0]
        self.assertEqual(article.count('href="https://example.org/register"'), 1)
        self.assertIn("Register here", article)

    def test_section_without_items_in_this_issue_is_left_out(self):
        """A section with nothing in this issue is not shown, even if others use it."""
        response = self.client.get(self.url)
        self.assertNotContains(response, "Publication of the month")
        self.assertNotContains(response, "October&#x27;s paper")

    def test_team_section_lists_the_team_on_the_issue_date(self):
        """The team block lists who was on the team when the issue went out."""
        response = self.client.get(self.url)
        self.assertContains(response, "The partnership team")
        self.assertContains(response, "Ryan Copping</a>, Roche, Partnership Lead")
        self.assertContains(response, "Ben MacArthur</a>, Turing, Deputy Lead")
        self.assertNotContains(response, "Former Member")
        self.assertNotContains(response, "Later Member")

    def test_footer_shows_contact_sign_up_social_links_and_address(self):
        """The footer names the contact and gives the sign-up, social links, address."""
        response = self.client.get(self.url)
        self.assertContains(
            response,
            f'<a href="{self.contact.get_absolute_url()}">Maria Anagnostopoulou</a>',
            html=True,
        )
        self.assertContains(response, 'href="https://example.org/sign-up"')
        self.assertContains(
            response,
            '<a href="https://example.slack.com/">Slack workspace</a>',
            html=True,
        )
        self.assertContains(response, "British Library<br>96 Euston Road, London")
        self.assertContains(response, "© The Alan Turing Institute 2024")

    def test_contact_email_address_is_not_published(self):
        """The contact is named and linked, but their e-mail address is not shown."""
        response = self.client.get(self.url)
        self.assertContains(response, "Maria Anagnostopoulou")
        self.assertNotContains(response, "maria.a@example.org")

    def test_unknown_publication_or_issue_is_404(self):
        """A slug that matches no publication or no issue is a 404."""
        for kwargs in (
            {"publication": "nobody", "slug": self.issue.slug},
            {"publication": self.publication.slug, "slug": "1999-01"},
        ):
            with self.subTest(**kwargs):
                url = reverse("issues:issue", kwargs=kwargs)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_issue_not_sent_is_404_even_when_its_url_is_guessed(self):
        """A draft, in review or approved issue is a 404, even if its URL is guessed."""
        for month, status in enumerate(NOT_SENT, start=1):
            with self.subTest(status=status):
                issue = make_issue(self.publication, month=month, status=status)
                self.assertEqual(issue.slug, f"2024-{month:02d}")
                response = self.client.get(issue.get_absolute_url())
                self.assertEqual(response.status_code, 404)


class IssuePageEscapingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("<script>alert('publication')</script>")
        issue = make_issue(
            publication,
            status=Issue.Status.SENT,
            title="<script>alert('issue')</script>",
        )
        section = make_section(publication, title="<script>alert('section')</script>")
        make_item(
            issue,
            section,
            title="<script>alert('item')</script>",
            deadline=datetime.date(2024, 11, 20),
            deadline_label="<script>alert('label')</script>",
            cta_label="<script>alert('cta')</script>",
            cta_url="https://example.org/",
            body="<p>A <strong>bold</strong> <script>alert('body')</script>claim</p>",
        )
        cls.url = issue.get_absolute_url()

    def test_plain_text_is_escaped_and_rich_text_is_html(self):
        """Titles and labels are shown as text; only the cleaned body is HTML."""
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>")
        for name in ("publication", "issue", "section", "item", "label", "cta"):
            with self.subTest(field=name):
                self.assertContains(
                    response, f"&lt;script&gt;alert(&#x27;{name}&#x27;)&lt;/script&gt;"
                )
        self.assertContains(response, "<p>A <strong>bold</strong> claim</p>")


class IssuePageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.small = cls.make_issue_with_items(items=3, sections=1, members=2)
        cls.large = cls.make_issue_with_items(items=40, sections=5, members=12)

    @staticmethod
    def make_issue_with_items(*, items, sections, members):
        team = make_team()
        for position in range(members):
            make_membership(team, make_person(), position=position)
        publication = make_publication(contact=make_person(), team=team)
        make_social_link(publication)
        make_social_link(publication, network=SocialLink.Network.LINKEDIN)
        make_section(publication, kind=Section.Kind.TEAM, position=99)
        item_sections = [
            make_section(publication, position=position) for position in range(sections)
        ]
        issue = make_issue(publication, status=Issue.Status.SENT)
        for number in range(items):
            make_item(
                issue,
                item_sections[number % sections],
                position=number,
                deadline=datetime.date(2024, 12, 1),
                event=make_event(location="Online", format=Event.Format.ONLINE),
            )
        return issue

    def test_query_count_does_not_grow_with_the_issue(self):
        """The issue page runs five queries, for three items in one section or forty."""
        for issue, items in ((self.small, 3), (self.large, 40)):
            with self.subTest(items=items):
                with self.assertNumQueries(5):
                    response = self.client.get(issue.get_absolute_url())
                self.assertContains(response, '<article class="item"', count=items)


class ArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.partnership = make_publication("Partnership News")
        cls.bulletin = make_publication("Bulletin")
        cls.november = make_issue(
            cls.partnership,
            status=Issue.Status.SENT,
            sent_at=SENT_AT,
            preheader="Data study groups, internships and events",
        )
        cls.bulletin_november = make_issue(cls.bulletin, status=Issue.Status.SENT)
        cls.december_2023 = make_issue(
            cls.partnership, year=2023, month=12, status=Issue.Status.SENT
        )
        for month, status in enumerate(NOT_SENT, start=1):
            make_issue(cls.partnership, month=month, status=status, title="Unsent")

    def test_sent_issues_grouped_by_year_newest_first(self):
        """Sent issues of all publications are listed by year, newest first."""
        response = self.client.get(reverse("issues:archive"))
        content = response.content.decode()
        self.assertContains(response, '<h2 id="year-2024">2024</h2>', html=True)
        self.assertContains(response, '<h2 id="year-2023">2023</h2>', html=True)
        in_order = [
            "2024</h2>",
            "Bulletin: November 2024",
            "Partnership News: November 2024",
            "2023</h2>",
            "Partnership News: December 2023",
        ]
        positions = [content.index(text) for text in in_order]
        self.assertEqual(positions, sorted(positions))

    def test_issue_links_date_and_preheader(self):
        """Each issue links to its page and gives its sending date and preheader."""
        response = self.client.get(reverse("issues:archive"))
        self.assertContains(response, f'href="{self.november.get_absolute_url()}"')
        self.assertContains(
            response, '<time datetime="2024-11-14">14 November 2024</time>'
        )
        self.assertContains(response, "Data study groups, internships and events")

    def test_issues_not_sent_are_not_listed(self):
        """Draft, in review and approved issues are absent from the archive."""
        response = self.client.get(reverse("issues:archive"))
        self.assertNotContains(response, "Unsent")
        self.assertContains(response, 'class="issue-list"', count=2)

    def test_empty_archive(self):
        """With nothing sent yet, the archive says so."""
        Issue.objects.filter(status=Issue.Status.SENT).delete()
        response = self.client.get(reverse("issues:archive"))
        self.assertContains(response, "No issues have been sent yet.")
        self.assertNotContains(response, "<h2")


class ArchiveQueryTests(TestCase):
    def make_sent_issues(self, count):
        publications = [make_publication() for _ in range(3)]
        for number in range(count):
            year, month = divmod(number, 12)
            make_issue(
                publications[number % 3],
                year=2024 - year,
                month=month + 1,
                status=Issue.Status.SENT,
            )

    def test_query_count_does_not_grow_with_the_archive(self):
        """The archive runs one query, for three sent issues or thirty."""
        for count in (3, 30):
            with self.subTest(issues=count):
                Issue.objects.all().delete()
                self.make_sent_issues(count)
                with self.assertNumQueries(1):
                    response = self.client.get(reverse("issues:archive"))
                self.assertContains(response, "Sent on", count=count)


class PublicationPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication(
            "Partnership News",
            intro="<p>A <strong>five-year</strong> collaboration.</p>",
            signup_url="https://example.org/sign-up",
        )
        cls.sent = make_issue(
            cls.publication, status=Issue.Status.SENT, title="The November issue"
        )
        for month, status in enumerate(NOT_SENT, start=1):
            make_issue(cls.publication, month=month, status=status, title="Unsent")
        make_issue(make_publication(), status=Issue.Status.SENT, title="Someone else's")
        cls.url = cls.publication.get_absolute_url()

    def test_shows_intro_sign_up_and_sent_issues(self):
        """The publication page gives its intro, sign-up link and sent issues."""
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Partnership News</h1>", html=True)
        self.assertContains(
            response, "<p>A <strong>five-year</strong> collaboration.</p>"
        )
        self.assertContains(response, 'href="https://example.org/sign-up"')
        self.assertContains(
            response,
            f'<a href="{self.sent.get_absolute_url()}">The November issue</a>',
            html=True,
        )

    def test_lists_only_its_own_sent_issues(self):
        """Unsent issues and other publications' issues are not listed."""
        response = self.client.get(self.url)
        self.assertNotContains(response, "Unsent")
        self.assertNotContains(response, "Someone else")

    def test_without_sent_issues(self):
        """A publication with nothing sent yet says so."""
        response = self.client.get(make_publication().get_absolute_url())
        self.assertContains(response, "No issues have been sent yet.")

    def test_unknown_publication_is_404(self):
        """A slug that matches no publication is a 404."""
        url = reverse("issues:publication", kwargs={"slug": "nobody"})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_name_is_escaped(self):
        """The publication's name is shown as text."""
        publication = make_publication("<script>alert(1)</script>")
        response = self.client.get(publication.get_absolute_url())
        self.assertNotContains(response, "<script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_query_count_does_not_grow_with_the_publication(self):
        """The publication page runs two queries, for three sent issues or thirty."""
        for count in (3, 30):
            with self.subTest(issues=count):
                publication = make_publication()
                for number in range(count):
                    year, month = divmod(number, 12)
                    make_issue(
                        publication,
                        year=2024 - year,
                        month=month + 1,
                        status=Issue.Status.SENT,
                    )
                with self.assertNumQueries(2):
                    response = self.client.get(publication.get_absolute_url())
                self.assertContains(response, "Sent on", count=count)
