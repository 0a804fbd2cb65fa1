"""
The sitemap: the public pages worth indexing, at the address in ``SITE_URL``.

Listed: the home page, the archive, the events page, every sent issue, every event
(past ones keep their pages), every publication with at least one sent issue, and
the people on a team today with their teams. Nothing that is not sent is listed.
Each section costs one query, whatever its size.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from issues.models import Erratum, Issue, Publication
from people.models import Person, Team, TeamMembership


class SiteSitemap(Sitemap):
    """Locations under ``SITE_URL``, whichever host the sitemap was asked through."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    def items(self):
        return ["home", "issues:archive", "events:list"]

    def location(self, name):
        return reverse(name)


class IssueSitemap(SiteSitemap):
    def items(self):
        # The frozen content is large, and not needed for the address.
        issues = Issue.objects.sent().defer("frozen_content")
        last_erratum = Erratum.objects.filter(issue=OuterRef("pk")).order_by(
            "-published_at"
        )
        return list(
            issues.select_related("publication").annotate(
                last_erratum_at=Subquery(last_erratum.values("published_at")[:1])
            )
        )

    def lastmod(self, issue):
        # An erratum changes the issue's page.
        return max(filter(None, [issue.sent_at, issue.last_erratum_at]))


class PublicationSitemap(SiteSitemap):
    def items(self):
        return list(
            Publication.objects.annotate(
                last_sent_at=Max(
                    "issues__sent_at", filter=Q(issues__status=Issue.Status.SENT)
                )
            ).filter(last_sent_at__isnull=False)
        )

    def lastmod(self, publication):
        return publication.last_sent_at


class EventSitemap(SiteSitemap):
    def items(self):
        return list(Event.objects.order_by("-start_date", "pk"))

    def lastmod(self, event):
        return event.updated_at


class PersonSitemap(SiteSitemap):
    """People on a team today: the ones the site presents as a team."""

    def items(self):
        members = TeamMembership.objects.on(timezone.localdate()).values("person")
        return list(Person.objects.filter(pk__in=members))


class TeamSitemap(SiteSitemap):
    def items(self):
        teams = TeamMembership.objects.on(timezone.localdate()).values("team")
        return list(Team.objects.filter(pk__in=teams))


SITEMAPS = {
    "pages": PageSitemap,
    "issues": IssueSitemap,
    "publications": PublicationSitemap,
    "events": EventSitemap,
    "people": PersonSitemap,
    "teams": TeamSitemap,
}
