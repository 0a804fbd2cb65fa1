"""
Server time and queries of the public pages with 20 years of monthly issues, each a
copy of the reference issue's frozen content, through Django's test client (no
network, no server): the median of repeated requests.

Run by ``make bench`` after the export timings, in the same throwaway database.
"""

import datetime
import statistics
import time

YEARS = 20
RUNS = 51
GOALS_MS = {"issue page": 20, "archive": 200}


def run(reference) -> None:
    from django.core.cache import caches
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    issues = _monthly_issues(reference)
    newest = issues[-1]
    client = Client(HTTP_HOST="127.0.0.1")
    issue_url = newest.get_absolute_url()
    etag = client.get(issue_url)["ETag"]
    pages = caches["pages"]

    def cold_issue_page():
        pages.clear()
        return client.get(issue_url)

    def cold_archive():
        pages.clear()
        return client.get(reverse("issues:archive"))

    cases = [
        ("issue page, not cached", cold_issue_page),
        ("issue page, cached", lambda: client.get(issue_url)),
        (
            "issue page, revalidated (304)",
            lambda: client.get(issue_url, headers={"if-none-match": etag}),
        ),
        ("archive, not cached", cold_archive),
        ("archive, cached", lambda: client.get(reverse("issues:archive"))),
        ("home", lambda: client.get(reverse("home"))),
        ("search", lambda: client.get(reverse("search") + "?q=data")),
    ]
    print(
        f"\nPublic pages with {len(issues) + 1} sent issues ({YEARS} years, "
        f"monthly), median of {RUNS} requests, one core\n"
    )
    header = f"{'page':<32} {'status':>6} {'median ms':>10} {'queries':>8} {'KB':>7}"
    print(header)
    print("-" * len(header))
    results = {}
    for label, request in cases:
        response = request()  # warm templates and the database's pages
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            request()
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            request()
            times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1000
        results[label] = median
        print(
            f"{label:<32} {response.status_code:>6} {median:>10.2f} "
            f"{len(queries):>8} {len(response.content) / 1024:>7.1f}"
        )
    issue_ms = results["issue page, not cached"]
    archive_ms = results["archive, not cached"]
    print(
        f"\nGoals: issue page under {GOALS_MS['issue page']} ms uncached "
        f"({'met' if issue_ms < GOALS_MS['issue page'] else 'MISSED'}), archive "
        f"under {GOALS_MS['archive']} ms uncached "
        f"({'met' if archive_ms < GOALS_MS['archive'] else 'MISSED'})."
    )


def _monthly_issues(reference):
    """Sent, frozen copies of the reference issue for every month of 20 years."""
    import copy

    from django.utils import timezone

    from issues.export.snapshot import content_checksum
    from issues.models import Issue

    issues = []
    now = timezone.now()
    for number in range(YEARS * 12):
        year, month = 2000 + number // 12, number % 12 + 1
        if (year, month) == (reference.year, reference.month):
            continue
        snapshot = copy.deepcopy(reference.frozen_content)
        snapshot["issue"].update(
            title="", slug=f"{year}-{month:02d}", year=year, month=month
        )
        sent_at = datetime.datetime(year, month, 14, 9, 0, tzinfo=datetime.UTC)
        issues.append(
            Issue(
                publication=reference.publication,
                year=year,
                month=month,
                slug=f"{year}-{month:02d}",
                preheader=reference.preheader,
                status=Issue.Status.SENT,
                sent_at=sent_at,
                frozen_content=snapshot,
                frozen_content_sha256=content_checksum(snapshot),
                frozen_at=now,
            )
        )
    Issue.objects.bulk_create(issues)
    return list(
        Issue.objects.filter(publication=reference.publication, status="sent")
        .exclude(pk=reference.pk)
        .select_related("publication")
        .order_by("year", "month")
    )
