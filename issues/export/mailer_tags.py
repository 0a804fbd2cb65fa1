"""
Mailers' template tags typed into content: neutralised wherever the export shows
content, and found for the pre-flight checks.

A mailer reads the e-mail it is given as a template of its own: an item titled
“{{7*7}}” would reach Dynamics 365's readers as “49”, a person named “*|UNSUB|*” as
Mailchimp's unsubscribe link. Content is never a template, so at export every tag
delimiter in it is written so that readers see the characters typed and no mailer
sees a tag, whatever the mailer profile (an issue may be exported for another mailer
later). Only the mailer profile's own fields (its links, footer and address) keep
their placeholders: they are never passed through here.

- in the e-mail HTML, as character references (“&#123;&#123;”), which every mail
  program shows as the characters;
- in the plain text, where references mean nothing, with a word joiner (U+2060, which
  takes no room) between the two characters of a delimiter;
- in links, percent-encoded, as browsers send them anyway.

The syntaxes, and where each mailer documents its own:

- ``{{ … }}``: Dynamics 365 Customer Insights (Handlebars, “{{contact.firstname}}”:
  Microsoft Learn, “Add dynamic content to emails”), HubSpot (HubL, “{{
  contact.firstname }}”: developers.hubspot.com, “HubL syntax”), Brevo (“{{
  contact.FIRSTNAME }}”: help.brevo.com, “Personalize your emails”), Listmonk (Go
  templates, “{{ .Subscriber.Name }}”: listmonk.app/docs/templating), Mailjet's
  template language (“{{var:firstname}}”: dev.mailjet.com, “Template language”).
- ``{% … %}``: conditions and loops in HubL, Brevo and Mailjet's template language
  (the same pages).
- ``{# … #}``: HubL comments, whose words disappear.
- ``{$…}``: MailerLite (“{$name}”, “{$unsubscribe}”: mailerlite.com help, “How to
  use merge tags”).
- ``*|…|*``: Mailchimp (mailchimp.com/help, “All the merge tags cheat sheet”).
- ``[[…]]``: Mailjet's older syntax (“[[var:firstname]]”, “[[UNSUB_LINK_EN]]”).
- ``[firstname,fallback=]``, ``[unsubscribe]``: Campaign Monitor (help.
  campaignmonitor.com, “Personalization tags”), and Sendy, which reads the same.
- ``%%…%%``: Salesforce Marketing Cloud (“%%FirstName%%”, AMPscript's “%%=v(@x)=%%”:
  developer.salesforce.com, “Personalization strings”) and Account Engagement,
  formerly Pardot (“%%first_name%%”).

``<$…$>`` is no mailer's syntax we know of (it is Movable Type's); in HTML a “<” from
content is written “&lt;” anyway.
"""

import dataclasses
import html
import re
import secrets
from collections.abc import Callable

WORD_JOINER = "\u2060"

