from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from events import urls as events_urls
from issues.public import preview_link as preview_views
from newsroom.core.caching import public_page
from newsroom.pages import views
from newsroom.pages.sitemaps import SITEMAPS

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Newsletters, events and people"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("issues/", include("issues.public.urls")),
    # The calendar of events also carries the deadlines of sent issues' items.
    path(
        "events/",
        include(
            (
                [
                    path("calendar.ics", views.upcoming_calendar, name="calendar"),
                    *events_urls.urlpatterns,
                ],
                events_urls.app_name,
            )
        ),
    ),
    path("people/", include("people.urls")),
    path("preview/<str:token>/", preview_views.preview_link, name="preview_link"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("suggest/", include("issues.suggestions.urls")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
