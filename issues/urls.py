from django.urls import path

from issues import views
from issues.feeds import PublicationIssuesFeed, SentIssuesFeed

app_name = "issues"
# The feeds end in ".atom", which no slug can match: no publication shadows them.
urlpatterns = [
    path("", views.archive, name="archive"),
    path("feed.atom", SentIssuesFeed(), name="feed"),
    path("<slug:slug>/", views.publication, name="publication"),
    path("<slug:slug>/feed.atom", PublicationIssuesFeed(), name="publication_feed"),
    path("<slug:publication>/<slug:slug>/", views.issue, name="issue"),
]
