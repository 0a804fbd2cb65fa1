from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("teams/<slug:slug>/", views.team, name="team"),
    path("<slug:slug>/", views.person, name="person"),
]
