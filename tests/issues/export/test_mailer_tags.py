import datetime
import io
import re
import zipfile

from django.test import SimpleTestCase, TestCase

from issues.editorial.sending import export_issue
from issues.export.html import render_html
from issues.export.mailer_tags import (
    WORD_JOINER,
    found_in_rich_text,
    found_tags,
    in_link,
    in_text,
)
from issues.export.snapshot import build_snapshot
from issues.export.text import render_text
from issues.models import MailerProfile, Section
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_membership,
    make_person,
    make_publication,
    make_section,
    make_team,
)
from tests.issues.export.helpers import export_settings, parse, visible_tree

# What editors typed, in every kind of field the e-mail shows.
BODY = (
    "<p>Hello {% if member %}[[var:name]]{% endif %}, %%FirstName%% "
    "[firstname,fallback=friend] {$name} {# note #} &#123;&#123;typed as "
    'references&#125;&#125; <a href="https://www.example.org/{{path}}?q=*|ID|*" '
    'title="{{tip}}">the {{link}}</a>.</p>'
)
TYPED_WORDS = [
    "{{7*7}} update",
    "News {$name}",
    "News [[SECTION]]",
    "{{7*7}}",
    "{% if member %}[[var:name]]{% endif %}",
    "%%FirstName%%",
    "[firstname,fallback=friend]",
    "{$name}",
    "{# note #}",
    "{{typed as references}}",
    "the {{link}}",
    "[[DEADLINE]]",
    "Go {% now %}",
    "Where: {{venue}}",
    "*|UNSUB|*",
    "{{role}}",
    "{{contact}}",
]
# The plain text leaves out the preheader and an event's organiser.
TYPED_WORDS_IN_HTML = ["Dear *|FNAME|*, the news", "*|ORG|*"]
# Shown by profiles that have no postal address of their own.
TYPED_ADDRESS = "%%City%%"
TYPED_LINKS = {
    "https://www.example.org/{{path}}?q=*|ID|*": (
        "https://www.example.org/%7B%7Bpath%7D%7D?q=*%7CID%7C*"
    ),
    "https://www.example.org/apply?name={{name}}": (
        "https://www.example.org/apply?name=%7B%7Bname%7D%7D"
    ),
    "https://www.example.org/register/[[id]]": (
        "https://www.example.org/register/%5B%5Bid%5D%5D"
    ),
}
# Two characters that open a tag of some mailer.
OPENINGS = ("{{", "{%", "{#", "{$", "*|", "[[", "%%")
MAILCHIMP_PLACEHOLDERS = {
    "*|UNSUB|*",
    "*|UPDATE_PROFILE|*",
    "*|ARCHIVE|*",
    "*|HTML:LIST_ADDRESS_HTML|*",
}


def merge_tags(text: str) -> set[str]:
    return set(re.findall(r"\*\|[^|]*\|\*", text))


