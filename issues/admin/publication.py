"""The publications and their sections, social links and branding in the admin."""

from django.contrib import admin
from django.db.models import Count, Max

from issues.models import Publication, Section, SocialLink
from newsroom.core.admin import AutocompleteAdminMixin


class SectionInline(admin.TabularInline):
    model = Section
    fields = [
        "title",
        "slug",
        "position",
        "kind",
        "is_default",
        "image",
        "image_url",
        "image_alt",
    ]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    view_on_site = False


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    fields = ["network", "label", "url", "position"]
    extra = 0
    view_on_site = False


@admin.register(Publication)
class PublicationAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["name", "contact", "issue_count", "last_sent_at"]
    list_select_related = ["contact"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["contact", "team"]
    filter_horizontal = ["editor_groups"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "intro"]}),
        (
            "Contact and sign-up",
            {"fields": ["contact", "signup_url", "postal_address", "copyright_holder"]},
        ),
        (
            "Branding",
            {
                "fields": ["brand_colour", "banner", "banner_url", "banner_alt"],
                "description": (
                    "The banner heads every issue: upload it, or give the link of an "
                    "image hosted elsewhere."
                ),
            },
        ),
        ("Team", {"fields": ["team"]}),
        (
            "Who works on it",
            {
                "fields": ["editor_groups"],
                "description": (
                    "With several publications, each programme's editors can see "
                    "and work on their own only: name their groups here."
                ),
            },
        ),
    ]
    inlines = [SectionInline, SocialLinkInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .editable_by(request.user)
            .annotate(issue_count=Count("issues"), last_sent_at=Max("issues__sent_at"))
        )

    @admin.display(description="issues", ordering="issue_count")
    def issue_count(self, publication):
        return publication.issue_count

    @admin.display(
        description="last sent", ordering="last_sent_at", empty_value="never"
    )
    def last_sent_at(self, publication):
        return publication.last_sent_at


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "publication", "position", "kind", "is_default"]
    list_filter = ["publication", "kind"]
    list_select_related = ["publication"]
    search_fields = ["title", "publication__name"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(publication__in=Publication.objects.editable_by(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "publication":
            kwargs["queryset"] = Publication.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    fieldsets = [
        (None, {"fields": ["publication", "title", "slug", "position"]}),
        ("In each issue", {"fields": ["kind", "is_default"]}),
        (
            "Heading image",
            {
                "fields": ["image", "image_url", "image_alt"],
                "description": "Optional: shown above the section's title.",
            },
        ),
    ]
