"""
The demo issue as importing issues/demo/newsletter-2024-11.md stores it, against that
file read here with a parser and a link decoder of the tests' own; and the import's
promise that importing again changes nothing.
"""

import dataclasses
import datetime
import json
import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils.text import slugify

from events.models import Event
from issues.demo import NEWSLETTER
from issues.importer.build import MODELS
from issues.importer.services import import_newsletter
from issues.models import Issue, Item, Publication, Section, SocialLink
from people.models import Person, TeamMembership
from tests.demo import PUBLICATION_SLUG, import_demo

MAILER_HOST = "public-gbr.mkt.dynamics.com"
FORBIDDEN_IN_URLS = (
    "safelinks.protection.outlook.com",
    "msdynmkt_trackingcontext",
    "utm_",
)
TRACKING_PARAMETER = re.compile(r"^(msdynmkt_trackingcontext|utm_[a-z]+)=")

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
AUTOLINK = re.compile(r"<([^>\s]+)>")
BOLD_LINE = re.compile(r"\*\*(.+?)\*\*")
DATE = "%d %B %Y"


def real_url(url: str) -> str:
    """Undo Outlook safe links, then the mailer's redirect, then its tracking marks."""
    parts = urlsplit(url)
    if (parts.hostname or "").endswith(".safelinks.protection.outlook.com"):
        url = parse_qs(parts.query)["url"][0]
        parts = urlsplit(url)
    if parts.hostname == MAILER_HOST and "/r/" in parts.path:
        target = json.loads(parse_qs(parts.query)["target"][0])["TargetUrl"]
        while not re.match(r"https?://", target):
            target = unquote(target)
        parts = urlsplit(target)
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not TRACKING_PARAMETER.match(piece)
    )
    fragment = "" if TRACKING_PARAMETER.match(parts.fragment) else parts.fragment
    return urlunsplit(parts._replace(query=query, fragment=fragment))


def safe_link_ticks(text: str) -> list[int]:
    """The .NET tick counts Outlook's safe links keep in their ``data`` parameter."""
    ticks = []
    for url in re.findall(r"\((https://[^)\s]*safelinks[^)\s]*)\)", text):
        data = parse_qs(urlsplit(url).query)["data"][0]
        ticks += [
            int(field) for field in data.split("|") if re.fullmatch(r"\d{18}", field)
        ]
    return ticks


def plain_text(markdown: str) -> str:
    """A paragraph's words: links and addresses reduced to their text, no bold."""
    text = LINK.sub(lambda match: match[1], markdown)
    text = AUTOLINK.sub(lambda match: match[1], text).replace("**", "")
    return " ".join(text.replace("\xa0", " ").split())


def inline_links(markdown: str) -> list[tuple[str, str]]:
    links = [(text.strip(), real_url(url)) for text, url in LINK.findall(markdown)]
    for address in AUTOLINK.findall(markdown):
        links.append((address, f"mailto:{address}"))
    return links


def link_targets_in(markdown: str) -> list[str]:
    """Every link target, unwrapped, in order. An image is not a link."""
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown)
    for _alt, url in IMAGE.findall(markdown):
        targets.remove(url)
    targets += [
        address if "://" in address else f"mailto:{address}"
        for address in AUTOLINK.findall(markdown)
    ]
    return [real_url(url) for url in targets]


@dataclasses.dataclass
class ReferenceItem:
    title: str
    image_above: tuple[str, str] | None = None
    bold_line: str = ""
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    cta: tuple[str, str] | None = None


@dataclasses.dataclass
class ReferenceSection:
    title: str
    image_below: tuple[str, str] | None = None
    items: list[ReferenceItem] = dataclasses.field(default_factory=list)
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    list_lines: list[str] = dataclasses.field(default_factory=list)
    link_targets: list[str] = dataclasses.field(default_factory=list)

    @property
    def items_carry_images(self) -> bool:
        return any(item.image_above for item in self.items[1:])


@dataclasses.dataclass
class Reference:
    text: str
    name: str = ""
    banner: tuple[str, str] | None = None
    issue_title: str = ""
    intro_paragraphs: list[str] = dataclasses.field(default_factory=list)
    sections: list[ReferenceSection] = dataclasses.field(default_factory=list)

    @property
    def item_sections(self) -> list[ReferenceSection]:
        return [section for section in self.sections if section.items]

    def section(self, title: str) -> ReferenceSection:
        return next(section for section in self.sections if section.title == title)

    def link_targets(self) -> list[str]:
        return link_targets_in(self.text)

    def image_urls(self) -> list[str]:
        return [real_url(url) for _alt, url in IMAGE.findall(self.text)]


