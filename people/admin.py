from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone

from newsroom.core.admin import LoadedAutocompleteMixin
from people.models import Person, Team, TeamMembership


class MembershipInline(LoadedAutocompleteMixin, admin.TabularInline):
    model = TeamMembership
    extra = 0
    view_on_site = False

    def get_queryset(self, request):
        # Each row is headed by the membership's name, which names both.
        return super().get_queryset(request).select_related("person", "team")


class PersonMembershipInline(MembershipInline):
    """A person's places in teams."""

    fields = ["team", "role", "position", "starts_on", "ends_on"]
    autocomplete_fields = ["team"]
    ordering = ["team__name", "starts_on"]


class TeamMemberInline(MembershipInline):
    """A team's members, past and present, in the team's order."""

    fields = ["person", "role", "position", "starts_on", "ends_on"]
    autocomplete_fields = ["person"]
    verbose_name = "team member"
    verbose_name_plural = "team members"
    ordering = ["position", "person__name", "starts_on"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "team_names"]
    list_filter = ["teams"]
    search_fields = ["name", "organisation", "job_title", "email"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "organisation", "email"]}),
        (
            "Shown in the newsletter",
            {
                "fields": ["photo", "bio"],
                "description": (
                    "Used where the person appears in a team list or as the "
                    "publication's contact."
                ),
            },
        ),
    ]
    inlines = [PersonMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("teams")

    @admin.display(description="teams")
    def team_names(self, person):
        # A person who left a team and joined it again appears once.
        return ", ".join(dict.fromkeys(team.name for team in person.teams.all()))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "current_member_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug"]
    inlines = [TeamMemberInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        current = (
            Q(memberships__starts_on__isnull=True)
            | Q(memberships__starts_on__lte=today)
        ) & (Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today))
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_member_count=Count(
                    "memberships__person", filter=current, distinct=True
                )
            )
        )

    @admin.display(description="members today", ordering="current_member_count")
    def current_member_count(self, team):
        return team.current_member_count
