import datetime
import email.utils
import warnings

import time_machine
from django.core.cache import CacheKeyWarning, caches
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from events.models import Event
from issues.editorial.sending import mark_sent
from issues.export.snapshot import build_snapshot, content_checksum
from issues.models import Issue, Item, MailerProfile, Section, SocialLink
from issues.public.issue_page import render_issue_page
from newsroom.core.site import absolute_url
from tests.demo import import_demo
from tests.factories import (
    make_deadline,
    make_event,
    make_issue,
    make_item,
    make_membership,
    make_person,
    make_publication,
    make_section,
    make_social_link,
    make_team,
    make_user,
)
from tests.utils import REAL_PAGES_CACHE

NOW = datetime.datetime(2024, 11, 25, 12, 0, tzinfo=datetime.UTC)
SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


def main_content(response) -> str:
    """The page inside <main>, without the head's meta tags."""
    return response.content.decode().split("<main", 1)[1]


def freeze(issue: Issue) -> Issue:
    """Mark ``issue`` sent as the workflow does, freezing its content."""
    return mark_sent(issue=issue, sent_at=issue.sent_at or SENT_AT)


@time_machine.travel(NOW, tick=False)
class IssuePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Only the frozen content matters here, not the e-mails.
        MailerProfile.objects.update(is_active=False)
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
            sent_at=SENT_AT,
            intro="<p>Welcome to the <em>November</em> issue.</p>",
            preheader="Data study groups, internships and an event in London",
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
        make_deadline(
            cls.event, label="Registration closes", date=datetime.date(2024, 11, 18)
        )
        cls.event_item = make_item(
            cls.issue, updates, title="Join us in London", event=cls.event
        )
        cls.register_item = make_item(
            cls.issue,
            updates,
            position=5,
            title="Register for the workshop",
            event=cls.event,
            cta_label="Register here",
            cta_url=cls.event.registration_url,
        )
        # The unused section has items, but in another issue only.
        other_issue = make_issue(cls.publication, month=10, status=Issue.Status.SENT)
        make_item(other_issue, cls.unused, title="October's paper")
        cls.issue = freeze(cls.issue)
        cls.url = cls.issue.get_absolute_url()

    def test_shows_title_publication_and_intros_in_order(self):
        """The issue shows its title, its publication, then the two intros as HTML."""
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>November 2024</h1>", html=True)
        self.assertContains(
            response,
            f'<a href="{absolute_url(self.publication.get_absolute_url())}">'
            "Turing-Roche Partnership</a>",
            html=True,
        )
        self.assertContains(
            response, '<time datetime="2024-11-14">14 November 2024</time>'
        )
        content = response.content.decode()
        publication_intro = "<p>Launched in <strong>June 2021</strong>.</p>"
        issue_intro = "<p>Welcome to the <em>November</em> issue.</p>"
        self.assertLess(content.index(publication_intro), content.index(issue_intro))

    def test_landmarks_and_one_heading_per_section(self):
        """The page has a header and main; each section is headed by one h2."""
        response = self.client.get(self.url)
        content = main_content(response)
        self.assertContains(response, "<header", count=2)  # the site's, the issue's
        self.assertContains(response, '<main id="content"')
        for title in ("Partnership updates", "News and opportunities"):
            with self.subTest(section=title):
                self.assertEqual(content.count(f">{title}</h2>"), 1)
        self.assertEqual(content.count('<section class="issue-section"'), 3)

    def test_sections_and_items_in_order(self):
        """Sections follow their position, and items their position within one."""
        content = main_content(self.client.get(self.url))
        headings = [
            "Partnership updates",
            "Join us in London",
            "Register for the workshop",
            "News and opportunities",
            "Apply to take part in a Data Study Group",
            "Medical Statistics Internship",
            "The partnership team",
        ]
        positions = [content.index(heading) for heading in headings]
        self.assertEqual(positions, sorted(positions))

    def test_item_is_an_article_with_an_anchor_and_a_permalink(self):
        """Each item is an article whose id is its permalink, with a visible link."""
        response = self.client.get(self.url)
        anchor = self.internship.anchor
        self.assertContains(response, f'<article class="item" id="{anchor}">')
        self.assertContains(response, "<h3>Medical Statistics Internship</h3>")
        self.assertContains(
            response,
            f'<a href="#{anchor}">Link to this item<span class="visually-hidden">: '
            "Medical Statistics Internship</span></a>",
            html=True,
        )
        self.assertEqual(self.internship.get_absolute_url(), f"{self.url}#{anchor}")

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
            'alt="People around a table of laptops" loading="lazy">',
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

    def test_item_shows_its_event_and_its_deadlines(self):
        """An item about an event shows its date, place, format, deadlines, links."""
        response = self.client.get(self.url)
        self.assertContains(
            response, '<time datetime="2024-11-20">20 November 2024</time>'
        )
        self.assertContains(response, "<dd>British Library, London</dd>", html=True)
        self.assertContains(response, "<dd>Hybrid</dd>", html=True)
        self.assertContains(
            response,
            'Registration closes: <time datetime="2024-11-18">18 November 2024</time>',
        )
        self.assertContains(response, 'href="https://example.org/register"')
        self.assertContains(
            response, f'href="{absolute_url(self.event.get_absolute_url())}"'
        )

    def test_registration_link_is_not_repeated_by_the_call_to_action(self):
        """A call to action that is the event's registration link is not repeated."""
        content = self.client.get(self.url).content.decode()
        anchor = self.register_item.anchor
        article = content.split(f'id="{anchor}"', 1)[1].split("</article>", 1)[0]
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
        self.assertContains(response, "Ryan Copping</a>, Roche, Partnership Lead")
        self.assertContains(response, "Ben MacArthur</a>, Turing, Deputy Lead")
        self.assertNotContains(response, "Former Member")

    def test_footer_shows_contact_sign_up_social_links_and_address(self):
        """The footer names the contact and gives the sign-up, social links, address."""
        response = self.client.get(self.url)
        self.assertContains(
            response,
            f'<a href="{absolute_url(self.contact.get_absolute_url())}">'
            "Maria Anagnostopoulou</a>",
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

    def test_opengraph_and_canonical_link(self):
        """Link previews get the title, summary, address, image and sending time."""
        response = self.client.get(self.url)
        page = absolute_url(self.url)
        for tag in (
            f'<link rel="canonical" href="{page}">',
            '<meta property="og:type" content="article">',
            '<meta property="og:title" content="November 2024">',
            f'<meta property="og:url" content="{page}">',
            '<meta property="og:description" content="Data study groups, '
            'internships and an event in London">',
            '<meta property="og:image" content="https://example.org/dsg.png">',
            '<meta property="og:image:alt" content="People around a table of laptops">',
            '<meta property="article:published_time" '
            'content="2024-11-14T09:00:00+00:00">',
        ):
            with self.subTest(tag=tag):
                self.assertContains(response, tag, html=True)
        self.assertNotContains(response, "noindex")

    def test_shows_the_issue_as_sent_not_as_edited_since(self):
        """Edits made after sending, to items or events, never change the page."""
        Item.objects.filter(pk=self.internship.pk).update(title="Renamed later")
        Event.objects.filter(pk=self.event.pk).update(location="Somewhere else")
        response = self.client.get(self.url)
        self.assertContains(response, "Medical Statistics Internship")
        self.assertContains(response, "British Library, London")
        self.assertNotContains(response, "Renamed later")
        self.assertNotContains(response, "Somewhere else")

    def test_unknown_publication_or_issue_is_404(self):
        """A slug that matches no publication or no issue is a 404."""
        for kwargs in (
            {"publication": "nobody", "slug": self.issue.slug},
            {"publication": self.publication.slug, "slug": "1999-01"},
        ):
            with self.subTest(**kwargs):
                url = reverse("issues:issue", kwargs=kwargs)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_very_long_guessed_address_is_a_plain_404(self):
        """Any address makes a cache key every cache accepts (memcached: 250 bytes)."""
        url = reverse(
            "issues:issue",
            kwargs={"publication": "p" * 300, "slug": "2024-11-" + "x" * 300},
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheKeyWarning)
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_issue_not_sent_is_404_even_when_its_url_is_guessed(self):
        """A draft, in review or approved issue is a 404, even if its URL is guessed."""
        for month, status in enumerate(NOT_SENT, start=1):
            with self.subTest(status=status):
                issue = make_issue(self.publication, month=month, status=status)
                self.assertEqual(issue.slug, f"2024-{month:02d}")
                response = self.client.get(issue.get_absolute_url())
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Cache-Control", response)


@time_machine.travel(NOW, tick=False)
class PreviewRenderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("Partnership News")
        cls.issue = make_issue(publication, status=Issue.Status.IN_REVIEW)
        make_item(cls.issue, title="A draft item")

    def test_render_from_any_snapshot_marked_as_a_preview(self):
        """A preview says the issue is unsent, is not indexed and has no canonical."""
        request = RequestFactory().get("/admin/preview/")
        snapshot = build_snapshot(self.issue)
        with self.assertNumQueries(0):
            response = render_issue_page(request, snapshot=snapshot, preview=True)
        content = response.content.decode()
        self.assertIn("A draft item", content)
        self.assertIn("This issue has not been sent", content)
        self.assertIn('<meta name="robots" content="noindex, nofollow">', content)
        self.assertNotIn('rel="canonical"', content)


class LegacySentIssueTests(TestCase):
    """Issues marked sent before content was frozen are shown from their models."""

    @classmethod
    def setUpTestData(cls):
        cls.small = cls.make_unfrozen_issue(items=3, sections=1, members=2)
        cls.large = cls.make_unfrozen_issue(items=40, sections=5, members=12)

    @staticmethod
    def make_unfrozen_issue(*, items, sections, members):
        team = make_team()
        for position in range(members):
            make_membership(team, make_person(), position=position)
        publication = make_publication(contact=make_person(), team=team)
        make_social_link(publication)
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

    def test_shows_current_content(self):
        """Without frozen content, the page shows the issue's items as they are."""
        item = self.small.items.first()
        Item.objects.filter(pk=item.pk).update(title="Corrected title")
        response = self.client.get(self.small.get_absolute_url())
        self.assertContains(response, "<h3>Corrected title</h3>", html=True)

    def test_query_count_does_not_grow_with_the_issue(self):
        """Seven queries, for three items in one section or forty in five."""
        for issue, items in ((self.small, 3), (self.large, 40)):
            with self.subTest(items=items):
                with self.assertNumQueries(7):
                    response = self.client.get(issue.get_absolute_url())
                self.assertContains(response, '<article class="item"', count=items)


class FrozenIssueQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        MailerProfile.objects.update(is_active=False)
        cls.small = cls.make_sent_issue(items=20)
        cls.large = cls.make_sent_issue(items=200)

    @staticmethod
    def make_sent_issue(*, items):
        team = make_team()
        for position in range(5):
            make_membership(team, make_person(), position=position)
        publication = make_publication(contact=make_person(), team=team)
        make_social_link(publication)
        make_section(publication, kind=Section.Kind.TEAM, position=99)
        sections = [make_section(publication, position=n) for n in range(5)]
        events = [make_event(location="Online") for _ in range(5)]
        issue = make_issue(publication)
        for number in range(items):
            make_item(
                issue,
                sections[number % 5],
                position=number,
                deadline=datetime.date(2024, 12, 1),
                event=events[number % 5],
            )
        return freeze(issue)

    def test_two_queries_whatever_the_size(self):
        """A sent issue's page runs two queries, for 20 items or 200."""
        for issue, items in ((self.small, 20), (self.large, 200)):
            url = issue.get_absolute_url()
            with self.subTest(items=items):
                with self.assertNumQueries(2):
                    response = self.client.get(url)
                self.assertContains(response, '<article class="item"', count=items)

    @override_settings(CACHES=REAL_PAGES_CACHE)
    def test_no_query_when_cached(self):
        """Served again, a sent issue's page runs no query at all, 20 items or 200."""
        caches["pages"].clear()
        for issue, items in ((self.small, 20), (self.large, 200)):
            url = issue.get_absolute_url()
            with self.subTest(items=items):
                first = self.client.get(url)
                with self.assertNumQueries(0):
                    again = self.client.get(url)
                self.assertEqual(again.content, first.content)
                self.assertContains(again, '<article class="item"', count=items)


@time_machine.travel(NOW, tick=False)
class IssuePageCacheHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        MailerProfile.objects.update(is_active=False)
        cls.publication = make_publication("Partnership News")
        issue = make_issue(cls.publication, sent_at=SENT_AT)
        cls.item = make_item(issue, title="As it was sent")
        cls.issue = freeze(issue)
        cls.url = cls.issue.get_absolute_url()

    def setUp(self):
        caches["pages"].clear()

    def test_cache_control_etag_and_last_modified(self):
        """The page may be kept five minutes by anyone, and says what version it is."""
        response = self.client.get(self.url)
        self.assertEqual(response["Cache-Control"], "public, max-age=300")
        self.assertTrue(response["ETag"].startswith('"'))
        self.assertEqual(
            response["Last-Modified"], email.utils.format_datetime(NOW, usegmt=True)
        )

    @override_settings(PUBLIC_CACHE_MAX_AGE=60)
    def test_max_age_is_a_setting(self):
        """PUBLIC_CACHE_MAX_AGE sets how long caches may keep the page."""
        response = self.client.get(self.url)
        self.assertEqual(response["Cache-Control"], "public, max-age=60")

    def test_matching_etag_is_answered_304_without_reading_the_content(self):
        """Asked again with its ETag, the page is a 304, in one query."""
        etag = self.client.get(self.url)["ETag"]
        with self.assertNumQueries(1):
            response = self.client.get(self.url, headers={"if-none-match": etag})
        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["ETag"], etag)
        self.assertEqual(response["Cache-Control"], "public, max-age=300")

    def test_not_modified_since_is_answered_304(self):
        """Asked with If-Modified-Since its freezing, the page is a 304."""
        since = email.utils.format_datetime(NOW, usegmt=True)
        response = self.client.get(self.url, headers={"if-modified-since": since})
        self.assertEqual(response.status_code, 304)

    def test_last_modified_follows_a_later_save(self):
        """An issue saved after it was frozen (an erratum) is modified since then."""
        later = NOW + datetime.timedelta(days=2)
        Issue.objects.filter(pk=self.issue.pk).update(updated_at=later)
        response = self.client.get(self.url)
        self.assertEqual(
            response["Last-Modified"], email.utils.format_datetime(later, usegmt=True)
        )
        since = email.utils.format_datetime(NOW, usegmt=True)
        response = self.client.get(self.url, headers={"if-modified-since": since})
        self.assertEqual(response.status_code, 200)

    def test_other_etag_gets_the_page(self):
        """An ETag of another version gets the whole page."""
        response = self.client.get(self.url, headers={"if-none-match": '"other"'})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "As it was sent")

    def test_a_correction_to_the_frozen_content_is_a_new_version(self):
        """When the frozen content changes, so does the ETag, and the page with it."""
        before = self.client.get(self.url)["ETag"]
        snapshot = self.issue.frozen_content
        snapshot["sections"][0]["items"][0]["title"] = "As corrected"
        Issue.objects.filter(pk=self.issue.pk).update(
            frozen_content=snapshot, frozen_content_sha256=content_checksum(snapshot)
        )
        response = self.client.get(self.url, headers={"if-none-match": before})
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], before)
        self.assertContains(response, "As corrected")

    @override_settings(CACHES=REAL_PAGES_CACHE)
    def test_cached_address_is_trusted_for_max_age_only(self):
        """A corrected issue is served fresh once the address's cache time is over."""
        caches["pages"].clear()
        self.client.get(self.url)
        snapshot = self.issue.frozen_content
        snapshot["sections"][0]["items"][0]["title"] = "As corrected"
        Issue.objects.filter(pk=self.issue.pk).update(
            frozen_content=snapshot, frozen_content_sha256=content_checksum(snapshot)
        )
        self.assertContains(self.client.get(self.url), "As it was sent")
        with time_machine.travel(NOW + datetime.timedelta(seconds=301)):
            self.assertContains(self.client.get(self.url), "As corrected")


