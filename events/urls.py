from django.urls import path

from events import views

app_name = "events"
# The calendars end in ".ics", which no slug can match: no event shadows them. The
# calendar of everything upcoming ("calendar") is the site's: see newsroom/urls.py.
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.event, name="event"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
]
