import contextlib
import datetime
import unittest
from urllib.parse import quote

from django.db import connection, transaction
from django.test import TestCase
from django.urls import reverse

from issues.models import Issue
from newsroom.pages.search import excerpt, query_terms, search
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
)

SENT_AT = datetime.datetime(2024, 11, 14, 9, 0, tzinfo=datetime.UTC)
NOT_SENT = [status for status in Issue.Status if status != Issue.Status.SENT]


def search_url(query: str, page=None) -> str:
    url = f"{reverse('search')}?q={query}"
    return url if page is None else f"{url}&page={page}"


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publication = make_publication("Partnership News")
        section = make_section(cls.publication, title="News")
        cls.issue = make_issue(
            cls.publication,
            status=Issue.Status.SENT,
            sent_at=SENT_AT,
            title="The genomics issue",
        )
        cls.item = make_item(
            cls.issue,
            section,
            title="Data Study Group",
            body="<p>A week of <strong>collaborative</strong> hackathons &amp; "
            "talks.</p>",
        )
        make_item(
            cls.issue,
            section,
            title="Annual report",
            body='<p>Read the <a href="https://example.org/quokka" title="airship">'
            "report</a> of our <strong>Turing</strong> fellows.</p>",
        )
        cls.event = make_event(
            "Hackathon on secure health data",
            summary="Two days of collaborative work in Bristol.",
            start_date=datetime.date(2024, 12, 3),
        )
        for month, status in enumerate(NOT_SENT, start=1):
            issue = make_issue(
                cls.publication, month=month, status=status, title="Unsent genomics"
            )
            make_item(issue, section, title="Secret collaborative hackathons")
        make_item(None, None, title="Inbox collaborative hackathons")

    def test_finds_items_by_body_and_links_to_their_anchor(self):
        """A word in an item's body finds it; the result opens the item in its issue."""
        response = self.client.get(search_url("collaborative"))
        self.assertContains(
            response,
            f'<a href="{self.issue.get_absolute_url()}#{self.item.anchor}">'
            "Data Study Group</a>",
            html=True,
        )
        self.assertContains(response, "In Partnership News, The genomics issue")
        self.assertContains(
            response,
            "<p>A week of <mark>collaborative</mark> hackathons &amp; talks.</p>",
        )

    def test_html_is_searched_as_its_text(self):
        """
        The words of a body's tags, link addresses and attributes find nothing; its
        text does, and is shown without tags.
        """
        for query in ("href", "quokka", "example", "airship", "strong"):
            with self.subTest(query=query):
                with self.assertNumQueries(1):
                    response = self.client.get(search_url(query))
                self.assertContains(response, f"Nothing matches “{query}”.")
        with self.assertNumQueries(2):
            response = self.client.get(search_url("report Turing"))
        self.assertContains(response, "1 result for")
        self.assertContains(
            response, "Read the <mark>report</mark> of our <mark>Turing</mark> fellows."
        )
        self.assertNotContains(response, "quokka")

    def test_entities_are_searched_as_the_characters_they_stand_for(self):
        """
        An "&amp;" in a body is the ampersand it stands for: the words around it find
        the item, "amp" does not.
        """
        with self.assertNumQueries(2):
            response = self.client.get(search_url(quote("hackathons & talks")))
        self.assertContains(response, "Data Study Group")
        for query in ("amp", "&amp;"):
            with self.subTest(query=query):
                with self.assertNumQueries(1):
                    response = self.client.get(search_url(quote(query)))
                self.assertContains(response, "Nothing matches")

    def test_excerpts_read_as_the_page_does(self):
        """Formatting neither splits words nor sets punctuation apart in an excerpt."""
        make_item(
            self.issue,
            self.item.section,
            title="Calls",
            body='<p>Read <a href="https://example.org/">the call</a>, for '
            "<strong>fellow</strong>ships.</p><ul><li>Staff</li><li>Students</li></ul>",
        )
        # Found by a word that is whole in the source too: PostgreSQL's index reads
        # the stored HTML, where the bold splits "fellowships".
        response = self.client.get(search_url("students"))
        self.assertContains(
            response, "Read the call, for fellowships. Staff <mark>Students</mark>"
        )

    def test_finds_issues_by_title(self):
        """An issue's title finds the issue."""
        response = self.client.get(search_url("genomics"))
        self.assertContains(
            response,
            f'<a href="{self.issue.get_absolute_url()}">'
            "Partnership News: The genomics issue</a>",
            html=True,
        )
        self.assertContains(response, "1 result for")

    def test_finds_events(self):
        """An event's title or summary finds it, linked to its page."""
        response = self.client.get(search_url("Bristol"))
        self.assertContains(
            response,
            f'<a href="{self.event.get_absolute_url()}">'
            "Hackathon on secure health data</a>",
            html=True,
        )

    def test_every_word_must_match(self):
        """Two words find only what has both."""
        response = self.client.get(search_url("collaborative Bristol"))
        self.assertContains(response, "Hackathon on secure health data")
        self.assertNotContains(response, "Data Study Group")

    def test_never_finds_unsent_issues_or_inbox_items(self):
        """Items and issues not sent, and inbox items, are never results."""
        for query in ("hackathons", "genomics", "Secret", "Inbox"):
            with self.subTest(query=query):
                response = self.client.get(search_url(query))
                self.assertNotContains(response, "Secret collaborative")
                self.assertNotContains(response, "Unsent genomics")
                self.assertNotContains(response, "Inbox collaborative")
        for query in ("Secret", "Inbox", "Unsent"):
            with self.subTest(query=query):
                response = self.client.get(search_url(query))
                self.assertContains(response, f"Nothing matches “{query}”.")

    def test_without_words_asks_for_some(self):
        """An empty search runs no query and says what to type."""
        with self.assertNumQueries(0):
            response = self.client.get(search_url("%20%20"))
        self.assertContains(response, "Type a word or two")
        self.assertNotContains(response, "result")

    def test_no_result_says_so(self):
        """A search that finds nothing says so and suggests where to look."""
        response = self.client.get(search_url("zeppelin"))
        self.assertContains(response, "Nothing matches “zeppelin”.")
        self.assertContains(response, f'href="{reverse("issues:archive")}"')

    def test_query_is_shown_escaped(self):
        """The words searched for are shown as text, in the box and the message."""
        response = self.client.get(search_url("<script>alert(1)</script>"))
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_control_characters_are_spaces(self):
        """A NUL or other control character in the words is read as a space."""
        response = self.client.get(search_url("Data%00Study%1fGroup"))
        self.assertContains(response, "Data Study Group")
        self.assertContains(response, 'value="Data Study Group"')

    def test_long_queries_are_cut_short(self):
        """Only the first ten words, at most 200 characters, are looked for."""
        words = " ".join(f"word{n}" for n in range(30))
        response = self.client.get(search_url(words))
        self.assertContains(response, 'value="word0 word1 word2')
        self.assertContains(response, "word9")
        self.assertNotContains(response, "word10")

    def test_public_cache_headers(self):
        """Search results may be cached by anyone, like every public page."""
        response = self.client.get(search_url("collaborative"))
        self.assertEqual(response["Cache-Control"], "public, max-age=300")
        self.assertIn("ETag", response)

    def test_search_box_on_every_page(self):
        """The site header has a labelled search box that leads here."""
        response = self.client.get(reverse("home"))
        self.assertContains(
            response,
            '<form class="site-search" role="search" action="/search/" method="get">',
        )
        self.assertContains(
            response,
            '<label for="site-search-q">Search issues and events</label>',
            html=True,
        )


class SearchPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication()
        section = make_section(publication)
        cls.issues = []
        for number in range(45):
            year, month = divmod(number, 12)
            issue = make_issue(
                publication,
                year=2020 + year,
                month=month + 1,
                status=Issue.Status.SENT,
            )
            body = "<p>With a bursary.</p>" if number < 3 else ""
            make_item(issue, section, title=f"Fellowship {number}", body=body)

    def test_twenty_results_a_page(self):
        """Results come 20 to a page, newest first, with links to the next pages."""
        first = self.client.get(search_url("fellowship"))
        self.assertContains(first, "45 results for “fellowship”, page 1 of 3.")
        self.assertContains(first, "<h2>", count=20)
        self.assertContains(first, "Fellowship 44")
        self.assertContains(first, 'href="?q=fellowship&amp;page=2" rel="next"')
        self.assertNotContains(first, 'rel="prev"')
        last = self.client.get(search_url("fellowship", page=3))
        self.assertContains(last, "<h2>", count=5)
        self.assertContains(last, "Fellowship 0<")
        self.assertContains(last, '<ol class="search-results" start="41">')

    def test_bad_page_numbers_give_the_nearest_page(self):
        """A page number that is not one gives page 1; past the end, the last page."""
        for page, shown in (("abc", 1), ("-1", 3), ("0", 3), ("99", 3), ("", 1)):
            with self.subTest(page=page):
                response = self.client.get(search_url("fellowship", page=page))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f"page {shown} of 3.")

    def test_query_count_does_not_grow_with_the_results(self):
        """A page of results runs two queries, for 3 matches or 45."""
        for query, count in (("bursary", 3), ("fellowship", 45)):
            with self.subTest(matches=count):
                with self.assertNumQueries(2):
                    response = self.client.get(search_url(query))
                self.assertContains(response, f"{count} results")