@time_machine.travel(NOW, tick=False)
@override_settings(CACHES=REAL_PAGES_CACHE)
class CachedIssuePageMiddlewareTests(TestCase):
    """A cached issue page is answered before the session middleware and the view."""

    @classmethod
    def setUpTestData(cls):
        MailerProfile.objects.update(is_active=False)
        cls.publication = make_publication("Partnership News")
        issue = make_issue(cls.publication, sent_at=SENT_AT)
        make_item(issue, title="As it was sent")
        cls.issue = freeze(issue)
        cls.url = cls.issue.get_absolute_url()

    def setUp(self):
        caches["pages"].clear()

    def assert_from_cache(self, response):
        # The session middleware gives every request it sees a session.
        self.assertFalse(hasattr(response.wsgi_request, "session"))

    def test_same_page_and_headers_as_the_view_gave(self):
        first = self.client.get(self.url)
        self.assertTrue(hasattr(first.wsgi_request, "session"))
        with self.assertNumQueries(0):
            again = self.client.get(self.url)
        self.assert_from_cache(again)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.content, first.content)
        self.assertEqual(dict(again.headers), dict(first.headers))
        self.assertEqual(again["X-Frame-Options"], "DENY")
        self.assertIn("Content-Security-Policy", again)

    def test_head_is_answered_from_the_cache(self):
        first = self.client.get(self.url)
        with self.assertNumQueries(0):
            response = self.client.head(self.url)
        self.assert_from_cache(response)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["ETag"], first["ETag"])
        self.assertEqual(response["Content-Length"], first["Content-Length"])

    def test_revalidation_is_answered_304_from_the_cache(self):
        first = self.client.get(self.url)
        since = email.utils.format_datetime(NOW, usegmt=True)
        for header, value in (
            ("if-none-match", first["ETag"]),
            ("if-modified-since", since),
        ):
            with self.subTest(header=header), self.assertNumQueries(0):
                response = self.client.get(self.url, headers={header: value})
                self.assert_from_cache(response)
                self.assertEqual(response.status_code, 304)
                self.assertEqual(response.content, b"")
                self.assertEqual(response["ETag"], first["ETag"])
                self.assertEqual(response["Cache-Control"], "public, max-age=300")

    def test_an_older_version_gets_the_whole_page(self):
        self.client.get(self.url)
        earlier = email.utils.format_datetime(SENT_AT, usegmt=True)
        for header, value in (
            ("if-none-match", '"other"'),
            ("if-modified-since", earlier),
        ):
            with self.subTest(header=header), self.assertNumQueries(0):
                response = self.client.get(self.url, headers={header: value})
                self.assertContains(response, "As it was sent")

    def test_a_logged_in_reader_is_served_the_same_page(self):
        first = self.client.get(self.url)
        self.client.force_login(make_user())
        with self.assertNumQueries(0):
            again = self.client.get(self.url)
        self.assertEqual(again.content, first.content)

    def test_what_is_not_cached_goes_on_to_the_view(self):
        self.client.get(self.url)
        draft = make_issue(self.publication, month=12, slug="2024-12")
        guessed = f"/issues/{self.publication.slug}/2024-12/"
        self.assertEqual(draft.get_absolute_url(), guessed)
        cases = [
            ("GET", guessed, 404),
            ("GET", self.url + "extra/", 404),
            ("GET", f"/issues/{self.publication.slug}/", 200),
            ("POST", self.url, 200),
        ]
        for method, url, status in cases:
            with self.subTest(method=method, url=url):
                response = self.client.generic(method, url)
                self.assertEqual(response.status_code, status)
                self.assertTrue(hasattr(response.wsgi_request, "session"))

    def test_an_address_no_longer_cached_is_read_again(self):
        self.client.get(self.url)
        Issue.objects.filter(pk=self.issue.pk).delete()
        with time_machine.travel(NOW + datetime.timedelta(seconds=301)):
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 404)


class DemoIssuePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_demo()
        cls.issue = Issue.objects.select_related("publication").get(
            publication__slug="turing-roche", slug="2024-11"
        )

    def test_the_reference_issue_from_its_frozen_content(self):
        """The demo issue's page shows all its items, in two queries."""
        url = self.issue.get_absolute_url()
        items = sum(len(s["items"]) for s in self.issue.frozen_content["sections"])
        with self.assertNumQueries(2):
            response = self.client.get(url)
        self.assertContains(response, '<article class="item"', count=items)
        self.assertContains(response, "Apply to take part in a Turing Data Study Group")
        self.assertContains(response, 'class="permalink"', count=items)
        # Every image has alt text, empty only where the image says nothing.
        self.assertNotRegex(main_content(response), r"<img(?![^>]*\balt=)[^>]*>")
