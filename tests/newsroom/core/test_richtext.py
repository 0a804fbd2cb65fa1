import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from unittest import mock

from bleach.html5lib_shim import BleachHTMLParser
from django.test import SimpleTestCase

from newsroom.core.richtext import (
    CleanHTML,
    clean_html,
    is_allowed_url,
    link_targets,
    plain_text,
    spelled_out,
)
from tests.newsroom.core.xss_corpus import CORPUS, SCRIPT_TAGS

try:
    import html5lib
except ImportError:  # bleach ships its own copy.
    from bleach._vendor import html5lib

# What the rich text of an item or an event may hold, as the product promises it;
# written out here rather than imported so that the tests check the promise.
ALLOWED_ATTRIBUTES = {
    "p": set(),
    "br": set(),
    "a": {"href", "title"},
    "strong": set(),
    "em": set(),
    "b": set(),
    "i": set(),
    "ul": set(),
    "ol": set(),
    "li": set(),
    "h3": set(),
    "h4": set(),
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# Elements whose content is code or markup: none of the text inside them may be shown.
DROPPED_WITH_CONTENT = {
    "applet",
    "embed",
    "frameset",
    "iframe",
    "math",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "plaintext",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "xmp",
}

HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def parse(fragment: str):
    """The tree a browser builds from ``fragment`` (HTML5 parsing, scripting on)."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    return parser.parseFragment(fragment, scripting=True)


def split_tag(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return HTML_NAMESPACE, tag


def elements(tree):
    """Every element under ``tree`` and every comment, as (kind, element) pairs."""
    for element in tree.iter():
        if element is tree:
            continue
        yield ("comment" if not isinstance(element.tag, str) else "element"), element


def text_of(tree) -> str:
    return "".join(tree.itertext())


def link_scheme(href: str) -> str | None:
    """The scheme a browser would see in ``href`` (already entity-decoded)."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", href).lower())
    return match.group(1) if match else None


def dropped_text(vector: str) -> list[str]:
    """The text that a browser would hold inside code-like elements of ``vector``."""
    found = []
    for kind, element in elements(parse(vector)):
        if kind != "element":
            continue
        namespace, name = split_tag(element.tag)
        if name.lower() in DROPPED_WITH_CONTENT or namespace != HTML_NAMESPACE:
            found.extend(piece.strip() for piece in element.itertext() if piece.strip())
    return found


