"""
The one place where rich text is made safe, where link targets are checked, and where
rich text is read back as plain text.

Every path that stores rich text calls ``clean_html`` (through ``RichTextField``, which
stores what it returns, a ``CleanHTML``, without cleaning it again), and every stored
link goes through ``is_allowed_url`` (through ``SafeURLField``). bleach
does the work today; its maintainers have deprecated it, so nothing outside this module
knows which library is underneath, and swapping it means changing this file and its
tests only.

How ``clean_html`` works: the text is parsed the way a browser parses it (html5lib, an
implementation of the HTML standard's parsing algorithm), and the resulting tree is
walked as a stream of tokens through four filters before it is written out again:

1. elements whose content is code, markup or form state (``<script>``, ``<style>``,
   ``<svg>``, ``<textarea>``…) are dropped together with everything inside them;
2. bleach's sanitiser keeps the allowed tags and attributes and strips every other tag,
   keeping its text;
3. every link target is checked with ``is_allowed_url``, as the browser would read it;
4. the elements kept are checked to be where the parser would put them again: when a
   stripped tag (a table cell) was all that kept one list item inside another, the
   text goes through once more, so that cleaning it again changes nothing.

Working on the parsed tree rather than on the source text is what makes spellings such
as ``<scr<script>ipt>``, ``</script >``, an unclosed ``<script>`` or ``<SCRIPT>``
harmless: whatever the spelling, they end up as the element a browser would have built,
or as text, never as something in between.

``plain_text`` reads cleaned rich text once and writes it as text, for everything that
shows it without its formatting (the e-mail's plain-text version, calendars, search,
lists of errata, revision diffs), so that all of them agree on what its words,
paragraphs and list items are; only how links are written and the list bullet vary.
"""

import html
import re
import threading
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from bleach.html5lib_shim import (
    HTML_TAGS_BLOCK_LEVEL,
    BleachHTMLParser,
    BleachHTMLSerializer,
    Filter,
    getTreeWalker,
    namespaces,
)
from bleach.sanitizer import BleachSanitizerFilter
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements whose content is code, markup, media fallbacks or form state rather than
# prose: dropped whole, not just unwrapped, so that no script text ends up shown as
# words in an e-mail.
DROPPED_WITH_CONTENT = frozenset(
    {
        "applet",
        "audio",
        "button",
        "canvas",
        "datalist",
        "embed",
        "form",
        "frame",
        "frameset",
        "head",
        "iframe",
        "math",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "option",
        "optgroup",
        "plaintext",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
        "video",
        "xmp",
    }
)

# Links open where they are clicked: no ``target`` attribute is allowed, so a linked
# page never gets a handle on the newsletter's window and rel="noopener" would change
# nothing. rel="noreferrer" is left off on purpose: partner sites see that their
# visitors came from the newsletter, which is part of why they ask to be featured.

_HTML_NAMESPACE = namespaces["html"]

_HEADINGS = frozenset({"h3", "h4"})
# The allowed elements whose start tag closes an open paragraph.
_CLOSES_A_PARAGRAPH = frozenset({"p", "ul", "ol", "li", *_HEADINGS})

# How many times the text is run through the filters at most. One pass is enough unless
# stripping a tag left markup that the parser builds differently (a table cell that
# kept one list item inside another); the result must not change when it is cleaned
# again.
_MAX_PASSES = 4

_local = threading.local()


# Control characters other than tab and line breaks: nobody means to type them (an
# escape from a terminal, a form feed from a PDF), HTML calls them parse errors and
# XML, and so mrml, refuses them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def drop_control_characters(value: str) -> str:
    """``value`` without control characters, keeping tabs and line breaks."""
    return _CONTROL_CHARACTERS.sub("", value)


class CleanHTML(str):
    """
    What ``clean_html`` returns: rich-text fields store it without cleaning it again.
    Only ``clean_html`` makes one; anything done to it (``strip()``, ``+``) gives back
    a plain ``str``.
    """

    __slots__ = ()


