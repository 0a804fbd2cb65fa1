from django.contrib import admin
from django.db.models import Count

from events.models import Deadline, Event
from newsroom.core.admin import KeptYearsAdminMixin


class WhenListFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


class DeadlineInline(admin.TabularInline):
    model = Deadline
    fields = ["label", "date"]
    extra = 0
    view_on_site = False


@admin.register(Event)
class EventAdmin(KeptYearsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "start_date", "format", "location", "deadline_count"]
    list_filter = ["format", WhenListFilter]
    search_fields = ["title", "summary", "location", "organiser"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "summary", "body"],
                "description": (
                    "The body keeps paragraphs, bold, italics, lists, links and "
                    "subheadings; any other formatting is removed when it is saved."
                ),
            },
        ),
        (
            "When",
            {
                "fields": [
                    ("start_date", "start_time"),
                    ("end_date", "end_time"),
                    "time_zone",
                ],
            },
        ),
        ("Where", {"fields": ["format", "location"]}),
        (
            "Organiser and links",
            {"fields": ["organiser", "url", "registration_url"]},
        ),
    ]
    inlines = [DeadlineInline]

    def get_queryset(self, request):
        # Counting groups the rows, and a grouped query drops the model's default
        # ordering: keep it, so that lists and the autocomplete page steadily.
        return (
            super()
            .get_queryset(request)
            .annotate(deadline_count=Count("deadlines"))
            .order_by(*Event._meta.ordering)
        )

    @admin.display(description="deadlines", ordering="deadline_count")
    def deadline_count(self, event):
        return event.deadline_count
