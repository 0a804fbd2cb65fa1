"""
The first stage: the file as the document its readers saw. Markdown is turned into
HTML, so that the stages after this one serve both. What readers never see goes
(hidden elements, comments, the mailer's merge tags); the hidden preheader is kept
aside; every link is taken back to where it leads (``issues.importer.unwrap``), and
a link that is not http(s) or mailto keeps its words but stops being a link.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import markdown
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

from issues.importer.reader.errors import UnreadableNewsletter
from issues.importer.reader.text import words
from issues.importer.unwrap import LinkReport
from newsroom.core.richtext import drop_control_characters, is_allowed_url

# The brand colour of a new publication: the source's colours live in its images.
DEFAULT_BRAND_COLOUR = "#1F4E79"

# Placeholders mailers fill in on sending: Mailchimp's *|UNSUB|*, Dynamics 365's
# {{…}}, Salesforce's %%…%%, and the like.
MERGE_TAG = re.compile(r"\*\|[^|]+\|\*|\{\{[^}]+\}\}|%%[^%]+%%|\[\[[^\]]+\]\]")

_HTML_TAG = re.compile(
    r"<(!doctype\s+html|html|head|body|table|div|center|h1)\b", re.IGNORECASE
)
_SPACE = re.compile(r"\s*")
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_HEX_COLOUR = re.compile(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{6})\b")


@dataclass
class Document:
    # The file as text, as it was read.
    text: str
    source_format: str  # "markdown" or "html"
    soup: BeautifulSoup
    # Where a text is in the Markdown source, searching from a line on; HTML
    # elements know their own lines.
    line_of: Callable[[str, int], int] | None
    preheader: str
    brand_colour: str


def read_document(data: bytes | str, links: LinkReport) -> Document:
    """The document in ``data``, its links unwrapped and recorded in ``links``."""
    text = decode(data)
    if "\x00" in text:
        raise UnreadableNewsletter("this is not a text file: it holds binary data", 1)
    # Titles and names are stored as they are read: without stray control characters.
    text = drop_control_characters(text)
    if is_html(text):
        source_format, html, line_of = "html", text, None
    else:
        source_format, html = "markdown", markdown.markdown(text)
        line_of = _line_finder(text)
    soup = BeautifulSoup(html, "html.parser")
    preheader = _take_hidden(soup)
    _drop_comments(soup)
    _settle_spaces(soup)
    _unwrap_links(soup, links)
    _keep_images(soup, links)
    return Document(
        text=text,
        source_format=source_format,
        soup=soup,
        line_of=line_of,
        preheader=preheader[:200],
        brand_colour=_brand_colour(soup),
    )


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
    """
    Whether ``text``, past blank space and comments, starts with a tag that opens an
    e-mail's HTML. Read in one pass: a pattern that skipped the comments itself could
    backtrack through every way of splitting them, for ever on a few hundred bytes.
    """
    position = _SPACE.match(text).end()
    while text.startswith("<!--", position):
        end = text.find("-->", position + 4)
        if end == -1:
            return False
        position = _SPACE.match(text, end + 3).end()
    return bool(_HTML_TAG.match(text, position))


def _line_finder(source: str) -> Callable[[str, int], int]:
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


def _take_hidden(soup: BeautifulSoup) -> str:
    """Drop what is hidden from readers; return the preheader, hidden above the name."""
    preheader = ""
    for element in soup.find_all(style=_HIDDEN):
        if not preheader and element.find_previous(["h1"]) is None:
            preheader = words(element.get_text())
        element.decompose()
    return preheader


def _drop_comments(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment | Doctype)):
        comment.extract()


def _settle_spaces(soup: BeautifulSoup) -> None:
    """Spaces as readers see them."""
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


def _unwrap_links(soup: BeautifulSoup, links: LinkReport) -> None:
    for link in soup.find_all("a", href=True):
        if MERGE_TAG.search(link["href"]):
            # The mailer's placeholder (unsubscribe, web version…): its words stay.
            link.unwrap()
            continue
        url = links.add(link["href"]).url
        if is_allowed_url(url):
            link["href"] = url
            continue
        if url and not url.startswith("#"):
            links.refused.append(url)
        link.unwrap()


def _keep_images(soup: BeautifulSoup, links: LinkReport) -> None:
    for image in soup.find_all("img"):
        src = image.get("src", "")
        if MERGE_TAG.search(src):
            image.decompose()
            continue
        src = links.add(src).url if src else ""
        if is_allowed_url(src) and not src.startswith("mailto:"):
            image["src"] = src
        else:
            # Embedded (data:, cid:) or relative: no picture to keep a link to.
            image.decompose()


def _brand_colour(soup: BeautifulSoup) -> str:
    """The colour of the publication's name, as the e-mail shows it."""
    heading = soup.find("h1")
    found = _HEX_COLOUR.search(heading.get("style", "")) if heading else None
    return found[1] if found else DEFAULT_BRAND_COLOUR
