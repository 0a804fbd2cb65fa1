"""
Search across sent issues (their titles, preheaders and introductions, and their
items' titles and bodies) and events.

Each kind of result is searched in its ``DOCUMENTS`` fields, and those that hold HTML
in their text alone (``searched_text``): never in their tags, link addresses or
attributes.

On PostgreSQL this is full-text search, ranked: titles weigh more than bodies, and the
reader's words are read as a web search (``"exact phrase"``, ``-without``, ``or``).
Its parser tells tags from words, and each document is read from a GIN index of the
very same expression (see ``document``). Elsewhere (SQLite) every word must appear in
one of the fields, HTML read by ``searched_text`` as an SQL function, ranked by date.
Either way the results are one query of three parts, so a page of results costs two
queries (the count and the page) whatever the number of matches. Nothing from an
issue that is not sent is ever searched.

Items are searched as they are now; the page a result links to shows the issue as it
was sent. An erratum made in the item is thus findable, and the link still lands on
the item's anchor.
"""

import calendar
import dataclasses
import datetime
import functools
import operator
import re

from django.db import connection
from django.db.models import (
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import IContains
from django.urls import reverse

from events.models import Event
from issues.models import Issue, Item
from newsroom.core.fields import RichTextField
from newsroom.core.richtext import plain_text

# PostgreSQL's text search configuration: the language of the newsletters.
SEARCH_CONFIG = "english"
# The fields searched, weightiest first: PostgreSQL weighs them A, B, C and D.
DOCUMENTS = {
    Item: ("title", "body"),
    Issue: ("title", "preheader", "intro"),
    Event: ("title", "summary", "body", "location"),
}
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# A result shows this many words of its text, the first match this many words in.
EXCERPT_WORDS = 40
EXCERPT_LEAD = 8

COLUMNS = [
    "kind",
    "result_id",
    "result_title",
    "result_text",
    "publication_slug",
    "publication_name",
    "issue_slug",
    "issue_title",
    "issue_year",
    "issue_month",
    "day",
    "rank",
]


@dataclasses.dataclass(frozen=True)
class Result:
    kind: str  # "item", "issue" or "event"
    title: str
    url: str
    context: str
    day: datetime.date | None
    # Some of the result's text, from near the first word looked for, in parts:
    # (words, is_a_match).
    excerpt: tuple[tuple[str, bool], ...]

    @classmethod
    def from_row(cls, row: dict, terms: tuple[str, ...] = ()) -> "Result":
        kind = row["kind"]
        text = " ".join(searched_text(row["result_text"]).split())
        shown = excerpt(text, terms)
        if kind == "event":
            return cls(
                kind=kind,
                title=row["result_title"],
                url=reverse("events:event", kwargs={"slug": row["issue_slug"]}),
                context="Event",
                day=row["day"],
                excerpt=shown,
            )
        issue_title = row["issue_title"] or (
            f"{calendar.month_name[row['issue_month']]} {row['issue_year']}"
        )
        url = reverse(
            "issues:issue",
            kwargs={"publication": row["publication_slug"], "slug": row["issue_slug"]},
        )
        if kind == "issue":
            return cls(
                kind=kind,
                title=f"{row['publication_name']}: {issue_title}",
                url=url,
                context="Issue",
                day=row["day"],
                excerpt=shown,
            )
        return cls(
            kind=kind,
            title=row["result_title"],
            url=f"{url}#item-{row['result_id']}",
            context=f"In {row['publication_name']}, {issue_title}",
            day=row["day"],
            excerpt=shown,
        )


def query_terms(query: str) -> tuple[str, ...]:
    """The words looked for, without a web search's operators (quotes, -word, or)."""
    return tuple(
        word
        for word in query.replace('"', " ").split()
        if not word.startswith("-") and word.lower() != "or"
    )


def excerpt(text: str, terms: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """
    About ``EXCERPT_WORDS`` words of ``text``, starting a few words before the first
    that begins with a term, cut into parts: (words, False) and (match, True). A word
    is matched by its beginning, so "fellow" marks "fellowships"; PostgreSQL also
    finds other forms of a word ("study" for "studies"), which are left unmarked.
    """
    words = text.split()
    if not words:
        return ()
    pattern = None
    start = 0
    if terms:
        choices = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{choices})\w*", re.IGNORECASE)
        first = next((n for n, w in enumerate(words) if pattern.search(w)), 0)
        start = max(0, first - EXCERPT_LEAD)
    end = start + EXCERPT_WORDS
    shown = " ".join(words[start:end])
    shown = ("… " if start else "") + shown + (" …" if end < len(words) else "")
    if pattern is None:
        return ((shown, False),)
    parts, at = [], 0
    for match in pattern.finditer(shown):
        if match.start() > at:
            parts.append((shown[at : match.start()], False))
        parts.append((match.group(), True))
        at = match.end()
    if at < len(shown):
        parts.append((shown[at:], False))
    return tuple(parts)


def clean_query(query: str) -> str:
    """
    At most ten words and 200 characters. Control characters count as spaces: NUL,
    among them, is refused by PostgreSQL in any string.
    """
    query = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in query)
    return " ".join(query.split()[:MAX_WORDS])[:MAX_QUERY_LENGTH]