def read_reference() -> Reference:
    return ReferenceReader(NEWSLETTER.read_text(encoding="utf-8")).read()


class ReferenceReader:
    """The reference, block by block: a block is what blank lines set apart."""

    def __init__(self, text: str):
        self.reference = Reference(text=text)
        self.section: ReferenceSection | None = None
        self.item: ReferenceItem | None = None
        self.previous_image: tuple[str, str] | None = None
        self.after_heading = False

    def read(self) -> Reference:
        for block in re.split(r"\n\s*\n", self.reference.text):
            if block.strip():
                self.read_block(block.strip())
        return self.reference

    def read_block(self, block: str) -> None:
        lines = block.splitlines()
        underline = setext_underline(lines)
        image = IMAGE.fullmatch(block)
        if underline or block.startswith("### "):
            self.heading(block, lines[0].strip(), underline)
        elif image:
            if self.section and self.after_heading and not self.section.items:
                self.section.image_below = (image[1], real_url(image[2]))
        elif self.item:
            self.in_item(block, lines)
        elif self.section:
            self.in_section(block, lines)
        else:
            self.reference.intro_paragraphs.append(block)
        self.previous_image = (image[1], real_url(image[2])) if image else None
        self.after_heading = bool(underline or block.startswith("### "))

    def heading(self, block: str, first_line: str, underline: str) -> None:
        if underline == "=":
            self.reference.name = first_line
            self.reference.banner = self.previous_image
        elif underline and not first_line.startswith("**"):
            self.reference.issue_title = first_line
        elif underline:
            self.section = ReferenceSection(title=first_line.strip("*").strip())
            self.reference.sections.append(self.section)
            self.item = None
        else:
            self.item = ReferenceItem(
                title=block[4:].strip().strip("*").strip(),
                image_above=self.previous_image,
            )
            self.section.items.append(self.item)

    def in_item(self, block: str, lines: list[str]) -> None:
        link = LINK.fullmatch(block)
        if self.after_heading and BOLD_LINE.fullmatch(block):
            self.item.bold_line = BOLD_LINE.fullmatch(block)[1]
        elif link and self.item.cta is None:
            self.item.cta = (link[1].strip(), real_url(link[2]))
        elif link:
            # A further link alone is an item of its own.
            self.item = ReferenceItem(
                title=link[1].strip(), cta=(link[1].strip(), real_url(link[2]))
            )
            self.section.items.append(self.item)
        elif is_list(lines):
            self.section.list_lines += [line[1:].strip() for line in lines]
        else:
            self.item.paragraphs.append(block)

    def in_section(self, block: str, lines: list[str]) -> None:
        if is_list(lines):
            self.section.list_lines += [line[1:].strip() for line in lines]
        else:
            self.section.paragraphs.append(block)
            self.section.link_targets += link_targets_in(block)


def setext_underline(lines: list[str]) -> str:
    """“=” under a level-1 heading, “-” under a level-2 one, else nothing."""
    if len(lines) == 2 and re.fullmatch(r"=+|-+", lines[1].strip()):
        return "=" if lines[1].startswith("=") else "-"
    return ""


def is_list(lines: list[str]) -> bool:
    return all(line.startswith("- ") for line in lines)


