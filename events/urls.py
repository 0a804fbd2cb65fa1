from django.urls import path

from events import views

app_name = "events"
# The calendars end in ".ics", which no slug can match: no event shadows them.
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", views.upcoming_calendar, name="calendar"),
    path("<slug:slug>/", views.event, name="event"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
]