def clean_html(value: str | None) -> CleanHTML:
    """Return ``value`` as HTML holding only the allowed tags, attributes and links."""
    if not value:
        return CleanHTML()
    cleaned, settled = _clean_once(drop_control_characters(value))
    for _ in range(_MAX_PASSES - 1):
        if settled:
            break
        again, settled = _clean_once(cleaned)
        settled = settled or again == cleaned
        cleaned = again
    return CleanHTML(cleaned)


def _clean_once(value: str) -> tuple[str, bool]:
    """``value`` through the filters, and whether cleaning that would change nothing."""
    parser, walker, serializer = _tools()
    tree = parser.parseFragment(value)
    stream = _DropCodeFilter(walker(tree))
    stream = BleachSanitizerFilter(
        source=stream,
        allowed_tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_protocols=ALLOWED_SCHEMES,
        strip_disallowed_tags=True,
        strip_html_comments=True,
    )
    nesting = _NestingFilter(_LinkFilter(stream))
    return serializer.render(nesting).strip(), nesting.settled


def _tools():
    """The parser, tree walker and serializer of this thread: none is thread-safe."""
    tools = getattr(_local, "tools", None)
    if tools is None:
        # tags=None: the parser builds the tree exactly as a browser would, so that a
        # <script> is a script element with its text inside, whatever follows it.
        parser = BleachHTMLParser(
            tags=None, strip=True, consume_entities=False, namespaceHTMLElements=False
        )
        serializer = BleachHTMLSerializer(
            quote_attr_values="always",
            # Always double quotes: bleach only handles entities in values it writes
            # between double quotes.
            quote_char='"',
            omit_optional_tags=False,
            escape_lt_in_attrs=True,
            resolve_entities=False,
            sanitize=False,
            alphabetical_attributes=False,
        )
        tools = _local.tools = (parser, getTreeWalker("etree"), serializer)
    return tools


class _DropCodeFilter(Filter):
    """Drop code-like elements and anything outside the HTML namespace, with content."""

    def __iter__(self):
        depth = 0
        emitted = False
        for token in super().__iter__():
            kind = token["type"]
            if depth:
                # The stream comes from a tree, so every start tag has its end tag.
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if kind in ("StartTag", "EmptyTag") and self._dropped(token):
                if kind == "StartTag":
                    depth = 1
                continue
            if (
                kind == "StartTag"
                and emitted
                and token["name"] not in ALLOWED_TAGS
                and token["name"] in HTML_TAGS_BLOCK_LEVEL
            ):
                # A <div> that is stripped still separated its text from the text
                # before it.
                yield {"type": "Characters", "data": "\n"}
            emitted = True
            yield token

    @staticmethod
    def _dropped(token) -> bool:
        namespace = token.get("namespace")
        if namespace is not None and namespace != _HTML_NAMESPACE:
            return True
        return token["name"].lower() in DROPPED_WITH_CONTENT


