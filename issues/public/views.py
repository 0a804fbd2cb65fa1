import hashlib
from itertools import groupby

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static

from issues.models import Issue, Publication
from newsroom.core.caching import public_page


@public_page
def archive(request):
    """
    Every sent issue, by year. The page is kept in the ``pages`` cache under the
    number of sent issues and their last change, read in one small query: sending,
    editing or deleting an issue renews it at once, and anything else (a publication
    renamed) within PUBLIC_CACHE_MAX_AGE.
    """
    sent = Issue.objects.sent().order_by()
    version = sent.aggregate(count=Count("pk"), changed=Max("updated_at"))
    version = f"{version['count']}:{version['changed']}:{static('newsroom/site.css')}"
    key = "archive:" + hashlib.sha256(version.encode()).hexdigest()
    cache = caches["pages"]
    html = cache.get(key)
    if html is None:
        # Listing issues never needs their frozen content, the largest of their fields.
        issues = (
            Issue.objects.sent()
            .defer("frozen_content")
            .select_related("publication")
            .order_by("-year", "-month", "publication__name")
        )
        years = [
            (year, list(issues_of_year))
            for year, issues_of_year in groupby(issues, key=lambda issue: issue.year)
        ]
        html = render_to_string(
            "issues/issue_archive.html", {"years": years}, request=request
        )
        cache.set(key, html, timeout=settings.PUBLIC_CACHE_MAX_AGE)
    return HttpResponse(html)


@public_page
def publication(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    # The related manager hands each issue its publication, for get_absolute_url().
    issues = list(publication.issues.sent().defer("frozen_content"))
    return render(
        request,
        "issues/publication_detail.html",
        {"publication": publication, "issues": issues},
    )
