from django.urls import path

from issues import views

app_name = "issues"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<slug:slug>/", views.publication, name="publication"),
    path("<slug:publication>/<slug:slug>/", views.issue, name="issue"),
]
