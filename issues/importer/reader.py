"""
Reads a newsletter as readers received it, Markdown or the HTML of the e-mail, into the
structured content of ``structure``: a ``PublicationContent`` and an ``IssueContent``.

Markdown is first turned into HTML, so one reader serves both. It flattens the page
(layout tables, cells and ``<div>``s) into a sequence of blocks, headings, paragraphs,
images and lists, and reads the issue from their order, by the rules set out in
``issues/demo/content.py`` for the reference issue:

- the level-1 heading is the publication's name, the image above it the banner;
- the next heading is the issue's title and gives its month (“November 2024”); a
  date alone just under it (“18 November 2024”, as exported e-mails show it) is the day
  the issue went out, and gives the month when the title does not;
- the paragraphs under it are the publication's introduction, except the one with the
  sign-up link, and those about this month alone (naming the month, “this month”,
  “this issue”), which are the issue's introduction;
- every level-2 heading after that is a section, every level-3 heading an item;
  a section whose only content is a list of “name, organisation, role” is the team;
  a section called “Connect with us” (“Follow us”, “Stay in touch”…) holds the social
  links, and the postal address and “© holder year” below it make the footer;
  a team may also be paragraphs of “**name**, organisation” and the role under it;
- the mailer's footer (unsubscribe, preferences, “view in browser”, merge tags such
  as ``*|UNSUB|*``) is not content, and a link holding a merge tag is no link;
- “To suggest something for a future issue, get in touch with …” names the contact;
- an item is its heading, an optional bold line (“Application deadline: 20 November
  2024” is a deadline, a date alone makes the item an event's, and so do bold lines
  “Date: …”, “Place: …”, “Format: …”, “Organiser: …”), an image directly under its
  heading, its paragraphs, and a paragraph that is only a link: its call to action
  (“Register for …” is its event's registration); a further such paragraph is an
  item of its own.

A hidden preheader that is only the titles of the first items is the one exports make
up when an issue has none, and is left out.

Slugs are made from names without a leading “The”. Section slugs are short: a leading
“Current”, the publication's name (except its last word) and a trailing “from …” that
names the publication's own organisations are left out; the team's section is “team”.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field, replace

import markdown
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event
from issues.importer.structure import (
    EventContent,
    IssueContent,
    ItemContent,
    PublicationContent,
    SectionContent,
    SocialLinkContent,
    TeamContent,
    TeamMemberContent,
)
from issues.importer.unwrap import LinkReport, is_mailer_link
from issues.models import Section, SocialLink, default_preheader
from newsroom.core.richtext import clean_html, drop_control_characters, is_allowed_url

# The brand colour of a new publication: the source's colours live in its images.
DEFAULT_BRAND_COLOUR = "#1F4E79"

# When the issue went out, if the source does not tell: the first of its month, at
# this hour in the site's time zone.
DEFAULT_SEND_HOUR = 9

_INLINE = frozenset(
    "a abbr b bdi bdo br cite code del em font i img ins kbd mark q s small span "
    "strong sub sup time u wbr".split()
)
_SKIPPED = frozenset("head script style template title noscript meta link".split())
_HEADINGS = {f"h{level}": level for level in range(1, 7)}

_MONTHS = {
    name.lower(): number for number, name in enumerate(calendar.month_name) if name
}
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(calendar.month_name[1:]) + r")\s+(\d{4})\b", re.IGNORECASE
)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%B %d %Y", "%Y-%m-%d")
_SOCIAL_HEADING = re.compile(
    r"^(connect with|follow us|find us|stay in touch|social)", re.IGNORECASE
)
_THIS_MONTH = r"\b(this month|this issue|this edition|{month})\b"
_SIGNUP = re.compile(r"sign[- ]?up|subscribe", re.IGNORECASE)
_CONTACT = re.compile(
    r"(?:get in touch with|contact|write to)\s+(?P<name>[A-Z][^,]+?),\s*"
    r"(?P<title>.+?)\s+(?:for|at|on)\b"
)
_COPYRIGHT = re.compile(r"©\s*(?:copyright\s*)?(?P<holder>.+?)\s*(?P<year>\d{4})?\s*$")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
# Placeholders mailers fill in on sending: Mailchimp's *|UNSUB|*, Dynamics 365's
# {{…}}, Salesforce's %%…%%, and the like.
_MERGE_TAG = re.compile(r"\*\|[^|]+\|\*|\{\{[^}]+\}\}|%%[^%]+%%|\[\[[^\]]+\]\]")
# The lines of a mailer's footer, which it adds again when an issue is exported.
_MAILER_FOOTER = re.compile(
    r"unsubscribe|(to )?stop receiving|(update|manage) (your )?preferences"
    r"|preference cent(re|er)|you are receiving this|view (this e-?mail )?in (your )?"
    r"browser|(our )?mailing address is|want to change how you receive",
    re.IGNORECASE,
)
# The line with which exported e-mails name the publication's contact.
_CONTACT_LINE = re.compile(
    r"^To suggest something for a future issue, get in touch with (?P<rest>.+?)\.?$"
)
_REGISTER_FOR = "Register for "
_LEADING_DATE = re.compile(r"^\d{1,2} [A-Za-z]+ \d{4}")
_HEX_COLOUR = re.compile(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{6})\b")

# Social networks by the host of their link, then by the words of its label.
_NETWORK_HOSTS = (
    ("linkedin.com", SocialLink.Network.LINKEDIN),
    ("twitter.com", SocialLink.Network.X),
    ("x.com", SocialLink.Network.X),
    ("instagram.com", SocialLink.Network.INSTAGRAM),
    ("facebook.com", SocialLink.Network.FACEBOOK),
    ("youtube.com", SocialLink.Network.YOUTUBE),
    ("bsky.app", SocialLink.Network.BLUESKY),
    ("slack.com", SocialLink.Network.SLACK),
)
_NETWORK_LABELS = (
    ("slack", SocialLink.Network.SLACK),
    ("mastodon", SocialLink.Network.MASTODON),
    ("web", SocialLink.Network.WEBSITE),
    ("site", SocialLink.Network.WEBSITE),
)


class UnreadableNewsletter(ValueError):
    """The file is not a newsletter the importer can read; says where and why."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "image" or "list"
    line: int
    level: int = 0
    text: str = ""
    html: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    # Wholly bold, or opening with a bold label (“<strong>Deadline:</strong> …”).
    bold: bool = False
    starts_bold: bool = False
    src: str = ""
    alt: str = ""
    href: str = ""
    entries: list[str] = field(default_factory=list)
    # A paragraph's lines, as its <br>s break it.
    lines: list[str] = field(default_factory=list)
    # The text of the bold label that opens it.
    bold_text: str = ""

    @property
    def link_only(self) -> bool:
        return (
            self.kind == "paragraph"
            and len(self.links) == 1
            and _words(self.links[0][0]) == self.text
            and bool(self.text)
        )


