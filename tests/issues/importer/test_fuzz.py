"""
The importer fuzzed: whatever file it is given, it imports it or refuses it with a
reason (UnreadableNewsletter, ImportRefused); it never fails in any other way, and a
refused file leaves the database as it was.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from issues.demo import NEWSLETTER
from issues.importer.services import (
    ImportRefused,
    UnreadableNewsletter,
    import_newsletter,
)
from issues.models import Issue, Publication
from tests import examples

REFERENCE = NEWSLETTER.read_text().splitlines(keepends=True)

FUZZ_SETTINGS = settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# Pieces a newsletter is made of, to be put together in the wrong ways.
HTML_PIECES = [
    "<h1>Partnership News</h1>",
    "<h2>November 2024</h2>",
    "<h2>News and opportunities</h2>",
    "<h2>Events</h2>",
    "<h2>Team</h2>",
    "<h2>Connect with us</h2>",
    "<h3>Summer school</h3>",
    "<h3></h3>",
    "<p><strong>Application deadline: 20 November 2024</strong></p>",
    "<p><strong>Deadline: 31 February 2024</strong></p>",
    "<p><strong>3 December 2024</strong></p>",
    "<p>Some words &amp; more.</p>",
    '<p><a href="https://example.org/apply">Apply now</a></p>',
    '<p><a href="javascript:alert(1)">Click</a></p>',
    '<p><a href="https://eur01.safelinks.protection.outlook.com/?url=%%%">x</a></p>',
    '<img src="https://assets.example.org/a.png" alt="A picture">',
    '<img src="data:image/png;base64,AAAA">',
    "<ul><li>Ada Lovelace, Analytical Engines, Lead</li><li>, ,</li></ul>",
    "<p>© Partnership 2024</p>",
    "<p>1 Example Street, London NW1 2DB</p>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<script>alert(1)</script>",
    "<p>" + "long " * 300 + "</p>",
]


@st.composite
def mangled_reference(draw) -> str:
    """The reference file with lines dropped, repeated, swapped and typed into."""
    lines = list(REFERENCE)
    for _ in range(draw(st.integers(1, 12))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "type", "cut"]))
        if action == "drop":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "type":
            noise = draw(st.text(max_size=20))
            cut = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:cut] + noise + lines[index][cut:]
        else:
            lines = lines[:index]
    return "".join(lines)


html_documents = st.lists(st.sampled_from(HTML_PIECES), min_size=1, max_size=25).map(
    lambda pieces: "<html><body>" + "".join(pieces) + "</body></html>"
)


class ImporterFuzzTests(TestCase):
    def assert_imports_or_refuses(self, source, *, dry_run=True):
        counts = (Publication.objects.count(), Issue.objects.count())
        try:
            import_newsletter(source=source, dry_run=dry_run)
        except (UnreadableNewsletter, ImportRefused) as error:
            self.assertTrue(str(error).strip())
            self.assertEqual(
                (Publication.objects.count(), Issue.objects.count()), counts
            )

    @FUZZ_SETTINGS
    @given(mangled_reference())
    def test_mangled_markdown(self, source):
        """A damaged copy of the reference file is imported or refused with a reason."""
        self.assert_imports_or_refuses(source)

    def test_a_link_python_cannot_read_is_refused_not_a_crash(self):
        """
        "https://[host…" with no closing bracket, typed into an image's address,
        leaves that link out with the others refused, as the fuzzing once found.
        """
        source = "".join(REFERENCE).replace(
            "![](https://assets-gbr", "![](https://[assets-gbr", 1
        )
        self.assertIn("https://[assets-gbr", source)
        self.assert_imports_or_refuses(source)

    @FUZZ_SETTINGS
    @given(html_documents)
    def test_jumbled_html(self, source):
        """An e-mail's pieces in any order are imported or refused with a reason."""
        self.assert_imports_or_refuses(source)

    @FUZZ_SETTINGS
    @given(st.binary(max_size=2000) | st.text(max_size=2000))
    def test_arbitrary_bytes_and_text(self, source):
        """Any bytes or text at all are imported or refused with a reason."""
        self.assert_imports_or_refuses(source)

    @settings(max_examples=examples(5), deadline=None, database=None)
    @given(mangled_reference())
    def test_mangled_markdown_saved(self, source):
        """Saved for real, a damaged file is still imported or refused, nothing else."""
        self.assert_imports_or_refuses(source, dry_run=False)
