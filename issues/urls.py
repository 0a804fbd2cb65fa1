from django.urls import path

from issues import issue_page, views
from issues.feeds import PublicationIssuesFeed, SentIssuesFeed
from newsroom.caching import public_page

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
