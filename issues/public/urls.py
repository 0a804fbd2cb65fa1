from django.urls import path

from issues.public import issue_page, views
from issues.public.feeds import PublicationIssuesFeed, SentIssuesFeed
from newsroom.core.caching import public_page

app_name = "issues"
# The feeds end in ".atom", which no slug can match: no publication shadows them.
urlpatterns = [
    path("", views.archive, name="archive"),
    path("feed.atom", public_page(SentIssuesFeed()), name="feed"),
    path("<slug:slug>/", views.publication, name="publication"),
    path(
        "<slug:slug>/feed.atom",
        public_page(PublicationIssuesFeed()),
        name="publication_feed",
    ),
    path("<slug:publication>/<slug:slug>/", issue_page.issue, name="issue"),
]