class TagCollector(HTMLParser):
    """What the standard library's parser finds in a fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.other = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.other.append(("comment", data))

    def handle_decl(self, decl):
        self.other.append(("declaration", decl))

    def handle_pi(self, data):
        self.other.append(("processing instruction", data))

    def unknown_decl(self, data):
        self.other.append(("declaration", data))


class AttackCorpusTests(SimpleTestCase):
    """Every hostile input comes out as allowed formatting, safe links and text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cleaned = [(vector, clean_html(vector)) for vector in CORPUS]

    def test_corpus_covers_enough_distinct_vectors(self):
        """The corpus holds at least 150 distinct hostile inputs."""
        self.assertGreaterEqual(len(CORPUS), 150)
        self.assertEqual(len(set(CORPUS)), len(CORPUS))

    def test_only_allowed_tags_survive(self):
        """No element outside the allow-list, and no comment, reaches the output."""
        for vector, output in self.cleaned:
            with self.subTest(vector=vector):
                for kind, element in elements(parse(output)):
                    self.assertEqual(kind, "element", output)
                    namespace, name = split_tag(element.tag)
                    self.assertEqual(namespace, HTML_NAMESPACE, output)
                    self.assertIn(name, ALLOWED_ATTRIBUTES, output)

    def test_only_allowed_attributes_survive(self):
        """Only href and title on links survive; no event handler on anything."""
        for vector, output in self.cleaned:
            with self.subTest(vector=vector):
                for _, element in elements(parse(output)):
                    _, name = split_tag(element.tag)
                    for attribute in element.attrib:
                        self.assertFalse(attribute.lower().startswith("on"), output)
                        self.assertIn(attribute, ALLOWED_ATTRIBUTES[name], output)

    def test_every_link_is_http_https_or_mailto(self):
        """Each href left, as the browser decodes it, is an http(s) or mailto link."""
        for vector, output in self.cleaned:
            with self.subTest(vector=vector):
                for _, element in elements(parse(output)):
                    if "href" in element.attrib:
                        self.assertIn(
                            link_scheme(element.attrib["href"]), ALLOWED_SCHEMES, output
                        )

    def test_text_of_dropped_elements_is_never_shown(self):
        """What was inside a script, style, svg… does not turn up as visible text."""
        checked = 0
        for vector, output in self.cleaned:
            shown = text_of(parse(output))
            for hidden in dropped_text(vector):
                checked += 1
                with self.subTest(vector=vector, hidden=hidden):
                    self.assertNotIn(hidden, shown)
        # The check above must have had something to check.
        self.assertGreater(checked, 50)

    def test_script_payloads_never_survive_a_script_element(self):
        """The payload of a script tag, in any spelling that makes one, is gone."""
        for vector in SCRIPT_TAGS:
            has_script = any(
                split_tag(element.tag)[1] == "script"
                for kind, element in elements(parse(vector))
                if kind == "element"
            )
            if has_script:
                with self.subTest(vector=vector):
                    self.assertNotIn("alert(", text_of(parse(clean_html(vector))))

    def test_another_parser_reads_the_output_the_same_way(self):
        """Python's own HTML parser also finds only allowed tags and safe links."""
        for vector, output in self.cleaned:
            with self.subTest(vector=vector):
                collector = TagCollector()
                collector.feed(output)
                collector.close()
                self.assertEqual(collector.other, [], output)
                for tag, attributes in collector.tags:
                    self.assertIn(tag, ALLOWED_ATTRIBUTES, output)
                    for name, value in attributes:
                        self.assertIn(name, ALLOWED_ATTRIBUTES[tag], output)
                        if name == "href":
                            self.assertIn(link_scheme(value), ALLOWED_SCHEMES, output)

    def test_cleaning_twice_changes_nothing(self):
        """Cleaning clean text gives it back unchanged, so saving twice is harmless."""
        for vector, output in self.cleaned:
            with self.subTest(vector=vector):
                self.assertEqual(clean_html(output), output)

    def test_cleaning_is_safe_from_several_threads_at_once(self):
        """Requests cleaning text at the same time do not mix up each other's text."""
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(clean_html, CORPUS * 3))
        self.assertEqual(results, [output for _, output in self.cleaned] * 3)


class ScriptSpellingTests(SimpleTestCase):
    """However a script tag is spelt, no script and none of its text gets through."""

    def test_spellings(self):
        """Unclosed, upper-case, spaced and nested script tags leave no script."""
        cases = [
            ("<p>Hello</p><script>alert(1)", "<p>Hello</p>"),
            ("<p>Hello</p><SCRIPT>alert(1)</SCRIPT>", "<p>Hello</p>"),
            ("<p>Hello</p><script>alert(1)</script >", "<p>Hello</p>"),
            ("<p>Hello</p><script>alert(1)</script\t\n>", "<p>Hello</p>"),
            ("<script><script>alert(1)</script></script><p>Hello</p>", "<p>Hello</p>"),
            # A browser makes an element called "scr<script" out of this, and shows
            # the rest as text: what is left is harmless text, not a script.
            ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
            ("<p>Hello<!--<script>alert(1)</script>--></p>", "<p>Hello</p>"),
            ("<p>Hello</p><style>p{color:red}</style>", "<p>Hello</p>"),
            ("<p>Hello</p><svg><script>alert(1)</script></svg>", "<p>Hello</p>"),
            ("<p>Hello</p><textarea><b>x</b></textarea>", "<p>Hello</p>"),
        ]
        for source, expected in cases:
            with self.subTest(source=source):
                self.assertEqual(clean_html(source), expected)

    def test_event_handler_leaves_the_element_and_its_text(self):
        """An onclick goes, the paragraph and its words stay."""
        self.assertEqual(
            clean_html('<p onclick="alert(1)">Deadline extended</p>'),
            "<p>Deadline extended</p>",
        )

    def test_dangerous_link_keeps_its_words(self):
        """A javascript: link loses its target but not the words it was on."""
        self.assertEqual(
            clean_html('<p>See <a href="JaVaScRiPt:alert(1)">the call</a>.</p>'),
            "<p>See <a>the call</a>.</p>",
        )

    def test_relative_link_loses_its_target(self):
        """A link that only works on the site it was copied from is not kept."""
        self.assertEqual(clean_html('<a href="/news/">news</a>'), "<a>news</a>")