# Between the two characters of a delimiter: {{ }} {% %} {# #} {$ *| |* [[ ]] %%.
_INSIDE_DELIMITER = re.compile(
    r"(?<=\{)(?=[{%#$])|(?<=[}%#])(?=\})"
    r"|(?<=\*)(?=\|)|(?<=\|)(?=\*)"
    r"|(?<=\[)(?=\[)|(?<=\])(?=\])"
    r"|(?<=%)(?=%)"
)
# The “[” of what Campaign Monitor may read as a tag: a word in brackets. Written
# differently it costs nothing, so every one is, not only the tags it knows.
_BRACKET_TAG = re.compile(r"\[(?=[A-Za-z][^\[\]\n]*\])")
_DELIMITERS = frozenset("{}%#$*|[]")
# Every delimiter holds one of these: most words hold none, and are left at once.
_MIGHT_OPEN_OR_CLOSE = re.compile(r"[{}%*|\[\]]")
_SCHEME_AND_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_MARKUP = re.compile(r"<[^>]*>")
_LINK_ATTRIBUTE = re.compile(r"""(\b(?:href|src)\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")

# The keys of the snapshot that are never shown as words or followed as links.
_NOT_SHOWN = frozenset(
    {
        "file",
        "slug",
        "anchor",
        "kind",
        "brand_colour",
        "network",
        "date",
        "start_date",
        "end_date",
        "sent_at",
    }
)
_RICH_TEXT = frozenset({"body", "intro"})


@dataclasses.dataclass(frozen=True)
class Syntax:
    mailers: tuple[str, ...]
    # A whole tag, as the warnings quote it.
    pattern: str


SYNTAXES = (
    Syntax(
        ("Dynamics 365", "HubSpot", "Brevo", "Listmonk", "Mailjet"),
        r"\{\{.{0,200}?\}\}+",
    ),
    Syntax(("HubSpot", "Brevo", "Mailjet"), r"\{%.{0,200}?%\}"),
    Syntax(("HubSpot",), r"\{#.{0,200}?#\}"),
    Syntax(("MailerLite",), r"\{\$[^{}]{1,200}\}"),
    Syntax(("Mailchimp",), r"\*\|.{1,200}?\|\*"),
    Syntax(("Mailjet",), r"\[\[.{1,200}?\]\]"),
    Syntax(
        ("Campaign Monitor",),
        r"\[[A-Za-z][\w ]*,\s*fallback=[^\]\n]*\]|(?i:\[(?:firstname|lastname"
        r"|fullname|email|unsubscribe|webversion|forwardtoafriend|currentday"
        r"|currentdayname|currentmonth|currentmonthname|currentyear)\])",
    ),
    Syntax(
        ("Salesforce Marketing Cloud", "Account Engagement (Pardot)"),
        r"%%.{1,200}?%%",
    ),
)
_TAG = re.compile(
    "|".join(f"(?P<s{number}>{s.pattern})" for number, s in enumerate(SYNTAXES)),
    re.DOTALL,
)
_MIGHT_HOLD_A_TAG = re.compile(r"[{\[]|\*\||%%|&")


@dataclasses.dataclass(frozen=True)
class FoundTag:
    text: str
    mailers: tuple[str, ...]


def found_tags(text: str) -> list[FoundTag]:
    """The tags in ``text`` that a mailer would read, in order."""
    if not text or not _MIGHT_HOLD_A_TAG.search(text):
        return []
    return [
        FoundTag(match.group(), SYNTAXES[int(match.lastgroup[1:])].mailers)
        for match in _TAG.finditer(text)
    ]


def found_in_rich_text(fragment: str) -> list[FoundTag]:
    """
    The tags in the words of ``fragment`` as a reader sees them, emphasis and all
    taken off, then those in its links.
    """
    if not fragment or not _MIGHT_HOLD_A_TAG.search(fragment):
        return []
    found = found_tags(html.unescape(_MARKUP.sub("", fragment)))
    for _, link in _LINK_ATTRIBUTE.findall(fragment):
        found += found_tags(html.unescape(link[1:-1]))
    return found


def in_text(text: str) -> str:
    """``text`` for the plain-text part: a word joiner inside every delimiter."""
    if not _MIGHT_OPEN_OR_CLOSE.search(text):
        return text
    text = _INSIDE_DELIMITER.sub(WORD_JOINER, text)
    return _BRACKET_TAG.sub("[" + WORD_JOINER, text)


def in_link(url: str) -> str:
    """
    ``url`` with its delimiters percent-encoded: the same link to a browser, which
    encodes them itself, but none to a mailer. A bracketed IPv6 host stays as it is.
    """
    host = _SCHEME_AND_HOST.match(url)
    split = host.end() if host else 0
    return _each_delimiter(url[:split], _percent_encoded, brackets=False) + (
        _each_delimiter(url[split:], _percent_encoded)
    )


def in_rich_text(fragment: str, words: Callable[[str], str]) -> str:
    """
    The rich text ``fragment`` with ``words`` applied to its text and attributes and
    its links percent-encoded. A delimiter written as a character reference is taken
    as the character: the reference would be read, and the tag with it.
    """
    if "&" in fragment:
        fragment = _REFERENCE.sub(_delimiter_reference_as_itself, fragment)
    out = []
    written = 0
    for markup in _MARKUP.finditer(fragment):
        out.append(words(fragment[written : markup.start()]))
        out.append(words(_LINK_ATTRIBUTE.sub(_link_attribute, markup.group())))
        written = markup.end()
    out.append(words(fragment[written:]))
    return "".join(out)


def shown_content(snapshot: dict, words: Callable[[str], str]) -> dict:
    """
    A copy of the content ``snapshot`` with ``words`` applied to everything shown as
    words, its rich text through ``in_rich_text`` and its links through ``in_link``.
    """
    return _shown(snapshot, "", words)


class EntityMarks:
    """
    The HTML part's ``words``: each delimiter marked with letters and digits, which
    MJML and the inliner leave as they are, and written as a character reference
    by ``written_out`` once the e-mail is inlined. A reference written any earlier
    would not last: css-inline reads every reference and writes the character.
    The marks are new for each e-mail, so no content can hold one.
    """

    def __init__(self):
        self.prefix = f"nrtag{secrets.token_hex(8)}x"
        self._mark = re.compile(re.escape(self.prefix) + "([0-9a-f]{2})")

    def __call__(self, text: str) -> str:
        return _each_delimiter(text, lambda char: f"{self.prefix}{ord(char):02x}")

    def written_out(self, document: str) -> str:
        return self._mark.sub(lambda match: f"&#{int(match[1], 16)};", document)


def _shown(value, key: str, words: Callable[[str], str]):
    if isinstance(value, dict):
        return {name: _shown(item, name, words) for name, item in value.items()}
    if isinstance(value, list):
        return [_shown(item, key, words) for item in value]
    if not isinstance(value, str) or key in _NOT_SHOWN:
        return value
    if key == "src" or key.endswith("url"):
        return in_link(value)
    if key in _RICH_TEXT:
        return in_rich_text(value, words)
    return words(value)


def _each_delimiter(
    text: str, written: Callable[[str], str], *, brackets: bool = True
) -> str:
    """``text`` with every character of a tag delimiter as ``written`` gives it."""
    if not _MIGHT_OPEN_OR_CLOSE.search(text):
        return text
    positions = set()
    for match in _INSIDE_DELIMITER.finditer(text):
        positions.update((match.start() - 1, match.start()))
    if brackets:
        positions.update(match.start() for match in _BRACKET_TAG.finditer(text))
    if not positions:
        return text
    return "".join(
        written(char) if number in positions else char
        for number, char in enumerate(text)
    )


def _percent_encoded(char: str) -> str:
    # Its neighbour encoded, “#”, “$” and “*” open no tag, and stay as they mean.
    return char if char in "#$*" else f"%{ord(char):02X}"


def _link_attribute(match: re.Match) -> str:
    quote = match.group(2)[0]
    url = in_link(html.unescape(match.group(2)[1:-1]))
    return f"{match.group(1)}{quote}{html.escape(url, quote=True)}{quote}"


def _delimiter_reference_as_itself(match: re.Match) -> str:
    char = html.unescape(match.group())
    return char if char in _DELIMITERS else match.group()
