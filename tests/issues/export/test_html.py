import re

from django.test import TestCase

from issues.editorial.sending import export_issue
from issues.export.html import MAX_LINE, render_html
from issues.export.snapshot import build_snapshot
from issues.export.utm import with_utm
from issues.models import MailerProfile
from tests.demo import import_demo
from tests.factories import (
    make_issue,
    make_item,
    make_person,
    make_publication,
    make_section,
    make_social_link,
)
from tests.issues.export.helpers import (
    SITE_URL,
    demo_issue,
    export_settings,
    non_media_css,
    parse,
    visible_tree,
)
from tests.issues.importer import demo_expected as demo

PROFILES = ("dynamics365", "mailchimp", "generic")


@export_settings
class ReferenceIssueHTMLTests(TestCase):
    """The reference issue's e-mail, for each shipped mailer profile."""

    @classmethod
    def setUpTestData(cls):
        import_demo()
        cls.issue = demo_issue()
        cls.results = {
            slug: export_issue(
                issue=cls.issue, profile=MailerProfile.objects.get(slug=slug)
            )
            for slug in PROFILES
        }

    def each(self) -> list[tuple[str, str]]:
        return [(slug, result.html) for slug, result in self.results.items()]

    def test_exports_for_every_profile_under_60_kb(self):
        """The reference issue exports for all three profiles, each under 60 KB."""
        for _, html in self.each():
            self.assertLess(len(html.encode()), 60 * 1024)
            self.assertGreater(len(html.encode()), 10 * 1024)

    def test_html_lang_is_set(self):
        for _, html in self.each():
            self.assertEqual(parse(html).html["lang"], "en")

    def test_every_layout_table_is_presentation(self):
        """Every table, Outlook's conditional ones included, is role=presentation."""
        for _, html in self.each():
            tables = parse(html).find_all("table")
            self.assertGreater(len(tables), 5)
            for table in tables:
                self.assertEqual(table.get("role"), "presentation")
            for tag in re.findall(r"<table\b[^>]*>", html):
                self.assertIn('role="presentation"', tag)

    def test_only_media_queries_stay_in_the_head(self):
        """CSS is inlined: the <style> in the head holds media queries, under 16 KB."""
        for _, html in self.each():
            soup = visible_tree(html)
            styles = soup.find_all("style")
            self.assertTrue(styles)
            css = "".join(style.string or "" for style in styles)
            self.assertLess(len(css.encode()), 16 * 1024)
            self.assertIn("@media", css)
            self.assertEqual(non_media_css(css), "")
            for style in styles:
                self.assertEqual(style.parent.name, "head")
            self.assertIn("style", soup.find("h2").attrs)

    def test_outlook_conditional_markup(self):
        for _, html in self.each():
            self.assertIn("<!--[if mso | IE]>", html)
            self.assertIn("<o:OfficeDocumentSettings>", html)

    def test_hidden_preheader_comes_first(self):
        """With no preheader written, the first items' titles stand in, hidden."""
        for _, html in self.each():
            first = visible_tree(html).body.find("div")
            self.assertIn("display:none", first["style"].replace(" ", ""))
            self.assertTrue(first.get_text().startswith("Partnership Team Members"))

    def test_images_have_alt_width_and_absolute_https_src(self):
        for _, html in self.each():
            images = parse(html).find_all("img")
            self.assertGreaterEqual(len(images), 4)
            for image in images:
                self.assertIn("alt", image.attrs)
                self.assertRegex(image["width"], r"^\d+$")
                self.assertLessEqual(int(image["width"]), 600)
                self.assertTrue(image["src"].startswith("https://"), image["src"])
                self.assertNotIn(".svg", image["src"].lower())
                self.assertFalse(image["src"].startswith("data:"))
            self.assertEqual(images[0]["alt"], demo.PUBLICATION.banner_alt)

    def test_every_link_is_absolute(self):
        """Links are https, mailto, or (Mailchimp only) the mailer's merge tags."""
        for slug, html in self.each():
            for link in parse(html).find_all("a"):
                href = link["href"]
                if slug == "mailchimp" and re.fullmatch(r"\*\|[A-Z_:]+\|\*", href):
                    continue
                self.assertRegex(href, r"^(https?://[^/]+|mailto:[^@]+@)")

    def test_nothing_clients_refuse(self):
        """No script, external style sheet, base64 or SVG image; short lines."""
        for _, html in self.each():
            soup = parse(html)
            self.assertIsNone(soup.find("script"))
            self.assertIsNone(soup.find("svg"))
            self.assertEqual(soup.find_all("link"), [])
            self.assertNotIn("@import", html)
            self.assertNotIn("base64", html)
            self.assertLessEqual(max(len(line) for line in html.split("\n")), MAX_LINE)

    def test_sections_and_items_in_order(self):
        """
        h1 the publication, h2 the issue's title then the sections in order, h3 their
        items in order.
        """
        for _, html in self.each():
            soup = visible_tree(html)
            self.assertEqual(soup.find("h1").get_text(), demo.PUBLICATION.name)
            headings = [h.get_text() for h in soup.find_all("h2")]
            expected = [
                section.title
                for section in demo.PUBLICATION.sections
                if demo.ISSUE.items.get(section.slug) or section.kind == "team"
            ]
            self.assertEqual(headings, [demo.ISSUE.title, *expected, "Connect with us"])
            items = [h.get_text() for h in soup.find_all("h3")]
            self.assertEqual(
                items,
                [item.title for items in demo.ISSUE.items.values() for item in items],
            )

    def test_item_deadline_event_and_call_to_action(self):
        for _, html in self.each():
            soup = visible_tree(html)
            text = " ".join(soup.get_text(" ").split())
            self.assertIn("Application deadline: 20 November 2024", text)
            self.assertIn(
                "<strong>Application deadline:</strong> 20 November 2024", html
            )
            heading = soup.find("h3", string=re.compile("^AI and Secure Health"))
            facts = heading.find_next("p", class_="facts").get_text(" ")
            facts = " ".join(facts.split())
            self.assertEqual(
                facts,
                "Date: 20 November 2024 Place: Bristol Format: In person "
                "Organiser: Jean Golding Institute",
            )
            cta = heading.find_next("p", class_="cta").find_all("a")
            self.assertEqual(len(cta), 1)
            self.assertEqual(cta[0].get_text(), "Register here")

    def test_team_contact_social_and_address(self):
        for _, html in self.each():
            text = " ".join(visible_tree(html).get_text(" ").split())
            for member in demo.PUBLICATION.team.members:
                self.assertIn(member.name, text)
                self.assertIn(member.role, text)
            self.assertIn("get in touch with", text)
            for link in demo.PUBLICATION.social_links:
                self.assertIn(f'href="{link.url}"', html)
            self.assertIn(f"© {demo.PUBLICATION.copyright_holder} 2024", text)

    def test_mailchimp_placeholders(self):
        html = self.results["mailchimp"].html
        for tag in (
            "*|UNSUB|*",
            "*|UPDATE_PROFILE|*",
            "*|ARCHIVE|*",
            "*|HTML:LIST_ADDRESS_HTML|*",
        ):
            self.assertIn(tag, html)
        self.assertNotIn(demo.PUBLICATION.postal_address.split("\n")[0], html)

    def test_dynamics_has_no_tokens_and_its_own_unsubscribe(self):
        """Dynamics adds its own unsubscribe footer: no link of ours, no tokens."""
        html = self.results["dynamics365"].html
        self.assertNotIn("{{", html)
        self.assertNotIn("*|", html)
        self.assertNotIn("Unsubscribe", html)
        self.assertNotIn("To stop receiving", html)
        address_line = demo.PUBLICATION.postal_address.strip().split("\n")[0]
        self.assertIn(address_line.strip()[:20], html)

    def test_generic_links_to_the_public_page(self):
        html = self.results["generic"].html
        link = visible_tree(html).find("a", string="View this e-mail in your browser")
        self.assertEqual(link["href"], f"{SITE_URL}{self.issue.get_absolute_url()}")
        self.assertNotIn("*|", html)