class BenignFormattingTests(SimpleTestCase):
    """What editors write comes back exactly as they wrote it."""

    def test_paragraph_with_a_link(self):
        """A paragraph with a titled link comes back unchanged."""
        html = (
            '<p>Read the <a href="https://www.example.org/report" title="Report">'
            "full report</a>.</p>"
        )
        self.assertEqual(clean_html(html), html)

    def test_lists(self):
        """Bulleted and numbered lists come back unchanged."""
        html = "<ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol>"
        self.assertEqual(clean_html(html), html)

    def test_subheadings_and_line_breaks(self):
        """Subheadings and line breaks come back unchanged."""
        html = "<h3>Funding</h3><h4>Who can apply</h4><p>Staff<br>and students</p>"
        self.assertEqual(clean_html(html), html)

    def test_control_characters_are_dropped(self):
        """Stray control characters vanish; tabs and line breaks stay."""
        self.assertEqual(
            clean_html("<p>Data\x1b[0m study\x07 group\x0c\x7f:\tnow\nopen</p>"),
            "<p>Data[0m study group:\tnow\nopen</p>",
        )

    def test_mailto_link(self):
        """A mailto: link comes back unchanged."""
        html = '<p>Write to <a href="mailto:news@example.org">the editors</a>.</p>'
        self.assertEqual(clean_html(html), html)

    def test_bold_and_italic_kept(self):
        """Both spellings of bold and of italic are kept."""
        html = "<p><b>Bold</b>, <strong>strong</strong>, <i>italic</i>, <em>em</em></p>"
        self.assertEqual(clean_html(html), html)

    def test_query_string_ampersands(self):
        """A link with several parameters keeps them all, written as &amp;."""
        self.assertEqual(
            clean_html('<a href="https://example.org/?a=1&b=2">x</a>'),
            '<a href="https://example.org/?a=1&amp;b=2">x</a>',
        )

    def test_text_with_entities_and_accents(self):
        """Entities, accents and typographic quotes are kept."""
        html = "<p>Q&amp;A – café, naïve “quotes” &lt;3</p>"
        self.assertEqual(clean_html(html), html)

    def test_bare_ampersand_is_escaped(self):
        """A lone "&" is written as &amp;, which shows the same."""
        self.assertEqual(clean_html("<p>R & D</p>"), "<p>R &amp; D</p>")

    def test_link_scheme_and_spaces_tidied(self):
        """An upper-case scheme and spaces around the target do not cost the link."""
        self.assertEqual(
            clean_html('<a href="  HTTPS://www.example.org/ ">site</a>'),
            '<a href="https://www.example.org/">site</a>',
        )

    def test_word_paste_is_reduced_to_its_text(self):
        """Classes, spans and Office tags go; the paragraph and its words stay."""
        self.assertEqual(
            clean_html(
                '<p class="MsoNormal"><span style="font-size:11pt">Save the date'
                "</span><o:p></o:p></p>"
            ),
            "<p>Save the date</p>",
        )

    def test_stripped_blocks_keep_their_text_apart(self):
        """Two pasted <div>s do not run their words together."""
        self.assertEqual(clean_html("<div>One</div><div>Two</div>"), "One\nTwo")

    def test_empty_values(self):
        """No text gives an empty string, and whitespace around the HTML is trimmed."""
        self.assertEqual(clean_html(""), "")
        self.assertEqual(clean_html(None), "")
        self.assertEqual(clean_html("  <p></p>  "), "<p></p>")