class RichText(HTMLParser):
    """The paragraphs (as plain text) and links of stored rich text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._paragraph: list[str] | None = None
        self._link: list | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._paragraph = []
        elif tag == "a":
            self._link = [dict(attrs).get("href", ""), []]

    def handle_endtag(self, tag):
        if tag == "p" and self._paragraph is not None:
            self.paragraphs.append(" ".join("".join(self._paragraph).split()))
            self._paragraph = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self.links.append(("".join(text).strip(), href))
            self._link = None

    def handle_data(self, data):
        if self._paragraph is not None:
            self._paragraph.append(data)
        if self._link is not None:
            self._link[1].append(data)


def stored_link_targets() -> list[str]:
    urls = []
    for publication in Publication.objects.all():
        urls.append(publication.signup_url)
        urls += [href for _text, href in RichText(publication.intro).links]
    urls += SocialLink.objects.values_list("url", flat=True)
    for issue in Issue.objects.all():
        urls += [href for _text, href in RichText(issue.intro).links]
    for item in Item.objects.all():
        urls.append(item.cta_url)
        urls += [href for _text, href in RichText(item.body).links]
    for event in Event.objects.all():
        urls += [event.url, event.registration_url]
        urls += [href for _text, href in RichText(event.body).links]
    return [url for url in urls if url]


def stored_image_urls() -> list[str]:
    urls = list(Publication.objects.values_list("banner_url", flat=True))
    urls += Section.objects.values_list("image_url", flat=True)
    urls += Item.objects.values_list("image_url", flat=True)
    return [url for url in urls if url]


def snapshot() -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in MODELS
    }


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reference = read_reference()
        import_demo()
        cls.publication = Publication.objects.get(name=cls.reference.name)
        cls.issue = cls.publication.issues.get()

    def items_by_title(self) -> dict[str, Item]:
        return {item.title: item for item in self.issue.items.all()}

    def reference_items(self):
        for section in self.reference.item_sections:
            for item in section.items:
                yield section, item

    def test_reference_is_parsed(self):
        """The tests' own reading of the reference finds sections, items and links."""
        self.assertGreater(len(self.reference.sections), 1)
        self.assertGreater(len(list(self.reference_items())), 1)
        self.assertGreater(len(self.reference.link_targets()), 1)
        # Decoding stops once the scheme reads, so the link's own escapes survive.
        self.assertEqual(
            real_url(
                "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2F"
                "public-gbr.mkt.dynamics.com%2Fapi%2Forgs%2Fx%2Fr%2Fy%3Ftarget%3D"
                "%257B%2522TargetUrl%2522%253A%2522https%25253A%25252F%25252F"
                "www.example.org%25252F%252540team%25252Fa%2525252Fb%25253Fa%25253D1"
                "%2522%257D%26digest%3Dz&data=x"
            ),
            "https://www.example.org/@team/a%2Fb?a=1",
        )
        self.assertEqual(
            real_url(
                "https://x.org/a?msdynmkt_trackingcontext=1&b=2#msdynmkt_trackingcontext=1"
            ),
            "https://x.org/a?b=2",
        )

    def test_publication_name_banner_and_issue_title(self):
        """The publication is named as the top heading, under the banner image."""
        self.assertEqual(self.publication.name, self.reference.name)
        self.assertEqual(self.publication.banner_url, self.reference.banner[1])
        self.assertEqual(self.publication.banner_alt, self.reference.name)
        self.assertEqual(self.issue.display_title, self.reference.issue_title)
        self.assertEqual(self.issue.title, self.reference.issue_title)

    def test_intro_and_sign_up_link(self):
        """
        The paragraphs under the issue title are the publication's intro, with its
        links, except the sign-up paragraph, which gives the sign-up link; the issue
        adds no intro or preheader of its own.
        """
        paragraphs = self.reference.intro_paragraphs
        sign_up = [block for block in paragraphs if "sign-up" in block]
        self.assertEqual(len(sign_up), 1)
        self.assertEqual(
            [self.publication.signup_url], [url for _t, url in inline_links(sign_up[0])]
        )
        intro = [block for block in paragraphs if block not in sign_up]
        stored = RichText(self.publication.intro)
        self.assertEqual(stored.paragraphs, [plain_text(block) for block in intro])
        self.assertEqual(
            stored.links, [link for block in intro for link in inline_links(block)]
        )
        self.assertEqual(self.issue.intro, "")
        self.assertEqual(self.issue.preheader, "")

    def test_contact_is_the_person_named_in_the_intro(self):
        """Readers are told to write to the contact, at the address the intro gives."""
        contact = self.publication.contact
        mailto = [
            href
            for _t, href in RichText(self.publication.intro).links
            if href.startswith("mailto:")
        ]
        self.assertEqual(mailto, [f"mailto:{contact.email}"])
        self.assertIn(f"{contact.name}, {contact.job_title} ", self.publication.intro)
        self.assertIn(contact, self.publication.team.members.all())

    def test_sections_in_order(self):
        """
        Every bold level-2 heading is a section, in order, the team list last; “Connect
        with us” is the social links, not a section.
        """
        titles = [section.title for section in self.reference.sections]
        self.assertEqual(titles[-1], "Connect with us")
        sections = list(self.publication.sections.order_by("position"))
        self.assertEqual([section.title for section in sections], titles[:-1])
        team_title = next(s.title for s in self.reference.sections if s.list_lines)
        self.assertEqual(
            [section.kind for section in sections],
            [
                Section.Kind.TEAM if title == team_title else Section.Kind.ITEMS
                for title in titles[:-1]
            ],
        )

    def test_section_images(self):
        """
        A section's header image is the one under its heading, unless its items carry
        the pictures; the source gives no alt text, so the section's title stands in,
        as the publication's name does for the banner.
        """
        for reference in self.reference.sections[:-1]:
            section = self.publication.sections.get(title=reference.title)
            with self.subTest(section=reference.title):
                if reference.items_carry_images or not reference.image_below:
                    self.assertEqual(section.image_url, "")
                else:
                    alt, url = reference.image_below
                    self.assertEqual(alt, "")
                    self.assertEqual(
                        (section.image_alt, section.image_url), (reference.title, url)
                    )
        self.assertTrue(any(s.items_carry_images for s in self.reference.sections))

    def test_items_in_order(self):
        """Every item heading and extra link is an item, in its section, in order."""
        expected = [(s.title, item.title) for s, item in self.reference_items()]
        stored = [
            (item.section.title, item.title) for item in self.issue.items.in_order()
        ]
        self.assertEqual(stored, expected)
        self.assertEqual(Item.objects.count(), len(expected))

    def test_item_bodies(self):
        """An item's body has the source's paragraphs, words and links, and no more."""
        items = self.items_by_title()
        for _section, reference in self.reference_items():
            item = items[reference.title]
            with self.subTest(item=reference.title):
                body = RichText(item.body)
                self.assertEqual(
                    body.paragraphs, [plain_text(p) for p in reference.paragraphs]
                )
                self.assertEqual(
                    body.links,
                    [link for p in reference.paragraphs for link in inline_links(p)],
                )

    def test_item_images(self):
        """Items have the picture above their heading where their section has those."""
        items = self.items_by_title()
        for section, reference in self.reference_items():
            item = items[reference.title]
            with self.subTest(item=reference.title):
                if section.items_carry_images:
                    alt, url = reference.image_above
                    self.assertEqual((item.image_alt, item.image_url), (alt, url))
                else:
                    self.assertEqual((item.image_alt, item.image_url), ("", ""))

    def test_no_image_is_invented(self):
        """Every stored image is one of the reference's."""
        reference_images = set(self.reference.image_urls())
        for url in stored_image_urls():
            self.assertIn(url, reference_images)

    def test_deadlines(self):
        """A bold “label: date” line under an item heading is its deadline."""
        items = self.items_by_title()
        found = 0
        for _section, reference in self.reference_items():
            item = items[reference.title]
            label, colon, date = reference.bold_line.rpartition(": ")
            with self.subTest(item=reference.title):
                if colon:
                    found += 1
                    self.assertEqual(item.deadline_label, label)
                    self.assertEqual(
                        item.deadline, datetime.datetime.strptime(date, DATE).date()
                    )
                else:
                    self.assertIsNone(item.deadline)
                    self.assertEqual(item.deadline_label, "")
        self.assertEqual(Item.objects.filter(deadline__isnull=False).count(), found)

    def test_calls_to_action(self):
        """The link-only paragraph of an item is its call to action."""
        items = self.items_by_title()
        for _section, reference in self.reference_items():
            item = items[reference.title]
            with self.subTest(item=reference.title):
                self.assertEqual(
                    (item.cta_label, item.cta_url), reference.cta or ("", "")
                )

    def test_events(self):
        """A bold date alone under an item heading makes the item an event's."""
        items = self.items_by_title()
        dated = 0
        for _section, reference in self.reference_items():
            item = items[reference.title]
            if not re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", reference.bold_line):
                with self.subTest(item=reference.title):
                    self.assertIsNone(item.event)
                continue
            dated += 1
            event = item.event
            with self.subTest(event=reference.title):
                text = " ".join(RichText(event.body).paragraphs)
                self.assertEqual(event.title, reference.title)
                self.assertEqual(
                    event.start_date,
                    datetime.datetime.strptime(reference.bold_line, DATE).date(),
                )
                self.assertTrue(event.is_all_day)
                self.assertEqual(
                    event.slug, f"{slugify(event.title)}-{event.start_date}"
                )
                self.assertEqual(event.registration_url, reference.cta[1])
                self.assertEqual(event.body, item.body)
                self.assertEqual(event.summary, plain_text(reference.paragraphs[0]))
                self.assertIn(event.organiser, text)
                self.assertNotEqual(event.organiser, "")
                held_in = re.search(r"held in ([A-Z][\w ]*?)[,.]", text)
                self.assertEqual(event.location, held_in[1] if held_in else "")
                if "hybrid" in text.lower():
                    self.assertEqual(event.format, Event.Format.HYBRID)
                elif "online" in text.lower():
                    self.assertEqual(event.format, Event.Format.ONLINE)
                else:
                    self.assertTrue(held_in)
                    self.assertEqual(event.format, Event.Format.IN_PERSON)
        self.assertGreater(dated, 0)
        self.assertEqual(Event.objects.count(), dated)

    def test_social_links(self):
        """“Connect with us” gives the social links, text links first, in order."""
        connect = self.reference.section("Connect with us")
        links = list(self.publication.social_links.all())
        # The mailer's own links in the footer below are not the publication's.
        self.assertEqual(
            [link.url for link in links],
            [
                url
                for url in connect.link_targets
                if urlsplit(url).hostname != MAILER_HOST
            ],
        )
        # The block opens with a paragraph of text links, then come the icons.
        labelled = inline_links(connect.paragraphs[0])
        self.assertEqual(
            [(link.label, link.url) for link in links[: len(labelled)]], labelled
        )
        hosts = {
            "turing.ac.uk": SocialLink.Network.WEBSITE,
            "forms.gle": SocialLink.Network.SLACK,
            "linkedin.com": SocialLink.Network.LINKEDIN,
            "twitter.com": SocialLink.Network.X,
            "instagram.com": SocialLink.Network.INSTAGRAM,
            "facebook.com": SocialLink.Network.FACEBOOK,
            "youtube.com": SocialLink.Network.YOUTUBE,
        }
        for link in links:
            host = urlsplit(link.url).hostname
            network = next(n for h, n in hosts.items() if host.endswith(h))
            self.assertEqual(link.network, network)

    def test_every_link_is_kept_except_the_mailers(self):
        """
        Every link target of the reference is stored somewhere, unwrapped; the only
        ones left out are the mailer's unsubscribe and preference-centre links and its
        tracking pixel, which the mailer adds itself.
        """
        stored = set(stored_link_targets())
        reference = set(self.reference.link_targets())
        mailer = {url for url in reference if urlsplit(url).hostname == MAILER_HOST}
        self.assertTrue(mailer)
        self.assertTrue(all("/consent/preferences" in url for url in mailer))
        self.assertEqual(reference - stored, mailer)
        pixels = [
            url
            for url in self.reference.image_urls()
            if urlsplit(url).hostname == MAILER_HOST
        ]
        self.assertEqual(len(pixels), 1)
        self.assertNotIn(pixels[0], stored_image_urls())
        self.assertFalse(stored & mailer)

    def test_no_tracking_left_in_stored_urls(self):
        """No stored link or image goes through a tracker or carries tracking marks."""
        urls = stored_link_targets() + stored_image_urls()
        self.assertGreater(len(urls), 1)
        for url in urls:
            with self.subTest(url=url):
                for mark in FORBIDDEN_IN_URLS:
                    self.assertNotIn(mark, url)
                parts = urlsplit(url)
                self.assertFalse(parts.hostname == MAILER_HOST and "/r/" in parts.path)

    def test_footer(self):
        """The postal address completes the cut-off line; © names the holder."""
        line = next(
            block
            for block in self.reference.sections[-1].paragraphs
            if "London" in block
        )
        self.assertEqual(self.publication.postal_address, line + " Kingdom")
        self.assertIn(
            f"© {self.publication.copyright_holder} {self.issue.year}",
            self.reference.text,
        )

    def test_team_on_the_issue_date(self):
        """The team on the issue's date: the people in order, organisation and role."""
        expected = []
        team_section = next(s for s in self.reference.sections if s.list_lines)
        for line in team_section.list_lines:
            name, *organisation, role = [p.strip() for p in line.split(",")]
            expected.append((name, ", ".join(organisation), role))
        memberships = self.publication.team.members_on(self.issue.date)
        self.assertEqual(
            [(m.person.name, m.person.organisation, m.role) for m in memberships],
            expected,
        )
        self.assertTrue(all(m.starts_on is None for m in memberships))
        self.assertEqual(Person.objects.count(), len(expected))

    def test_sent_at_comes_from_the_safe_links(self):
        """The issue went out when Outlook first wrapped its links, to the second."""
        first = min(safe_link_ticks(self.reference.text))
        moment = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            microseconds=first // 10
        )
        self.assertEqual(self.issue.status, Issue.Status.SENT)
        self.assertEqual(self.issue.sent_at, moment.replace(microsecond=0))
        self.assertEqual(self.issue.planned_send_date, moment.date())
        self.assertEqual(self.issue.slug, f"{self.issue.year}-{self.issue.month:02d}")


