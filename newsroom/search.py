"""
Search across sent issues (their titles, preheaders and introductions, and their
items' titles and bodies) and events.

On PostgreSQL this is full-text search, ranked: titles weigh more than bodies, and the
reader's words are read as a web search (``"exact phrase"``, ``-without``, ``or``).
Elsewhere (SQLite) every word must appear in the title or the text, ranked by date.
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
import html

from django.db import connection
from django.db.models import CharField, F, FloatField, IntegerField, Q, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.html import strip_tags

from events.models import Event
from issues.models import Issue, Item

# PostgreSQL's text search configuration: the language of the newsletters.
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10

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
    text: str
    url: str
    context: str
    day: datetime.date | None

    @classmethod
    def from_row(cls, row: dict) -> "Result":
        kind = row["kind"]
        text = html.unescape(strip_tags(row["result_text"] or ""))
        if kind == "event":
            return cls(
                kind=kind,
                title=row["result_title"],
                text=text,
                url=reverse("events:event", kwargs={"slug": row["issue_slug"]}),
                context="Event",
                day=row["day"],
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
                text=text,
                url=url,
                context="Issue",
                day=row["day"],
            )
        return cls(
            kind=kind,
            title=row["result_title"],
            text=text,
            url=f"{url}#item-{row['result_id']}",
            context=f"In {row['publication_name']}, {issue_title}",
            day=row["day"],
        )


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
    if connection.vendor == "postgresql":
        items, issues, events = _ranked(query)
    else:
        items, issues, events = _plain(query)
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


def _sent_items():
    return Item.objects.filter(issue__status=Issue.Status.SENT)


def _plain(query: str):
    words = query.split()

    def every_word(*fields):
        condition = Q()
        for word in words:
            any_field = Q()
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": word})
            condition &= any_field
        return condition

    no_rank = Value(0.0, output_field=FloatField())
    return (
        _sent_items().filter(every_word("title", "body")).annotate(rank=no_rank),
        Issue.objects.filter(status=Issue.Status.SENT)
        .filter(every_word("title", "preheader", "intro"))
        .annotate(rank=no_rank),
        Event.objects.filter(
            every_word("title", "summary", "body", "location")
        ).annotate(rank=no_rank),
    )


def _ranked(query: str):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)

    def vector(*fields):
        weights = "ABCD"
        combined = None
        for weight, field in zip(weights, fields, strict=False):
            part = SearchVector(field, weight=weight, config=SEARCH_CONFIG)
            combined = part if combined is None else combined + part
        return combined

    def matching(queryset, *fields):
        document = vector(*fields)
        return (
            queryset.annotate(document=document)
            .filter(document=search_query)
            .annotate(rank=SearchRank(document, search_query))
        )

    return (
        matching(_sent_items(), "title", "body"),
        matching(
            Issue.objects.filter(status=Issue.Status.SENT),
            "title",
            "preheader",
            "intro",
        ),
        matching(Event.objects.all(), "title", "summary", "body", "location"),
    )