def counting_parses():
    """Counts the sanitiser's parses of HTML, letting each take place."""
    return mock.patch.object(
        BleachHTMLParser,
        "parseFragment",
        autospec=True,
        side_effect=BleachHTMLParser.parseFragment,
    )


class ParsesTests(SimpleTestCase):
    """Text is parsed once, unless stripping a tag left markup parsed otherwise."""

    def test_pasted_text_is_parsed_once(self):
        """Spans, <div>s and attributes stripped leave nothing to parse again."""
        with counting_parses() as parse:
            cleaned = clean_html(
                '<div class="x"><p><span style="x"><b>Save</b> the <a href='
                '"https://example.org/" onclick="x()">date</a></span></p></div>'
                "<div><ul><li>Staff</li></ul></div>"
            )
        self.assertEqual(parse.call_count, 1)
        self.assertEqual(
            cleaned,
            '<p><b>Save</b> the <a href="https://example.org/">date</a></p>\n'
            "<ul><li>Staff</li></ul>",
        )

    def test_markup_the_parser_builds_otherwise_is_cleaned_again(self):
        """
        A list item that a stripped table cell kept inside another, and likewise a
        heading in a heading or a link in a link, is cleaned until it holds.
        """
        cases = {
            "<ul><li>one<table><tr><td><li>two</li></td></tr></table></li></ul>": (
                "<ul><li>one\n</li><li>two</li></ul>"
            ),
            "<h3>one<table><td><h4>two</h4></td></table></h3>": (
                "<h3>one\n</h3><h4>two</h4>"
            ),
            '<a href="https://x.example/">one<table><td><a href="https://y.example/">'
            "two</a></td></table></a>": (
                '<a href="https://x.example/">one\n</a>'
                '<a href="https://y.example/">two</a>'
            ),
        }
        for html, expected in cases.items():
            with self.subTest(html=html), counting_parses() as parse:
                self.assertEqual(clean_html(html), expected)
                self.assertEqual(parse.call_count, 2)
                self.assertEqual(clean_html(str(expected)), expected)

    def test_what_it_returns_is_marked_clean_until_changed(self):
        """Cleaned text is a CleanHTML; anything made from it is a plain str."""
        cleaned = clean_html("<p>One</p>")
        self.assertIsInstance(cleaned, CleanHTML)
        self.assertIs(type(cleaned + "<script>"), str)
        self.assertIs(type(cleaned.strip()), str)
        self.assertIs(type(cleaned.replace("One", "<script>")), str)