@dataclass
class ParsedNewsletter:
    publication: PublicationContent
    issue: IssueContent
    links: LinkReport
    source_format: str  # "markdown" or "html"
    # Whether the time of sending was read from the source, or is the default.
    sent_at_from_source: bool = True
    # Whether at least the day of sending was read from the source.
    sent_on_from_source: bool = True
    # The file as text, as it was read.
    text: str = ""


def decode(data: bytes | str) -> str:
    """The file as text, or why it cannot be read."""
    if isinstance(data, str):
        text = data
    else:
        if b"\x00" in data[:8192]:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise UnreadableNewsletter(
                "this is not a text file: it holds binary data", line
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise UnreadableNewsletter(
                f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be "
                "read); save it as UTF-8 and try again",
                line,
            ) from error
    if not text.strip():
        raise UnreadableNewsletter("the file is empty", 1)
    return text


def is_html(text: str) -> bool:
    return bool(
        re.match(
            r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|table|div|center|h1)\b",
            text,
            re.IGNORECASE | re.DOTALL,
        )
    )


def read_newsletter(
    data: bytes | str, *, publication_slug: str = ""
) -> ParsedNewsletter:
    """Read ``data``; raise ``UnreadableNewsletter`` when it is not a newsletter."""
    text = decode(data)
    if "\x00" in text:
        raise UnreadableNewsletter("this is not a text file: it holds binary data", 1)
    # Titles and names are stored as they are read: without stray control characters.
    text = drop_control_characters(text)
    report = LinkReport()
    if is_html(text):
        source_format = "html"
        soup = BeautifulSoup(text, "html.parser")
        line_of = None
    else:
        source_format = "markdown"
        soup = BeautifulSoup(markdown.markdown(text), "html.parser")
        line_of = _line_finder(text)
    preheader = _prepare(soup, report)
    blocks = _Flattener(line_of).blocks(soup)
    interpreter = _Interpreter(
        blocks,
        report,
        publication_slug=publication_slug,
        preheader=preheader,
        brand_colour=_brand_colour(soup),
    )
    publication, issue = interpreter.read()
    return ParsedNewsletter(
        publication=publication,
        issue=issue,
        links=report,
        source_format=source_format,
        sent_at_from_source=interpreter.sent_at_from_source,
        sent_on_from_source=interpreter.sent_on_from_source,
        text=text,
    )