def search(query: str):
    """
    The matches for ``query``, best first, as rows of ``COLUMNS`` (see Result).
    A lazy queryset: slicing it for a page runs one query.
    """
    query = clean_query(query)
    matching = _ranked if connection.vendor == "postgresql" else _plain
    items, issues, events = (
        matching(queryset, query)
        for queryset in (
            Item.objects.filter(issue__status=Issue.Status.SENT),
            Issue.objects.sent(),
            Event.objects.all(),
        )
    )
    parts = [
        _shape(
            items,
            kind="item",
            title="title",
            text="body",
            publication="issue__publication",
            issue="issue__",
            day=TruncDate("issue__sent_at"),
        ),
        _shape(
            issues,
            kind="issue",
            title="title",
            text="preheader",
            publication="publication",
            issue="",
            day=TruncDate("sent_at"),
        ),
        _event_shape(events),
    ]
    return (
        parts[0]
        .union(*parts[1:], all=True)
        .order_by("-rank", "-day", "kind", "-result_id")
    )


def _shape(queryset, *, kind, title, text, publication, issue, day):
    return (
        queryset.annotate(
            kind=Value(kind, output_field=CharField()),
            result_id=F("pk"),
            result_title=F(title),
            result_text=F(text),
            publication_slug=F(f"{publication}__slug"),
            publication_name=F(f"{publication}__name"),
            issue_slug=F(f"{issue}slug"),
            issue_title=F(f"{issue}title"),
            issue_year=F(f"{issue}year"),
            issue_month=F(f"{issue}month"),
            day=day,
        )
        .values(*COLUMNS)
        .order_by()
    )


def _event_shape(queryset):
    return (
        queryset.annotate(
            kind=Value("event", output_field=CharField()),
            result_id=F("pk"),
            result_title=F("title"),
            result_text=F("summary"),
            publication_slug=Value("", output_field=CharField()),
            publication_name=Value("", output_field=CharField()),
            # The event's slug, in the column that issues give theirs.
            issue_slug=F("slug"),
            issue_title=Value("", output_field=CharField()),
            issue_year=Value(None, output_field=IntegerField()),
            issue_month=Value(None, output_field=IntegerField()),
            day=F("start_date"),
        )
        .values(*COLUMNS)
        .order_by()
    )


def document(model):
    """
    What PostgreSQL searches in ``model``: its ``DOCUMENTS`` fields, weighted.

    The search indexes (in the issues and events migrations) hold this same expression,
    written out as a migration freezes a model, and PostgreSQL uses an index only while
    it is identical to the query's: a change here needs a migration that rebuilds it.
    """
    from django.contrib.postgres.search import SearchVector

    return functools.reduce(
        operator.add,
        (
            SearchVector(field, weight=weight, config=SEARCH_CONFIG)
            for weight, field in zip("ABCD", DOCUMENTS[model], strict=False)
        ),
    )


def _ranked(queryset, query: str):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    vector = document(queryset.model)
    return (
        queryset.annotate(document=vector)
        .filter(document=search_query)
        .annotate(rank=SearchRank(vector, search_query))
    )


def searched_text(value: str | None) -> str:
    """
    The words of rich text, as a reader sees them: "<p>one</p><p>two</p>" is "one"
    and "two", never "onetwo". Lists have no bullets, which are not words.
    """
    return plain_text(value, bullet="")


class SearchedText(Func):
    """``searched_text`` in SQL, for SQLite (see ``add_searched_text_function``)."""

    function = "searched_text"
    arity = 1
    output_field = TextField()


# A search reads the text of every sent item twice (for the count, then for the page)
# and reading HTML is what costs: each connection keeps this many texts it has read.
SEARCHED_TEXTS_KEPT = 10_000


def add_searched_text_function(sender, connection, **kwargs):
    """Give every new SQLite connection the ``searched_text`` function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "searched_text",
            1,
            functools.lru_cache(maxsize=SEARCHED_TEXTS_KEPT)(searched_text),
            deterministic=True,
        )


def _plain(queryset, query: str):
    model = queryset.model
    texts = [
        SearchedText(field)
        if isinstance(model._meta.get_field(field), RichTextField)
        else F(field)
        for field in DOCUMENTS[model]
    ]
    every_word = Q()
    for word in query.split():
        every_word &= Q(*(IContains(text, word) for text in texts), _connector=Q.OR)
    return queryset.filter(every_word).annotate(
        rank=Value(0.0, output_field=FloatField())
    )
