from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from issues.models import Issue, Item, Publication, Section


def archive(request):
    issues = list(Issue.objects.sent().select_related("publication"))
    years = [(year, list(group)) for year, group in groupby(issues, key=lambda i: i.year)]
    return render(request, "issues/issue_archive.html", {"years": years})


def publication(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    issues = list(publication.issues.sent())
    return render(
        request,
        "issues/publication_detail.html",
        {"publication": publication, "issues": issues},
    )


def issue(request, publication, slug):
    # Only sent issues are public; any other status is a 404, as if it did not exist.
    issue = get_object_or_404(
        Issue.objects.sent().select_related("publication"),
        publication__slug=publication,
        slug=slug,
    )
    items = (
        Item.objects.filter(issue=issue).select_related("event").in_order()
    )
    sections = list(
        Section.objects.filter(publication=issue.publication_id)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="issue_items"))
    )
    return render(
        request,
        "issues/issue_detail.html",
        {
            "issue": issue,
            "sections": [s for s in sections if s.issue_items],
        },
    )