def _words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _slug(text: str, max_length: int = 100) -> str:
    slug = slugify(re.sub(r"^\s*the\s+", "", text, flags=re.IGNORECASE))
    return slug[:max_length].strip("-")


def _line_finder(source: str):
    """Where a block's text is in Markdown source: the first line holding its start."""
    lines = source.splitlines()

    def line_of(text: str, after: int = 0) -> int:
        needle = text[:40].strip()
        if needle:
            for number in range(after, len(lines)):
                if needle in lines[number].replace("**", ""):
                    return number + 1
        return after or 1

    return line_of


def _prepare(soup: BeautifulSoup, report: LinkReport) -> str:  # noqa: C901
    """Unwrap every link, drop what readers never see; return the hidden preheader."""
    preheader = ""
    for element in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        if not preheader and element.find_previous(["h1"]) is None:
            preheader = _words(element.get_text())
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment | Doctype)):
        comment.extract()
    for string in soup.find_all(string=re.compile("\xa0")):
        string.replace_with(string.replace("\xa0", " "))
    # A line break in HTML text is a space to readers; exports break long lines.
    for string in soup.find_all(string=re.compile("\n")):
        string.replace_with(re.sub(r"\s*\n\s*", " ", string))
    # Nor does the space between a list's items show.
    for listing in soup.find_all(["ul", "ol"]):
        spaces = [*listing.children]
        for entry in listing.find_all("li", recursive=False):
            spaces += entry.contents[-1:]
        for space in spaces:
            if isinstance(space, NavigableString) and not space.strip():
                space.extract()
    for link in soup.find_all("a", href=True):
        if _MERGE_TAG.search(link["href"]):
            # The mailer's placeholder (unsubscribe, web version…): its words stay.
            link.unwrap()
            continue
        url = report.add(link["href"]).url
        if is_allowed_url(url):
            link["href"] = url
        else:
            if url and not url.startswith("#"):
                report.refused.append(url)
            link.unwrap()
    for image in soup.find_all("img"):
        src = image.get("src", "")
        if _MERGE_TAG.search(src):
            image.decompose()
            continue
        src = report.add(src).url if src else ""
        if is_allowed_url(src) and not src.startswith("mailto:"):
            image["src"] = src
        else:
            # Embedded (data:, cid:) or relative: no picture to keep a link to.
            image.decompose()
    return preheader[:200]


def _brand_colour(soup: BeautifulSoup) -> str:
    """The colour of the publication's name, as the e-mail shows it."""
    heading = soup.find("h1")
    found = _HEX_COLOUR.search(heading.get("style", "")) if heading else None
    return found[1] if found else DEFAULT_BRAND_COLOUR


