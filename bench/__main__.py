"""
Times the export of the reference issue and of generated 50-, 100- and 200-item
issues (the median of repeated runs, on one core, in a throwaway in-memory SQLite
database) and prints them with the size of their HTML; then the public pages with
20 years of monthly issues (bench/site.py).

    DEBUG=1 python -m bench
"""

import os
import statistics
import sys
import tempfile
import time

RUNS_REFERENCE = 21
RUNS_GENERATED = 7
SIZES = (50, 100, 200)
GOALS_MS = {"reference": 20, 200: 300}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="newsroom-bench-")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from issues.demo import NEWSLETTER
    from issues.editorial.sending import export_issue, render_export
    from issues.export.snapshot import build_snapshot
    from issues.importer.services import import_newsletter
    from issues.models import Issue, MailerProfile

    import_newsletter(source=NEWSLETTER.read_bytes(), publication_slug="turing-roche")
    profile = MailerProfile.objects.get(slug="mailchimp")
    reference = Issue.objects.get(publication__slug="turing-roche", slug="2024-11")

    def live_export(issue):
        # What exporting an issue that is not yet frozen does.
        rendered, text = render_export(snapshot=build_snapshot(issue), profile=profile)
        return rendered.html, text

    rows = []
    html, text = live_export(reference)
    items = sum(len(s["items"]) for s in reference.frozen_content["sections"])
    median = _median(lambda: live_export(reference), RUNS_REFERENCE)
    rows.append(("reference issue (2024-11)", items, median, html, text))
    frozen = _median(
        lambda: export_issue(issue=reference, profile=profile), RUNS_REFERENCE
    )
    rows.append(("reference issue, frozen copy", items, frozen, html, text))

    for count in SIZES:
        issue = _generated_issue(reference, count)
        result = export_issue(issue=issue, profile=profile, force=True)
        median = _median(
            lambda issue=issue: export_issue(issue=issue, profile=profile, force=True),
            RUNS_GENERATED,
        )
        rows.append(("generated issue", count, median, result.html, result.text))

    print(f"Export for {profile.name}, median of repeated runs, one core\n")
    header = f"{'issue':<30} {'items':>5} {'median ms':>10} {'ms/item':>8} "
    header += f"{'HTML KB':>8} {'text KB':>8}"
    print(header)
    print("-" * len(header))
    for label, count, median, html, text in rows:
        print(
            f"{label:<30} {count:>5} {median * 1000:>10.1f} "
            f"{median * 1000 / count:>8.2f} {len(html.encode()) / 1024:>8.1f} "
            f"{len(text.encode()) / 1024:>8.1f}"
        )
    reference_ms = rows[0][2] * 1000
    largest_ms = rows[-1][2] * 1000
    print()
    print(
        f"Goals: reference under {GOALS_MS['reference']} ms "
        f"({'met' if reference_ms < GOALS_MS['reference'] else 'MISSED'}), "
        f"200 items under {GOALS_MS[200]} ms "
        f"({'met' if largest_ms < GOALS_MS[200] else 'MISSED'})."
    )

    from bench import site

    site.run(reference)


def _median(function, runs: int) -> float:
    function()  # warm caches: templates, the inliner, the database's pages
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _generated_issue(reference, count: int):
    """A draft issue of ``count`` items, cycling through the reference's items."""
    from issues.models import Issue, Item

    template_items = list(
        Item.objects.filter(issue=reference).select_related("section")
    )
    issue = Issue.objects.create(
        publication=reference.publication, year=2030 + count // 50, month=1
    )
    Item.objects.bulk_create(
        Item(
            issue=issue,
            section=source.section,
            position=number,
            title=f"{source.title} ({number})",
            body=source.body,
            image_url=source.image_url,
            image_alt=source.image_alt,
            deadline=source.deadline,
            deadline_label=source.deadline_label,
            cta_label=source.cta_label,
            cta_url=source.cta_url,
            event=source.event,
        )
        for number, source in (
            (number, template_items[number % len(template_items)])
            for number in range(count)
        )
    )
    return issue


if __name__ == "__main__":
    sys.exit(main())