@export_settings
class MailerTagsInContentTests(TestCase):
    """
    Mailers' tags typed into content reach readers as typed and no mailer as tags,
    whatever the profile; the profile's own placeholders keep working.
    """

    @classmethod
    def setUpTestData(cls):
        team = make_team()
        make_membership(team, make_person("*|UNSUB|*"), role="{{role}}")
        cls.publication = make_publication(
            "News {$name}",
            contact=make_person("{{contact}}", email="ada@example.org"),
            team=team,
            postal_address="1 Road\n%%City%%",
        )
        section = make_section(cls.publication, title="News [[SECTION]]")
        make_section(cls.publication, title="Team", kind=Section.Kind.TEAM)
        cls.issue = make_issue(
            cls.publication,
            title="{{7*7}} update",
            preheader="Dear *|FNAME|*, the news",
        )
        event = make_event(
            location="Where: {{venue}}",
            organiser="*|ORG|*",
            registration_url="https://www.example.org/register/[[id]]",
        )
        make_item(
            cls.issue,
            section,
            title="{{7*7}}",
            body=BODY,
            image_url="https://images.example.org/photo.png",
            image_alt="*|ALT|* {{alt}}",
            deadline=datetime.date(2024, 12, 18),
            deadline_label="[[DEADLINE]]",
            cta_label="Go {% now %}",
            cta_url="https://www.example.org/apply?name={{name}}",
            event=event,
        )
        cls.profiles = {
            slug: MailerProfile.objects.get(slug=slug)
            for slug in ("dynamics365", "mailchimp", "generic")
        }

    def html(self, slug: str) -> str:
        return render_html(build_snapshot(self.issue), self.profiles[slug]).html

    def text(self, slug: str) -> str:
        return render_text(build_snapshot(self.issue), self.profiles[slug])

    def test_no_tag_typed_into_content_reaches_the_mailer_in_html(self):
        """The HTML bytes hold no tag opening but the profile's placeholders."""
        for slug in self.profiles:
            with self.subTest(slug):
                html = self.html(slug)
                for opening in OPENINGS:
                    if opening != "*|":
                        self.assertNotIn(opening, html)
                self.assertNotIn("[firstname", html)
                own = MAILCHIMP_PLACEHOLDERS if slug == "mailchimp" else set()
                self.assertEqual(merge_tags(html), own)

    def test_readers_of_the_html_see_what_was_typed(self):
        for slug in self.profiles:
            with self.subTest(slug):
                soup = parse(self.html(slug))
                shown = visible_tree(str(soup)).get_text()
                for words in TYPED_WORDS + TYPED_WORDS_IN_HTML:
                    self.assertIn(words, shown)
                if not self.profiles[slug].postal_address:
                    self.assertIn(TYPED_ADDRESS, shown)
                self.assertEqual(soup.title.string, "News {$name} – {{7*7}} update")
                alts = [image["alt"] for image in soup.find_all("img")]
                self.assertIn("*|ALT|* {{alt}}", alts)
                titles = [a.get("title") for a in soup.find_all("a")]
                self.assertIn("{{tip}}", titles)

    def test_links_from_content_are_percent_encoded(self):
        for slug in self.profiles:
            with self.subTest(slug):
                hrefs = {a["href"] for a in parse(self.html(slug)).find_all("a")}
                for encoded in TYPED_LINKS.values():
                    self.assertIn(encoded, hrefs)

    def test_the_profiles_placeholders_still_work(self):
        soup = parse(self.html("mailchimp"))
        self.assertEqual(soup.find("a", string="Unsubscribe")["href"], "*|UNSUB|*")
        self.assertEqual(
            soup.find("a", string="View this e-mail in your browser")["href"],
            "*|ARCHIVE|*",
        )
        self.assertIn("*|HTML:LIST_ADDRESS_HTML|*", str(soup))
        text = self.text("mailchimp")
        self.assertIn("Unsubscribe: *|UNSUB|*", text)
        self.assertIn("*|LIST:ADDRESS|*", text)

    def test_no_tag_typed_into_content_reaches_the_mailer_in_plain_text(self):
        for slug in self.profiles:
            with self.subTest(slug):
                text = self.text(slug)
                for opening in OPENINGS:
                    if opening != "*|":
                        self.assertNotIn(opening, text)
                self.assertNotIn("[firstname", text)
                own = set()
                if slug == "mailchimp":
                    # In plain text the address is Mailchimp's text tag.
                    own = MAILCHIMP_PLACEHOLDERS - {"*|HTML:LIST_ADDRESS_HTML|*"}
                    own.add("*|LIST:ADDRESS|*")
                self.assertEqual(merge_tags(text), own)

    def test_readers_of_the_plain_text_see_what_was_typed(self):
        """A word joiner takes no room: readers see the characters typed."""
        text = self.text("generic")
        self.assertIn(f"{{{WORD_JOINER}{{7*7}}{WORD_JOINER}}}", text)
        shown = text.replace(WORD_JOINER, "")
        for words in [*TYPED_WORDS, TYPED_ADDRESS]:
            self.assertIn(words, shown)
        for encoded in TYPED_LINKS.values():
            self.assertIn(encoded, text)
        # Underlined as far as the heading goes on screen.
        self.assertIn(f"{{{WORD_JOINER}{{7*7}}{WORD_JOINER}}}\n-------\n", text)

    def test_the_downloaded_zip_holds_the_neutralised_e_mail(self):
        result = export_issue(
            issue=self.issue, profile=self.profiles["generic"], force=True
        )
        archive = zipfile.ZipFile(io.BytesIO(result.zip_bytes()))
        for name in archive.namelist():
            data = archive.read(name).decode()
            for opening in OPENINGS:
                self.assertNotIn(opening, data, name)


class NeutralisingTests(SimpleTestCase):
    EXAMPLES = [
        "{{7*7}}",
        "{{{triple}}}",
        "{% if x %}",
        "{# comment #}",
        "{$name}",
        "*|UNSUB|*",
        "[[var:firstname]]",
        "[firstname,fallback=friend]",
        "[Unsubscribe]",
        "%%FirstName%%",
        "%%=v(@x)=%%",
    ]

    def test_every_syntax_is_found(self):
        for example in self.EXAMPLES:
            with self.subTest(example):
                self.assertEqual([tag.text for tag in found_tags(example)], [example])

    def test_plain_text_keeps_no_tag_and_shows_the_characters(self):
        for example in self.EXAMPLES:
            with self.subTest(example):
                written = in_text(example)
                self.assertEqual(found_tags(written), [])
                self.assertEqual(written.replace(WORD_JOINER, ""), example)
                self.assertEqual(in_text(written), written)

    def test_links_keep_no_tag_and_go_to_the_same_place(self):
        self.assertEqual(
            in_link("https://[2001:db8::1]/a/{{b}}#part"),
            "https://[2001:db8::1]/a/%7B%7Bb%7D%7D#part",
        )
        self.assertEqual(
            in_link("https://www.example.org/{#x#}?%%y%%"),
            "https://www.example.org/%7B#x#%7D?%25%25y%25%25",
        )
        self.assertEqual(
            in_link("https://www.example.org/a%20b?c=1"),
            "https://www.example.org/a%20b?c=1",
        )

    def test_ordinary_words_are_left_alone(self):
        for words in ("50% off, 100% sure", "See [1] and [2]", "a | b * c", "{ x }"):
            with self.subTest(words):
                self.assertEqual(found_tags(words), [])
                self.assertEqual(in_text(words), words)

    def test_tags_across_emphasis_and_in_links_are_found_in_rich_text(self):
        found = found_in_rich_text(
            '<p>{<em>{name}</em>}</p><p><a href="https://x.example.org/*|ID|*">a</a></p>'
        )
        self.assertEqual([tag.text for tag in found], ["{{name}}", "*|ID|*"])