class DemoImportTests(TestCase):
    def import_reference(self):
        return import_newsletter(
            source=NEWSLETTER.read_bytes(), publication_slug=PUBLICATION_SLUG
        )

    def test_first_import_creates_everything(self):
        """The first import creates every row, finds none there, and freezes it."""
        result = self.import_reference()
        for model in MODELS:
            with self.subTest(model=model.__name__):
                self.assertGreater(result.changes.created[model], 0)
                self.assertEqual(
                    result.changes.created[model], model._default_manager.count()
                )
        self.assertEqual(+result.changes.unchanged, {})
        self.assertEqual(result.issue.status, Issue.Status.SENT)
        self.assertTrue(result.issue.is_frozen)

    def test_importing_twice_changes_nothing(self):
        """A second import creates nothing, saves nothing and says so."""
        self.import_reference()
        before = snapshot()
        second = self.import_reference()
        self.assertEqual(snapshot(), before)
        self.assertTrue(second.already_imported)
        self.assertEqual(+second.changes.created, {})
        self.assertEqual(
            second.summary(), [f"{second.title}: already imported; nothing changed."]
        )

    def test_importing_again_keeps_what_editors_changed(self):
        """
        The issue imported again into the demo's publication: only the issue and its
        items are new; what an editor changed in the rest stays as they left it.
        """
        first = self.import_reference()
        Publication.objects.update(intro="<p>Edited.</p>")
        TeamMembership.objects.filter(position=1).update(role="Someone else")
        Issue.objects.all().delete()
        result = self.import_reference()
        self.assertEqual(Publication.objects.get().intro, "<p>Edited.</p>")
        self.assertEqual(TeamMembership.objects.get(position=1).role, "Someone else")
        self.assertEqual(
            +result.changes.created, {Issue: 1, Item: Item.objects.count()}
        )
        self.assertEqual(
            result.changes.unchanged,
            {
                model: count
                for model, count in first.changes.created.items()
                if model not in (Issue, Item)
            },
        )
        self.assertIn("  changed: nothing", result.summary())

    def test_command_reports_what_it_did(self):
        """The command says what it created, then that a second run changed nothing."""
        reference = read_reference()
        out = StringIO()
        call_command(
            "import_newsletter", NEWSLETTER, publication=PUBLICATION_SLUG, stdout=out
        )
        first = out.getvalue()
        section_count = len(reference.sections) - 1
        item_count = sum(len(s.items) for s in reference.sections)
        people_count = sum(len(s.list_lines) for s in reference.sections)
        self.assertIn("  created: 1 publication,", first)
        self.assertIn(f" {section_count} sections,", first)
        self.assertIn(f" {item_count} items,", first)
        self.assertIn(f" {people_count} people,", first)
        out = StringIO()
        call_command(
            "import_newsletter", NEWSLETTER, publication=PUBLICATION_SLUG, stdout=out
        )
        self.assertEqual(
            out.getvalue().strip(),
            f"{reference.name} – {reference.issue_title}: already imported; nothing "
            "changed.",
        )

    def test_command_leaves_the_edited_demo_issue_alone(self):
        """Importing the file again never overwrites an editor's change to the issue."""
        import_demo()
        item = Item.objects.exclude(body="").first()
        Item.objects.filter(pk=item.pk).update(body="<p>Edited.</p>")
        with self.assertRaisesMessage(CommandError, "is already Sent and differs"):
            call_command(
                "import_newsletter",
                NEWSLETTER,
                publication=PUBLICATION_SLUG,
                stdout=StringIO(),
            )
        item.refresh_from_db()
        self.assertEqual(item.body, "<p>Edited.</p>")
