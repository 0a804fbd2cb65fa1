from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from issues.models import Issue, Item, Publication, Section


def archive(request):
    issues = (
        Issue.objects.sent()
        .select_related("publication")
        .order_by("-year", "-month", "publication__name")
    )
    years = [
        (year, list(issues_of_year))
        for year, issues_of_year in groupby(issues, key=lambda issue: issue.year)
    ]
    return render(request, "issues/issue_archive.html", {"years": years})


def publication(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    # The related manager hands each issue its publication, for get_absolute_url().
    issues = list(publication.issues.sent())
    return render(
        request,
        "issues/publication_detail.html",
        {"publication": publication, "issues": issues},
    )


def issue(request, publication, slug):
    # Only sent issues are public: any other status is a 404, as if it did not exist.
    issue = get_object_or_404(
        Issue.objects.sent().select_related(
            "publication", "publication__contact", "publication__team"
        ),
        publication__slug=publication,
        slug=slug,
    )
    publication = issue.publication
    items = (
        Item.objects.filter(issue=issue)
        .select_related("event")
        .order_by("position", "pk")
    )
    sections = list(
        publication.sections.order_by("position", "pk").prefetch_related(
            Prefetch("items", queryset=items, to_attr="issue_items")
        )
    )
    team_members = []
    if publication.team and any(
        section.kind == Section.Kind.TEAM for section in sections
    ):
        team_members = list(publication.team.members_on(issue.date))
    sections = [
        section
        for section in sections
        if section.issue_items or (section.kind == Section.Kind.TEAM and team_members)
    ]
    return render(
        request,
        "issues/issue_detail.html",
        {
            "issue": issue,
            "publication": publication,
            "sections": sections,
            "team_members": team_members,
            "social_links": list(publication.social_links.all()),
        },
    )
