from itertools import groupby

from django.shortcuts import get_object_or_404, render

from issues.models import Issue, Publication
from newsroom.caching import public_page


@public_page
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


@public_page
def publication(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    # The related manager hands each issue its publication, for get_absolute_url().
    issues = list(publication.issues.sent())
    return render(
        request,
        "issues/publication_detail.html",
        {"publication": publication, "issues": issues},
    )