class _Flattener:
    """Layout flattened into blocks, in reading order."""

    def __init__(self, line_of):
        self.line_of = line_of
        self.last_line = 0

    def blocks(self, soup) -> list[Block]:
        found = []
        self._walk(soup, found)
        return found

    def _line(self, tag: Tag | None, text: str) -> int:
        if self.line_of is not None:
            line = self.line_of(text, max(self.last_line - 1, 0)) if text else 0
        else:
            line = getattr(tag, "sourceline", None) or 0
        line = line or self.last_line or 1
        self.last_line = line
        return line

    def _walk(self, node, found: list[Block]) -> None:
        run = []
        for child in list(node.children):
            if isinstance(child, NavigableString):
                run.append(child)
                continue
            if not isinstance(child, Tag) or child.name in _SKIPPED:
                continue
            if child.name in _INLINE:
                run.append(child)
                continue
            found += self._run(run, None)
            run = []
            if child.name in _HEADINGS:
                text = _words(child.get_text())
                if text:
                    found.append(
                        Block(
                            kind="heading",
                            level=_HEADINGS[child.name],
                            text=text,
                            html=child.decode_contents().strip(),
                            line=self._line(child, text),
                        )
                    )
            elif child.name == "p":
                found += self._run(list(child.children), child)
            elif child.name in ("ul", "ol"):
                entries = [_words(li.get_text()) for li in child.find_all("li")]
                found.append(
                    Block(
                        kind="list",
                        entries=[entry for entry in entries if entry],
                        html=str(child),
                        text=" ".join(entries),
                        line=self._line(child, entries[0] if entries else ""),
                    )
                )
            elif child.name != "hr":
                self._walk(child, found)
        found += self._run(run, None)

    def _run(self, nodes: list, tag: Tag | None) -> list[Block]:
        """A paragraph, or the images of a run that holds nothing but images."""
        text = _words("".join(_text_of(node) for node in nodes))
        images = [
            image
            for node in nodes
            if isinstance(node, Tag)
            for image in ([node] if node.name == "img" else node.find_all("img"))
        ]
        anchor = tag or next((n for n in nodes if isinstance(n, Tag)), None)
        if not text:
            blocks = []
            for image in images:
                link = image.find_parent("a")
                blocks.append(
                    Block(
                        kind="image",
                        src=image.get("src", ""),
                        alt=_words(image.get("alt", "")),
                        href=link.get("href", "") if link else "",
                        line=self._line(image, image.get("src", "")[:40]),
                    )
                )
            return blocks
        for image in images:
            image.decompose()
        links = []
        for node in nodes:
            if isinstance(node, Tag):
                anchors = [node] if node.name == "a" else node.find_all("a")
                links += [
                    (_words(a.get_text()), a.get("href", ""))
                    for a in anchors
                    if a.get("href")
                ]
        shown = [n for n in nodes if isinstance(n, Tag) or _words(str(n))]
        starts_bold = bool(
            shown and isinstance(shown[0], Tag) and shown[0].name in ("strong", "b")
        )
        bold = starts_bold and len(shown) == 1
        return [
            Block(
                kind="paragraph",
                text=text,
                html="".join(str(node) for node in nodes).strip(),
                links=links,
                bold=bold,
                starts_bold=starts_bold,
                bold_text=_words(shown[0].get_text(" ")) if starts_bold else "",
                lines=_lines_of(nodes),
                line=self._line(anchor, text),
            )
        ]


def _lines_of(nodes: list) -> list[str]:
    lines = [[]]
    for node in nodes:
        if isinstance(node, Tag) and node.name == "br":
            lines.append([])
        else:
            lines[-1].append(_text_of(node))
    return [line for line in (_words("".join(parts)) for parts in lines) if line]


def _text_of(node) -> str:
    if isinstance(node, NavigableString):
        return str(node)
    if node.name == "br":
        return " "
    return node.get_text(" ") if node.name != "img" else ""


