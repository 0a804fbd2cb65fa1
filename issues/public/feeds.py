"""
Atom feeds of sent issues: all publications together, and one per publication.

Only sent issues are ever in a feed. Each entry links to the issue's public page and
is summarised by its preheader, or else by the titles of its first items; it is
updated when the issue was sent, or when its last erratum was published.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from issues.models import Erratum, Issue, Item, Publication
from newsroom.core.site import absolute_url

ENTRIES = 20
ITEMS_IN_SUMMARY = 3


class SentIssuesFeed(Feed):
    feed_type = Atom1Feed
    title = "Newsroom: latest issues"
    subtitle = "The latest issues of our newsletters, as readers received them."

    def link(self):
        return absolute_url(reverse("issues:archive"))

    def feed_url(self):
        return absolute_url(reverse("issues:feed"))

    def author_name(self):
        return "Newsroom"

    def issues(self, queryset):
        """The latest sent issues with their items, in two queries."""
        items = Item.objects.in_order().only("issue_id", "title")
        last_erratum = Erratum.objects.filter(issue=OuterRef("pk")).order_by(
            "-published_at"
        )
        return list(
            queryset.sent()
            .defer("frozen_content")
            .annotate(last_erratum_at=Subquery(last_erratum.values("published_at")[:1]))
            .order_by("-sent_at", "-pk")
            .prefetch_related(Prefetch("items", queryset=items, to_attr="feed_items"))[
                :ENTRIES
            ]
        )

    def items(self):
        return self.issues(Issue.objects.select_related("publication"))

    def item_title(self, issue):
        return f"{issue.publication.name}: {issue.display_title}"

    def item_link(self, issue):
        return absolute_url(issue.get_absolute_url())

    def item_guid(self, issue):
        # Stable even if the issue's slug or the site's address changes later.
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{issue.year}-{issue.month:02d}-01:issue-{issue.pk}"

    def item_guid_is_permalink(self, issue):
        return False

    def item_description(self, issue):
        # Atom's <summary type="html">: plain text must reach it escaped.
        if issue.preheader:
            return escape(issue.preheader)
        titles = [item.title for item in issue.feed_items[:ITEMS_IN_SUMMARY]]
        return escape("In this issue: " + "; ".join(titles)) if titles else ""

    def item_pubdate(self, issue):
        return issue.sent_at

    def item_updateddate(self, issue):
        if issue.last_erratum_at and issue.last_erratum_at > issue.sent_at:
            return issue.last_erratum_at
        return issue.sent_at

    def item_author_name(self, issue):
        return issue.publication.name

    def item_author_link(self, issue):
        return absolute_url(issue.publication.get_absolute_url())


class PublicationIssuesFeed(SentIssuesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Publication, slug=slug)

    def title(self, publication):
        return publication.name

    def subtitle(self, publication):
        return f"The latest issues of {publication.name}."

    def link(self, publication):
        return absolute_url(publication.get_absolute_url())

    def feed_url(self, publication):
        return absolute_url(
            reverse("issues:publication_feed", kwargs={"slug": publication.slug})
        )

    def author_name(self, publication):
        return publication.name

    def items(self, publication):
        # The related manager hands each issue its publication: no join needed.
        return self.issues(publication.issues)

    def item_title(self, issue):
        return issue.display_title