class _LinkFilter(Filter):
    """Keep a link's target only if it is an absolute http(s) or mailto link."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attributes = {}
                for name, value in (token.get("data") or {}).items():
                    if name == (None, "href"):
                        target = _link_target(value)
                        if target is None:
                            continue
                        # The serializer keeps what is already written as an entity,
                        # so a literal "&" has to be written as one.
                        value = target.replace("&", "&amp;")
                    attributes[name] = value
                token["data"] = attributes
            yield token


class _NestingFilter(Filter):
    """
    Notes whether the parser would build the output into the tree it was written
    from. It always does, unless a stripped element (a table cell, a <div>…) was all
    that kept a paragraph from holding a block, a list item from holding another, a
    heading from holding another or a link from holding another: then the output is
    cleaned again.
    """

    settled = True

    def __iter__(self):
        open_elements: list[str] = []
        for token in super().__iter__():
            if token["type"] == "StartTag":
                name = token["name"]
                if self.settled and _rebuilt_by_parser(name, open_elements):
                    self.settled = False
                open_elements.append(name)
            elif token["type"] == "EndTag":
                open_elements.pop()
            yield token


def _rebuilt_by_parser(name: str, open_elements: list[str]) -> bool:
    """Whether the HTML parser would close an open element on reading ``<name>``."""
    if name in _CLOSES_A_PARAGRAPH and "p" in open_elements:
        return True
    if name in _HEADINGS:
        return bool(open_elements) and open_elements[-1] in _HEADINGS
    if name == "a":
        return "a" in open_elements
    if name == "li":
        for element in reversed(open_elements):
            if element in ("ul", "ol", *_HEADINGS):
                return False
            if element == "li":
                return True
    return False


def _link_target(raw: str) -> str | None:
    """``raw``, an href as written in the source, as the browser will follow it."""
    # The parser leaves character references in attribute values as written;
    # the browser decodes them before it looks at the scheme.
    url = html.unescape(raw)
    # The URL parser ignores leading and trailing controls and spaces, and tabs and
    # newlines anywhere ("java\tscript:" is a javascript: link).
    url = url.strip("".join(map(chr, range(0x21))))
    url = re.sub(r"[\t\n\r]", "", url)
    url = url.replace(" ", "%20")
    if not is_allowed_url(url):
        return None
    scheme, _, rest = url.partition(":")
    return f"{scheme.lower()}:{rest}"


_http_url = URLValidator(schemes=["http", "https"])

# Never part of a link someone means to share: controls, spaces, and characters that
# browsers and e-mail clients disagree about (a backslash is a slash to a browser).
_REFUSED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\\<>\"`]")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Zs"})


def is_allowed_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) link to a host, or a mailto: address."""
    if not isinstance(value, str) or not value:
        return False
    if _REFUSED_IN_URL.search(value) or any(
        unicodedata.category(character) in _REFUSED_CATEGORIES for character in value
    ):
        return False
    scheme, colon, rest = value.partition(":")
    if not colon:
        return False
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        return _is_http_url(value)
    if scheme == "mailto":
        return _is_mailto_url(rest)
    return False


def _is_http_url(value: str) -> bool:
    try:
        _http_url(value)
        parts = urlsplit(value)
    except (ValidationError, ValueError):
        return False
    # "https://www.example.org@elsewhere.example/" goes to elsewhere.example: a link
    # with a user name in it is a disguise, never something an editor needs.
    return bool(parts.hostname) and "@" not in parts.netloc


def _is_mailto_url(rest: str) -> bool:
    addresses = unquote(rest.partition("?")[0])
    if not addresses or addresses.startswith("/"):
        return False
    for address in addresses.split(","):
        try:
            validate_email(address)
        except ValidationError:
            return False
    return True


# How a link is written in plain text, given its words and its target.
type LinkWriter = Callable[[str, str], str]


def plain_text(
    value: str | None, *, link: LinkWriter | None = None, bullet: str = "- "
) -> str:
    """
    Cleaned rich text as plain text: paragraphs, headings and lists apart by a blank
    line, each list item on a line of its own after ``bullet``, a line break where
    there is a <br>, and spaces collapsed as a browser shows them. A link is written
    by ``link(words, target)``, or as its words alone.
    """
    return _read(value, link, bullet).text if value else ""


def spelled_out(words: str, target: str) -> str:
    """A link as "its words (its target)", or its words alone if they are its target."""
    return words if words.strip() == target else f"{words} ({target})"


def link_targets(value: str | None) -> list[str]:
    """
    Every link target in ``value``, the href and src of any element: for checking
    rich text that may have reached the database without passing ``clean_html``.
    """
    if not value or not _TARGET_ATTRIBUTE.search(value):
        return []
    return _read(value).targets


