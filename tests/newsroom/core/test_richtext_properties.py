"""
Properties of the sanitiser on generated input: markup built from the pieces attacks
are made of (dangerous elements, event handlers, encoded and broken-up schemes, foreign
namespaces, unclosed tags), mixed with the formatting editors really use.
"""

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.core.richtext import clean_html
from tests import examples
from tests.newsroom.core.test_richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_SCHEMES,
    HTML_NAMESPACE,
    TagCollector,
    elements,
    link_scheme,
    parse,
    split_tag,
)

TAGS = [
    *ALLOWED_ATTRIBUTES,
    "script",
    "style",
    "svg",
    "math",
    "mi",
    "mglyph",
    "foreignObject",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "input",
    "textarea",
    "select",
    "option",
    "img",
    "video",
    "source",
    "base",
    "meta",
    "link",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "title",
    "table",
    "td",
    "div",
    "span",
    "details",
    "annotation-xml",
]
ATTRIBUTES = [
    "href",
    "title",
    "src",
    "srcdoc",
    "style",
    "class",
    "id",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onfocus",
    "autofocus",
    "ONERROR",
    "on error",
]
SCHEMES = [
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java&#x09;script:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "\x01javascript:",
    " javascript:",
    "vbscript:",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml,",
    "livescript:",
    "https://example.org/",
    "http://example.org/",
    "mailto:someone@example.org",
    "//example.org/",
    "/relative",
    "",
]
TEXT = st.lists(
    st.sampled_from([*"ab <>&\"'=/;:()`\\\x00\t\n-!?", "alert(1)", "&lt;", "&#0;"]),
    max_size=12,
).map("".join)


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    if name in {"href", "src", "action", "formaction", "xlink:href", "data"}:
        value = draw(st.sampled_from(SCHEMES)) + draw(TEXT)
    else:
        value = draw(TEXT)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if not quote:
        value = value.replace(" ", "").replace(">", "")
    return f" {name}={quote}{value}{quote}"


@st.composite
def element(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(draw(st.lists(attribute(), max_size=3)))
    children = ""
    if depth < 3:
        children = "".join(
            draw(
                st.lists(
                    st.one_of(TEXT, element(depth=depth + 1)),
                    max_size=3,
                )
            )
        )
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag.upper()}>"]))
    return f"<{tag}{attributes}>{children}{closing}"


fragments = st.lists(st.one_of(TEXT, element()), min_size=1, max_size=4).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


class SanitiserPropertyTests(SimpleTestCase):
    @PROPERTY_SETTINGS
    @given(fragments)
    def test_cleaning_is_idempotent(self, fragment):
        """Cleaning what was cleaned gives it back unchanged."""
        once = clean_html(fragment)
        self.assertEqual(clean_html(once), once)

    @PROPERTY_SETTINGS
    @given(fragments)
    def test_output_holds_nothing_executable(self, fragment):
        """
        As a browser parses the output: only allowed elements in the HTML namespace,
        only their allowed attributes, no event handler, links http(s) or mailto.
        """
        output = clean_html(fragment)
        for kind, node in elements(parse(output)):
            self.assertEqual(kind, "element", output)
            namespace, name = split_tag(node.tag)
            self.assertEqual(namespace, HTML_NAMESPACE, output)
            self.assertIn(name, ALLOWED_ATTRIBUTES, output)
            for name_of_attribute, value in node.attrib.items():
                self.assertIn(name_of_attribute, ALLOWED_ATTRIBUTES[name], output)
                if name_of_attribute == "href":
                    self.assertIn(link_scheme(value), ALLOWED_SCHEMES, output)

    @PROPERTY_SETTINGS
    @given(fragments)
    def test_a_second_parser_agrees(self, fragment):
        """Python's own HTML parser finds no comment, no other tag, no bad link."""
        output = clean_html(fragment)
        collector = TagCollector()
        collector.feed(output)
        collector.close()
        self.assertEqual(collector.other, [], output)
        for tag, attributes in collector.tags:
            self.assertIn(tag, ALLOWED_ATTRIBUTES, output)
            for name, value in attributes:
                self.assertIn(name, ALLOWED_ATTRIBUTES[tag], output)
                if name == "href":
                    self.assertIn(link_scheme(value or ""), ALLOWED_SCHEMES, output)