@export_settings
class ProfileLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        contact = make_person("Ada Editor", email="ada@example.org")
        cls.publication = make_publication(contact=contact)
        section = make_section(cls.publication, title="News")
        cls.issue = make_issue(cls.publication)
        make_item(
            cls.issue,
            section,
            title="With links",
            body=(
                '<p><a href="https://a.example.org/x?id=1#part">A</a> and '
                '<a href="mailto:someone@example.org">write</a> and '
                '<a href="https://b.example.org/?utm_source=them">B</a></p>'
            ),
            cta_label="Go",
            cta_url="https://c.example.org/page",
        )
        make_social_link(cls.publication, url="https://social.example.org/us")

    def render(self, **fields):
        profile = MailerProfile(name="Test", slug="test", **fields)
        return render_html(build_snapshot(self.issue), profile).html

    def test_generic_unsubscribe_url(self):
        html = self.render(unsubscribe_url="https://lists.example.org/unsubscribe")
        link = parse(html).find("a", string="Unsubscribe")
        self.assertEqual(link["href"], "https://lists.example.org/unsubscribe")

    def test_without_an_unsubscribe_link_readers_write_to_the_contact(self):
        html = self.render()
        link = parse(html).find("a", string="write to us")
        self.assertTrue(link["href"].startswith("mailto:ada@example.org?subject="))

    def test_utm_added_once_never_to_mailto(self):
        html = self.render(utm_source="newsletter", utm_medium="email")
        hrefs = [a["href"] for a in parse(html).find_all("a")]
        self.assertIn(
            "https://a.example.org/x?id=1&utm_source=newsletter&utm_medium=email"
            f"&utm_campaign={self.publication.slug}-2024-11#part",
            hrefs,
        )
        self.assertIn("mailto:someone@example.org", hrefs)
        self.assertIn("https://b.example.org/?utm_source=them", hrefs)
        self.assertIn(
            "https://c.example.org/page?utm_source=newsletter&utm_medium=email"
            f"&utm_campaign={self.publication.slug}-2024-11",
            hrefs,
        )
        for href in hrefs:
            self.assertLessEqual(href.count("utm_source"), 1, href)
            if href.startswith("mailto:"):
                self.assertNotIn("utm_", href)

    def test_utm_campaign_from_the_profile(self):
        html = self.render(utm_source="nl", utm_medium="email", utm_campaign="nov")
        self.assertIn("utm_campaign=nov", html)

    def test_no_utm_without_a_source(self):
        self.assertNotIn("utm_", self.render().replace("utm_source=them", ""))

    def test_with_utm_is_idempotent(self):
        parameters = {"utm_source": "s", "utm_medium": "m", "utm_campaign": "c"}
        once = with_utm("https://x.example.org/a", parameters)
        self.assertEqual(with_utm(once, parameters), once)
        self.assertEqual(
            with_utm("mailto:a@example.org", parameters), "mailto:a@example.org"
        )


@export_settings
class ControlCharacterTests(TestCase):
    def test_pasted_control_characters_are_dropped_not_fatal(self):
        publication = make_publication()
        section = make_section(publication, title="News")
        issue = make_issue(publication, title="\x1bNovember\x0c update")
        make_item(
            issue, section, title="Bell\x07 and escape\x1b[0m", body="<p>Tab\tok</p>"
        )

        html = render_html(
            build_snapshot(issue), MailerProfile(name="T", slug="t")
        ).html

        self.assertIn("Bell and escape[0m", parse(html).get_text())
        self.assertIsNone(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html))