def _read(
    value: str, link: LinkWriter | None = None, bullet: str = ""
) -> "_TextReader":
    reader = _TextReader(link, bullet)
    reader.feed(value)
    reader.close()
    return reader


_PARAGRAPH_BREAK = "\n\n"
_LINE_BREAK = "\n"
_PARAGRAPHS = frozenset({"p", *_HEADINGS})
_LISTS = frozenset({"ul", "ol"})
_TARGETS = frozenset({"href", "src"})
_TARGET_ATTRIBUTE = re.compile("href|src", re.IGNORECASE)


class _TextReader(HTMLParser):
    """
    Rich text read once from start to end, its text written a block at a time.

    Python's own parser reads the HTML ``clean_html`` writes (every element closed,
    every "<" and "&" of the text escaped) as a browser does, several times faster
    than html5lib, and leaves the text independent of the library that cleans.
    """

    def __init__(self, link: LinkWriter | None, bullet: str):
        super().__init__(convert_charrefs=True)
        self.link_writer = link
        self.bullet = bullet
        self.blocks: list[str] = []
        # What separates the next block from the last one written.
        self.separator = ""
        # The text of the block being read, in pieces; an open link's words are the
        # pieces from ``link_start`` on.
        self.pieces: list[str] = []
        self.link_target: str | None = None
        self.link_start = 0
        self.marker = ""
        self.lists = 0
        self.targets: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.blocks)

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.pieces.append("\n")
        elif tag in _PARAGRAPHS:
            self.end_block(_PARAGRAPH_BREAK)
        elif tag in _LISTS:
            self.end_block(_LINE_BREAK if self.lists else _PARAGRAPH_BREAK)
            self.lists += 1
        elif tag == "li":
            self.end_block(_LINE_BREAK)
            # A list in a list item is indented under it.
            self.marker = "  " * max(self.lists - 1, 0) + self.bullet
        elif tag == "a":
            self.end_link()
            # The first href counts, as browsers read it.
            self.link_target = next((v for n, v in attrs if n == "href"), None)
            self.link_start = len(self.pieces)
        self.targets += [value or "" for name, value in attrs if name in _TARGETS]

    def handle_endtag(self, tag):
        if tag in _PARAGRAPHS:
            self.end_block(_PARAGRAPH_BREAK)
        elif tag in _LISTS:
            self.lists = max(self.lists - 1, 0)
            self.end_block(_LINE_BREAK if self.lists else _PARAGRAPH_BREAK)
        elif tag == "li":
            self.end_block(_LINE_BREAK)
            self.marker = ""
        elif tag == "a":
            self.end_link()

    def handle_data(self, data):
        # Only a <br> breaks a line; a line break of the source is a space.
        self.pieces.append(data.replace("\n", " "))

    def close(self):
        super().close()
        self.end_link()
        self.end_block("")

    def end_link(self) -> None:
        target, self.link_target = self.link_target, None
        if target is not None and self.link_writer is not None:
            words = "".join(self.pieces[self.link_start :])
            self.pieces[self.link_start :] = [self.link_writer(words, target)]

    def end_block(self, separator: str) -> None:
        if self.link_target is not None:
            # A link around paragraphs is written with the first that has words.
            if "".join(self.pieces[self.link_start :]).strip():
                self.end_link()
            else:
                self.link_start = 0
        block = _block_text("".join(self.pieces)) if self.pieces else ""
        self.pieces.clear()
        if not block:
            self.separator = max(self.separator, separator, key=len)
            return
        if self.blocks:
            self.blocks.append(self.separator)
        self.blocks += [self.marker, block]
        self.separator = separator
        self.marker = ""


_BLANK_LINES = re.compile(r"\n{3,}")


def _block_text(text: str) -> str:
    """``text`` with spaces collapsed, and no more than one blank line in a row."""
    if "\n" not in text:
        return " ".join(text.split())
    lines = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", lines).strip("\n")