@contextlib.contextmanager
def planner_settings(**settings):
    """PostgreSQL planner settings for the block only (its savepoint is undone)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(f"SET LOCAL {name} = {value}")
        yield
        transaction.set_rollback(True)


# The GIN indexes of the issues and events migrations.
SEARCH_INDEXES = ["issues_item_search", "issues_issue_search", "events_event_search"]


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's search only")
class SearchRankTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication("Partnership News")
        section = make_section(publication)
        older = make_issue(
            publication,
            month=10,
            status=Issue.Status.SENT,
            sent_at=SENT_AT - datetime.timedelta(days=31),
            title="Genomics",
            intro="<p>Our <em>genomics</em> programme.</p>",
        )
        newer = make_issue(publication, status=Issue.Status.SENT, sent_at=SENT_AT)
        make_item(older, section, title="Genomics fellowships")
        make_item(newer, section, title="Reading group", body="<p>On genomics.</p>")
        make_event("Data day", summary="Genomics at scale", location="Bristol")
        make_item(newer, section, title="Nothing to do with it")

    def test_titles_rank_above_bodies(self):
        """A word in a title ranks its result above a newer one with it in the text."""
        with self.assertNumQueries(2):
            response = self.client.get(search_url("genomics"))
        self.assertContains(response, "4 results")
        text = response.content.decode()
        self.assertLess(text.index("Genomics fellowships"), text.index("Reading group"))

    def test_every_part_is_read_from_its_index_with_the_same_results(self):
        """
        The planner can read items, issues and events from their GIN indexes (it can
        only if each index's expression is the query's), and the results and their
        ranks are the same as when every document is computed.
        """
        with planner_settings(enable_bitmapscan="off"):
            computed_plan = search("genomics").explain()
            computed = list(search("genomics"))
        # A GIN index is read by bitmap scans alone: with the other ways of reading a
        # table turned off, the planner reads each part from its index if it can.
        with planner_settings(
            enable_seqscan="off", enable_indexscan="off", enable_indexonlyscan="off"
        ):
            indexed_plan = search("genomics").explain()
            indexed = list(search("genomics"))
        for index in SEARCH_INDEXES:
            with self.subTest(index=index):
                self.assertIn(f"Bitmap Index Scan on {index}", indexed_plan)
                self.assertNotIn(index, computed_plan)
        self.assertEqual(len(computed), 4)
        self.assertTrue(all(row["rank"] > 0 for row in computed))
        self.assertEqual(indexed, computed)


class ExcerptTests(TestCase):
    """What a result shows of its text: the words near the first match, marked."""

    def test_starts_a_few_words_before_the_first_match(self):
        text = " ".join(f"word{n}" for n in range(100)) + " fellowships " + "end " * 50
        parts = excerpt(text.strip(), ("fellow",))
        shown = "".join(part for part, _ in parts)
        self.assertTrue(shown.startswith("… word92 word93"))
        self.assertTrue(shown.endswith(" …"))
        self.assertEqual(len(shown.split()), 42)
        self.assertIn(("fellowships", True), parts)

    def test_a_short_text_is_shown_whole_with_every_match_marked(self):
        parts = excerpt("Data study groups: data, and more Data.", ("data", "study"))
        self.assertEqual(
            parts,
            (
                ("Data", True),
                (" ", False),
                ("study", True),
                (" groups: ", False),
                ("data", True),
                (", and more ", False),
                ("Data", True),
                (".", False),
            ),
        )

    def test_only_the_beginnings_of_words_match(self):
        parts = excerpt("Metadata and datasets", ("data",))
        self.assertEqual(parts, (("Metadata and ", False), ("datasets", True)))

    def test_without_a_match_the_text_starts_at_its_beginning(self):
        text = " ".join(f"w{n}" for n in range(60))
        parts = excerpt(text, ("study",))
        self.assertEqual(
            parts, (("w0 w1 " + " ".join(f"w{n}" for n in range(2, 40)) + " …", False),)
        )

    def test_terms_leave_out_the_operators_of_a_web_search(self):
        self.assertEqual(
            query_terms('"data study" or genomics -draft'),
            ("data", "study", "genomics"),
        )

    def test_terms_are_not_patterns(self):
        parts = excerpt("Costs (in £) rose.", ("(in", "£)"))
        self.assertIn(("(in", True), parts)
        self.assertEqual("".join(p for p, _ in parts), "Costs (in £) rose.")