def _date(text: str) -> datetime.date | None:
    text = _words(text).strip(" .")
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _rich_text(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "list":
            parts.append(block.html)
        elif block.kind == "heading":
            level = min(max(block.level, 3), 4)
            parts.append(f"<h{level}>{block.html}</h{level}>")
        else:
            parts.append(f"<p>{block.html}</p>")
    cleaned = [clean_html(part) for part in parts]
    return "\n".join(part for part in cleaned if part and part != "<p></p>")


@dataclass
class _ItemDraft:
    title: str
    line: int
    image_above: Block | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def image_below(self) -> Block | None:
        if self.blocks and self.blocks[0].kind == "image":
            return self.blocks[0]
        return None


@dataclass
class _SectionDraft:
    title: str
    line: int
    before_items: list[Block] = field(default_factory=list)
    items: list[_ItemDraft] = field(default_factory=list)

    @property
    def image_below(self) -> Block | None:
        if self.before_items and self.before_items[0].kind == "image":
            return self.before_items[0]
        return None

    @property
    def team_entries(self) -> list[tuple[str, str, str]] | None:
        """
        (name, organisation, role) of each member when this section is the team: a
        list of “name, organisation, role”, or paragraphs of “**name**, organisation”
        with the role on the line below.
        """
        if self.items:
            return None
        lists = [block for block in self.before_items if block.kind == "list"]
        if len(lists) == 1 and all(entry.count(",") >= 2 for entry in lists[0].entries):
            entries = []
            for entry in lists[0].entries:
                name, *organisation, role = [part.strip() for part in entry.split(",")]
                entries.append((name, ", ".join(organisation), role))
            return entries
        paragraphs = [block for block in self.before_items if block.kind != "image"]
        if paragraphs and all(
            block.kind == "paragraph"
            and block.bold_text
            and len(block.lines) in (1, 2)
            and block.lines[0].startswith(block.bold_text)
            for block in paragraphs
        ):
            return [
                (
                    block.bold_text,
                    block.lines[0][len(block.bold_text) :].lstrip(" ,"),
                    block.lines[1] if len(block.lines) == 2 else "",
                )
                for block in paragraphs
            ]
        return None


class _Interpreter:
    def __init__(
        self,
        blocks,
        report,
        *,
        publication_slug: str,
        preheader: str,
        brand_colour: str = DEFAULT_BRAND_COLOUR,
    ):
        self.blocks = blocks
        self.report = report
        self.publication_slug = publication_slug
        self.preheader = preheader
        self.brand_colour = brand_colour
        self.sent_at_from_source = self.sent_on_from_source = False
        # The exported e-mail's line naming the contact, taken out of the content.
        self.contact_line: Block | None = None

    def read(self):  # noqa: C901
        blocks = self.blocks
        name_at = next(
            (i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1),
            None,
        )
        if name_at is None:
            raise UnreadableNewsletter(
                "no publication name found: a newsletter starts with its name as the "
                "main heading (# Name in Markdown, <h1> in HTML)",
                blocks[0].line if blocks else 1,
            )
        name = blocks[name_at].text
        banner = next(
            (b for b in reversed(blocks[:name_at]) if b.kind == "image"), None
        )
        title_at = next(
            (i for i in range(name_at + 1, len(blocks)) if blocks[i].kind == "heading"),
            None,
        )
        if title_at is None:
            raise UnreadableNewsletter(
                "no issue title found under the publication's name",
                blocks[name_at].line,
            )
        title_block = blocks[title_at]
        after_title = blocks[title_at + 1 :]
        sent_on = None
        if (
            after_title
            and after_title[0].kind == "paragraph"
            and not after_title[0].links
        ):
            sent_on = _date(after_title[0].text)
            if sent_on:
                after_title = after_title[1:]
        month = _MONTH_YEAR.search(title_block.text)
        if month is not None:
            year, month_number = int(month[2]), _MONTHS[month[1].lower()]
        elif sent_on is not None:
            year, month_number = sent_on.year, sent_on.month
        else:
            raise UnreadableNewsletter(
                f"the issue's month was not found: its title “{title_block.text}” "
                "should name it, e.g. “November 2024”, or a date should stand alone "
                "just under it",
                title_block.line,
            )
        if not 1990 <= year <= 2200:
            raise UnreadableNewsletter(
                f"{year} is not a plausible year", title_block.line
            )
        section_level = title_block.level

        intro_blocks, sections, social, footer = self._split(after_title, section_level)
        if not any(section.items or section.team_entries for section in sections):
            raise UnreadableNewsletter(
                "no sections with items found: sections are headings one level below "
                "the publication's name, items the headings under them",
                title_block.line,
            )

        team_section = next((s for s in sections if s.team_entries), None)
        members = self._team(team_section)

        publication_intro, issue_intro, signup_url = [], [], ""
        month_words = re.compile(
            _THIS_MONTH.format(month=calendar.month_name[month_number]), re.IGNORECASE
        )
        contact_slug = ""
        for block in intro_blocks:
            if block.kind == "image":
                continue
            if block.links and _SIGNUP.search(block.text) and not signup_url:
                signup_url = block.links[-1][1]
                continue
            if month_words.search(block.text):
                issue_intro.append(block)
            else:
                publication_intro.append(block)
            contact = self._contact(block, members)
            if contact:
                contact_slug = contact.slug
                members = [contact if m.slug == contact.slug else m for m in members]
        contact = self._contact_from_line(members)
        if contact:
            contact_slug = contact.slug
            members = [contact if m.slug == contact.slug else m for m in members]

        sent_at = self.report.delivered_at()
        self.sent_at_from_source = self.sent_on_from_source = sent_at is not None
        if sent_at is None:
            self.sent_on_from_source = sent_on is not None
            sent_at = datetime.datetime.combine(
                sent_on or datetime.date(year, month_number, 1),
                datetime.time(DEFAULT_SEND_HOUR),
                tzinfo=timezone.get_current_timezone(),
            )
        section_contents, items = self._sections(sections, name, team_section)
        preheader = self.preheader
        titles = [item.title for found in items.values() for item in found]
        if preheader and preheader == default_preheader(titles, name):
            preheader = ""
        copyright_holder, postal_address = self._footer(footer)
        publication = PublicationContent(
            name=name,
            slug=self.publication_slug or _slug(name),
            intro=_rich_text(publication_intro),
            contact_slug=contact_slug,
            signup_url=signup_url,
            postal_address=postal_address,
            copyright_holder=copyright_holder,
            brand_colour=self.brand_colour,
            banner_url=banner.src if banner else "",
            banner_alt=(banner.alt or name) if banner else "",
            social_links=self._social_links(social),
            sections=section_contents,
            team=TeamContent(
                name=team_section.title if team_section else "",
                slug=_slug(team_section.title, 200) if team_section else "",
                members=tuple(members),
            ),
        )
        issue = IssueContent(
            year=year,
            month=month_number,
            title=title_block.text[:200],
            slug=f"{year}-{month_number:02d}",
            preheader=preheader,
            intro=_rich_text(issue_intro),
            sent_at=sent_at,
            planned_send_date=timezone.localdate(sent_at),
            items=items,
        )
        return publication, issue

    def _split(self, blocks, section_level):  # noqa: C901
        """The introduction, the sections, the social links and the footer."""
        intro, sections, social, footer = [], [], [], []
        section = item = None
        item_level = 0
        zone = "intro"
        for block in blocks:
            if zone != "footer" and _is_footer(block):
                zone = "footer"
            if zone == "footer":
                footer.append(block)
                continue
            if block.kind == "paragraph" and _CONTACT_LINE.match(block.text):
                self.contact_line = block
                continue
            if block.kind == "heading" and block.level <= section_level:
                if _SOCIAL_HEADING.match(block.text):
                    zone = "social"
                    continue
                zone = "sections"
                section = _SectionDraft(title=block.text, line=block.line)
                sections.append(section)
                item = None
                item_level = 0
                continue
            if zone == "social":
                social.append(block)
            elif zone == "intro":
                intro.append(block)
            elif block.kind == "heading" and block.level <= (item_level or block.level):
                item_level = block.level
                previous = item.blocks if item else section.before_items
                image = None
                # An image that is all an item holds would be that item's own.
                if (
                    previous
                    and previous[-1].kind == "image"
                    and (item is None or any(b.kind != "image" for b in previous))
                ):
                    image = previous[-1]
                item = _ItemDraft(title=block.text, line=block.line, image_above=image)
                section.items.append(item)
            elif item is not None:
                item.blocks.append(block)
            else:
                section.before_items.append(block)
        # A postal address just before the footer belongs to it.
        last = []
        if sections:
            last = (
                sections[-1].items[-1].blocks
                if sections[-1].items
                else sections[-1].before_items
            )
        for blocks_before in (social, last):
            if blocks_before and _is_address(blocks_before[-1]):
                footer.insert(0, blocks_before.pop())
        return intro, sections, social, footer

    def _team(self, section: _SectionDraft | None) -> list[TeamMemberContent]:
        if section is None:
            return []
        return [
            TeamMemberContent(
                name=name, slug=_slug(name, 200), organisation=organisation, role=role
            )
            for name, organisation, role in section.team_entries
        ]

    def _contact_from_line(self, members) -> TeamMemberContent | None:
        """The contact as exported e-mails name them: “…, job title, organisation.”"""
        block = self.contact_line
        if block is None or not block.links:
            return None
        name, url = block.links[0]
        member = next((m for m in members if m.name == name), None)
        if member is None:
            return None
        rest = _CONTACT_LINE.match(block.text)["rest"]
        rest = rest.removeprefix(name).lstrip(" ,")
        if member.organisation:
            rest = rest.removesuffix(member.organisation).rstrip(" ,")
        email = url[7:] if url.startswith("mailto:") else ""
        return replace(member, job_title=rest[:200], email=email)

    def _contact(self, block: Block, members) -> TeamMemberContent | None:
        emails = [url[7:] for _, url in block.links if url.startswith("mailto:")]
        match = _CONTACT.search(block.text)
        if not emails or not match:
            return None
        member = next((m for m in members if m.name == match["name"].strip()), None)
        if member is None:
            return None
        return replace(member, job_title=match["title"].strip(), email=emails[0])

    def _sections(self, sections, publication_name, team_section):
        contents = []
        items = {}
        for section in sections:
            if section is team_section:
                image = section.image_below
                contents.append(
                    SectionContent(
                        title=section.title,
                        slug="team",
                        kind=Section.Kind.TEAM,
                        image_url=image.src if image else "",
                        image_alt=_heading_image_alt(image, section.title),
                    )
                )
                continue
            slug = _section_slug(section.title, publication_name)
            carry = any(item.image_above for item in section.items[1:])
            image = None if carry else section.image_below
            contents.append(
                SectionContent(
                    title=section.title,
                    slug=slug,
                    image_url=image.src if image else "",
                    image_alt=_heading_image_alt(image, section.title),
                )
            )
            section_items = []
            for draft in section.items:
                section_items += self._items(draft, with_image=carry)
            items[slug] = tuple(section_items)
        return tuple(contents), items

    def _items(self, draft: _ItemDraft, *, with_image: bool) -> list[ItemContent]:
        blocks = [b for b in draft.blocks if b.kind != "image" and _meaningful(b)]
        deadline = event_date = facts = None
        deadline_label = ""
        # The bold lines under the heading: a deadline, an event's date or its facts.
        while blocks and blocks[0].starts_bold:
            first = blocks[0]
            found = _event_facts(first) if event_date is None else None
            label, colon, value = first.text.rpartition(":")
            if found:
                facts = found
                event_date = _date(_LEADING_DATE.match(facts["Date"])[0])
            elif (
                deadline is None
                and len(first.lines) <= 1
                and colon
                and _date(value)
                and label.strip()
                and len(label) <= 80
            ):
                deadline, deadline_label = _date(value), label.strip()[:100]
            elif event_date is None and first.bold and _date(first.text):
                event_date = _date(first.text)
            else:
                break
            blocks = blocks[1:]
        event_title, registration = draft.title, None
        if facts is not None:
            # Exported e-mails give an event's own title and registration link apart
            # from the item's call to action.
            register = next(
                (
                    b
                    for b in blocks
                    if b.link_only
                    and b.text.startswith(_REGISTER_FOR)
                    and len(b.text) > len(_REGISTER_FOR)
                ),
                None,
            )
            if register is not None:
                blocks = [b for b in blocks if b is not register]
                event_title = register.text.removeprefix(_REGISTER_FOR)
                registration = register.links[0][1]
        body_blocks, ctas = [], []
        for block in blocks:
            (ctas if block.link_only else body_blocks).append(block)
        cta_label, cta_url = (
            (ctas[0].links[0][0], ctas[0].links[0][1]) if ctas else ("", "")
        )
        body = _rich_text(body_blocks)
        image = draft.image_above if with_image else draft.image_below
        event = None
        if event_date:
            event = _event(
                event_title,
                event_date,
                body_blocks,
                body,
                cta_label,
                cta_url,
                facts=facts,
                registration_url=registration,
            )
        items = [
            ItemContent(
                title=draft.title[:300],
                body=body,
                image_url=image.src if image else "",
                image_alt=image.alt if image else "",
                deadline=deadline,
                deadline_label=deadline_label,
                cta_label=cta_label[:100],
                cta_url=cta_url,
                event=event,
            )
        ]
        for extra in ctas[1:]:
            label, url = extra.links[0]
            items.append(
                ItemContent(title=label[:300], cta_label=label[:100], cta_url=url)
            )
        return items

    def _social_links(self, blocks) -> tuple[SocialLinkContent, ...]:
        links = []
        seen = set()
        candidates = []
        for block in blocks:
            if block.kind == "paragraph":
                candidates += block.links
            elif block.kind == "image" and block.href:
                candidates.append(("", block.href))
        for label, url in candidates:
            if url in seen or is_mailer_link(url) or not url.startswith("http"):
                continue
            seen.add(url)
            network = _network(url, label)
            if label == SocialLink.Network(network).label:
                # The network's own name, as exports show a link without a label.
                label = ""
            links.append(SocialLinkContent(network=network, url=url, label=label))
        return tuple(links)

    def _footer(self, blocks) -> tuple[str, str]:
        holder = address = ""
        for block in blocks:
            if block.kind != "paragraph":
                continue
            copyright = None
            if "©" in block.text and not _MERGE_TAG.search(block.text):
                copyright = _COPYRIGHT.search(block.text)
            if copyright and not holder:
                holder = copyright["holder"].strip()
            elif not address and _is_address(block):
                address = _complete_address(block.text)
        return holder[:200], address


def _is_footer(block: Block) -> bool:
    """Whether ``block`` opens the footer: copyright, or the mailer's own lines."""
    return block.kind == "paragraph" and bool(
        "©" in block.text
        or any(is_mailer_link(url) for _, url in block.links)
        or _MERGE_TAG.search(block.text)
        # A short line in the mailer's words, not a paragraph that starts like one.
        or (len(block.text) <= 200 and _MAILER_FOOTER.match(block.text))
    )


def _meaningful(block: Block) -> bool:
    """Not a stray separator such as “|” left over from a layout table."""
    return block.kind != "paragraph" or bool(re.search(r"\w", block.text))


def _is_address(block: Block) -> bool:
    return (
        block.kind == "paragraph"
        and not block.links
        and block.text.count(",") >= 2
        and bool(re.search(r"\d", block.text))
        and "©" not in block.text
    )


def _complete_address(text: str) -> str:
    """Mailers cut long footer lines: finish a country broken off after “United”."""
    if text.endswith(" United") and _UK_POSTCODE.search(text):
        return text + " Kingdom"
    return text


def _network(url: str, label: str) -> str:
    host = re.sub(r"^www\.", "", (re.match(r"https?://([^/:?#]+)", url) or ["", ""])[1])
    for known, network in _NETWORK_HOSTS:
        if host == known or host.endswith("." + known):
            return network
    for word, network in _NETWORK_LABELS:
        if word in label.lower():
            return network
    return SocialLink.Network.OTHER


def _heading_image_alt(image, title: str) -> str:
    # A section's heading image carries the section's name, as the banner carries
    # the publication's: without alt text the next issue could not be submitted.
    if image is None:
        return ""
    return image.alt or title


def _section_slug(title: str, publication_name: str) -> str:
    words = title.split()
    if words and words[0].lower() in ("current", "latest"):
        words = words[1:]
    name_words = {word.lower() for word in re.split(r"[\s-]+", publication_name)} - {
        "the"
    }
    # “Turing-Roche Strategic Partnership Updates” is “Partnership Updates”.
    run = 0
    while run < len(words) and all(
        part.lower() in name_words for part in words[run].split("-")
    ):
        run += 1
    if 0 < run < len(words):
        words = words[run - 1 :]
    # “… from The Alan Turing Institute and Roche”: the publication's own organisations.
    text = " ".join(words)
    head, sep, tail = text.rpartition(" from ")
    if sep and head and {w.lower() for w in re.split(r"[\s-]+", tail)} & name_words:
        text = head
    return _slug(text) or _slug(title)


def _event_facts(block: Block) -> dict[str, str] | None:
    """An exported event's bold lines, “Date: …”, “Place: …”…, by label."""
    facts = {}
    for line in block.lines:
        label, colon, value = line.partition(":")
        if not colon:
            return None
        facts[label.strip()] = value.strip()
    leading = _LEADING_DATE.match(facts.get("Date", ""))
    return facts if leading and _date(leading[0]) else None


def _event(
    title,
    date,
    body_blocks,
    body,
    cta_label,
    cta_url,
    *,
    facts: dict[str, str] | None = None,
    registration_url: str | None = None,
) -> EventContent:
    """
    The event of an item; where, how and by whom from its ``facts`` when the source
    gives them, else from the words of its text.
    """
    text = " ".join(block.text for block in body_blocks)
    lowered = text.lower()
    held_in = re.search(r"held in ([A-Z][\w ]*?)[,.]", text)
    location = held_in[1] if held_in else ""
    if facts is not None:
        formats = {label.lower(): value for value, label in Event.Format.choices}
        event_format = formats.get(facts.get("Format", "").lower(), "")
        location = facts.get("Place", "")
        organiser = facts.get("Organiser", "")
    else:
        if "hybrid" in lowered:
            event_format = Event.Format.HYBRID
        elif "online" in lowered or "webinar" in lowered or "virtual" in lowered:
            event_format = Event.Format.ONLINE
        elif held_in:
            event_format = Event.Format.IN_PERSON
        else:
            event_format = ""
        organiser = ""
        hosted = re.search(r"\bhosted by (?:the )?(.+?)\.(?:\s|$)", text)
        bringing = re.search(
            r"(?:^|,\s*)(?:the\s+)?([A-Z][^,.]*?)\s+(?:is|are)\s+bringing together",
            text,
        )
        if hosted:
            organiser = hosted[1].rstrip(".")
        elif bringing:
            organiser = bringing[1]
    registration = registration_url
    if registration is None:
        registration = (
            cta_url if re.search(r"regist|book|sign up", cta_label, re.I) else ""
        )
    return EventContent(
        title=title[:300],
        slug=f"{_slug(title, 188)}-{date.isoformat()}",
        start_date=date,
        format=event_format,
        summary=body_blocks[0].text[:300] if body_blocks else "",
        body=body,
        registration_url=registration,
        location=location[:300],
        organiser=organiser[:200],
    )