class PlainTextTests(SimpleTestCase):
    """Rich text as plain text, as the e-mail, calendars, search and lists show it."""

    def test_paragraphs_headings_and_lists_are_apart_by_a_blank_line(self):
        self.assertEqual(
            plain_text(
                "<h3>Funding</h3><p>Who can apply:</p><ul><li>Staff</li>"
                "<li>Students</li></ul><ol><li>First</li></ol><p>Apply now.</p>"
            ),
            "Funding\n\nWho can apply:\n\n- Staff\n- Students\n\n- First\n\nApply now.",
        )

    def test_spaces_collapse_and_line_breaks_stay(self):
        """Spaces and line breaks of the source collapse; a <br> is a line break."""
        self.assertEqual(
            plain_text(
                "<p>  Staff\n  and <b>students</b>&nbsp; <br>of the<br><br>"
                "<br>partners <br></p>"
            ),
            "Staff and students\nof the\n\npartners",
        )

    def test_inline_formatting_does_not_split_words(self):
        self.assertEqual(
            plain_text(
                '<p><b>Fellow</b>ships: read <a href="https://x.example/">'
                "the call</a>.</p>"
            ),
            "Fellowships: read the call.",
        )

    def test_entities_are_the_characters_they_stand_for(self):
        self.assertEqual(plain_text("<p>Q&amp;A &lt;3 caf&eacute;</p>"), "Q&A <3 café")

    def test_text_outside_paragraphs_is_kept_apart(self):
        self.assertEqual(
            plain_text("Before<p>Inside</p>After"), "Before\n\nInside\n\nAfter"
        )

    def test_lists_in_list_items_are_indented(self):
        self.assertEqual(
            plain_text(
                "<ul><li>One<ul><li>One and a half</li></ul></li><li>Two</li></ul>"
            ),
            "- One\n  - One and a half\n- Two",
        )

    def test_empty_blocks_and_list_items_leave_nothing(self):
        self.assertEqual(
            plain_text("<p></p><ul><li> </li><li>One</li></ul><p><br></p>"), "- One"
        )
        self.assertEqual(plain_text(""), "")
        self.assertEqual(plain_text(None), "")

    def test_bullet(self):
        self.assertEqual(plain_text("<ul><li>One</li></ul>", bullet=""), "One")

    def test_links_are_their_words_or_as_link_writes_them(self):
        html = (
            '<p>See <a href="https://x.example/?a=1&amp;b=2">the call</a> or '
            '<a href="https://y.example/">https://y.example/</a>.</p>'
        )
        self.assertEqual(plain_text(html), "See the call or https://y.example/.")
        self.assertEqual(
            plain_text(html, link=spelled_out),
            "See the call (https://x.example/?a=1&b=2) or https://y.example/.",
        )
        self.assertEqual(
            plain_text(html, link=lambda words, target: f"[{words}]"),
            "See [the call] or [https://y.example/].",
        )

    def test_link_around_paragraphs_is_written_with_the_first(self):
        self.assertEqual(
            plain_text(
                '<p>Read</p><a href="https://x.example/"><p>the call</p></a>',
                link=spelled_out,
            ),
            "Read\n\nthe call (https://x.example/)",
        )

    def test_link_targets_of_any_element(self):
        """The href and src of every element, for HTML that skipped the sanitiser."""
        self.assertEqual(
            link_targets(
                '<p><a HREF="javascript:x()" href="https://x.example/">a</a>'
                '<img src="data:x"><a>b</a><a href="ftp://x.example/">'
            ),
            ["javascript:x()", "https://x.example/", "data:x", "ftp://x.example/"],
        )
        self.assertEqual(link_targets(""), [])


class AllowedURLTests(SimpleTestCase):
    allowed = [
        "https://www.example.org/",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/Path?q=1#part",
        "https://example.org:8443/events",
        "https://xn--caf-dma.example/",
        "https://café.example/menu",
        "https://example.org/a%20b",
        "https://example.org/?a=1&b=2",
        "https://192.0.2.1/",
        "https://[2001:db8::1]/",
        "mailto:news@example.org",
        "MAILTO:news@example.org",
        "mailto:news@example.org?subject=Hello%20there",
        "mailto:news@example.org,editor@example.org",
    ]
    refused = [
        "",
        None,
        42,
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\x00script:alert(1)",
        "\x01https://example.org/",
        " https://example.org/",
        "https://example.org/ ",
        "https://example.org/\x00",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/",
        "tel:+441234567890",
        "//example.org/",
        "/relative/path",
        "example.org",
        "www.example.org",
        "https://",
        "https:///path",
        "http:example.org",
        "https:\\\\example.org",
        "https://user:secret@example.org/",
        "https://www.example.org@evil.example/",
        "https://exa mple.org/",
        "https://example.org/\u200b",
        "\u202ehttps://example.org/",
        "https://example.org/\u00a0",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/<script>",
        "http://example",
        "mailto:",
        "mailto:nobody",
        "mailto:@example.org",
        "mailto://news@example.org",
        "mailto:news@example.org%0Abcc:x@example.org",
    ]

    def test_allowed(self):
        """Absolute http(s) links to a host and mailto addresses are allowed."""
        for value in self.allowed:
            with self.subTest(value=value):
                self.assertIs(is_allowed_url(value), True)

    def test_refused(self):
        """Other schemes, hidden characters, relative and disguised links are not."""
        for value in self.refused:
            with self.subTest(value=value):
                self.assertIs(is_allowed_url(value), False)

    def test_table_is_large_enough(self):
        """The table checks at least 30 links."""
        self.assertGreaterEqual(len(self.allowed) + len(self.refused), 30)
