"""
Items in the admin: their own list and page, and the item rows of an issue's page.
An item of a sent issue is shown, never changed; every other change to an item is
an edit of its issue.
"""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from issues.admin.concurrency import VersionedChangeFormMixin, with_version_field
from issues.editorial import revisions
from issues.editorial.concurrency import VersionedFormMixin
from issues.models import Issue, Item, Publication, Section
from newsroom.core.admin import (
    AutocompleteAdminMixin,
    LoadedAutocompleteForm,
    LoadedAutocompleteMixin,
)

RICH_TEXT_HELP = (
    "Paragraphs, bold, italics, lists, links and subheadings are kept; any other "
    "formatting is removed when it is saved."
)

ITEM_FIELDSETS = [
    (
        "Deadline and call to action",
        {"fields": [("deadline", "deadline_label"), ("cta_label", "cta_url")]},
    ),
    (
        "Image",
        {
            "fields": ["image", "image_url", "image_alt"],
            "description": "Upload an image or give the link of one, not both.",
        },
    ),
    ("Event", {"fields": ["event"]}),
]


class ItemForm(VersionedFormMixin, LoadedAutocompleteForm):
    class Meta:
        help_texts = {"body": RICH_TEXT_HELP}

    def clean_issue(self):
        issue = self.cleaned_data.get("issue")
        if issue is not None and issue.is_sent:
            raise forms.ValidationError(
                f"{issue} was sent and cannot take new items. Choose another issue, "
                "or leave it empty to keep the item in the inbox."
            )
        return issue


class ItemInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The add page offers every publication's sections: check the choice here.
        publication_id = self.instance.publication_id
        if publication_id is None:
            return
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            section = form.cleaned_data.get("section")
            if section is not None and section.publication_id != publication_id:
                form.add_error(
                    "section", "Choose a section of this issue's publication."
                )


def section_choices(field) -> list:
    """
    The choices of an item's section field, grouped by publication when there are
    several, read once for all the item forms of a page.
    """
    groups = {}
    for section in field.queryset.select_related("publication"):
        groups.setdefault(section.publication, []).append((section.pk, section.title))
    if len(groups) == 1:
        [options] = groups.values()
        return [("", field.empty_label), *options]
    grouped = [(str(publication), options) for publication, options in groups.items()]
    return [("", field.empty_label), *grouped]


class ItemInline(LoadedAutocompleteMixin, admin.StackedInline):
    """The items on an issue's page; a sent issue's are shown, never changed."""

    model = Item
    form = ItemForm
    formset = ItemInlineFormSet
    extra = 0
    view_on_site = False
    autocomplete_fields = ["event"]
    fieldsets = [
        (None, {"fields": [("section", "position"), "title", "body"]}),
        *ITEM_FIELDSETS,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section").in_order()

    def has_add_permission(self, request, obj):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return with_version_field(fieldsets)
        return fieldsets

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("section")
        if field is not None:
            # Every item of an issue goes in a section; only inbox items have none.
            field.required = True
            if obj is not None and obj.publication_id is not None:
                field.queryset = field.queryset.filter(publication=obj.publication_id)
            # Without this, each item's form would query the sections again.
            field.choices = section_choices(field)
        return formset


def _editable(issue: Issue | None) -> bool:
    """Whether the items of ``issue`` (None: one being added) may change."""
    return issue is None or not issue.is_sent


class PlacementListFilter(admin.SimpleListFilter):
    title = "placement"
    parameter_name = "placement"

    def lookups(self, request, model_admin):
        return [("placed", "Placed"), ("inbox", "In the inbox")]

    def queryset(self, request, queryset):
        if self.value() == "placed":
            return queryset.filter(issue__isnull=False)
        if self.value() == "inbox":
            return queryset.filter(issue__isnull=True)
        return queryset


@admin.register(Item)
class ItemAdmin(VersionedChangeFormMixin, AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["title", "issue_or_inbox", "section", "deadline", "event"]
    list_filter = [PlacementListFilter, "issue__publication"]
    list_select_related = ["issue__publication", "section", "event"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["issue", "section", "event"]
    ordering = ["-created_at", "-pk"]
    form = ItemForm
    fieldsets = [
        (None, {"fields": ["issue", ("section", "position"), "title", "body"]}),
        *ITEM_FIELDSETS,
    ]
    noun = "item"

    def get_queryset(self, request):
        # What a sent issue froze is the whole issue: never read for a list.
        return (
            super()
            .get_queryset(request)
            .editable_by(request.user)
            .defer("issue__frozen_content")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "issue":
            # The chosen issue is labelled with its publication's name.
            kwargs["queryset"] = Issue.objects.editable_by(request.user).select_related(
                "publication"
            )
        elif db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(
                publication__in=Publication.objects.editable_by(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.issue_id and obj.issue.is_sent:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.issue_id and obj.issue.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.has_changed():
            issue_ids = {obj.issue_id, form.initial.get("issue")}
            self.issues_edited(request, issue_ids, f"Item “{obj.title}” saved")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.issues_edited(request, {obj.issue_id}, f"Item “{obj.title}” deleted")

    def delete_queryset(self, request, queryset):
        # An inbox item is no edit; items of one issue are one edit of it.
        placed = queryset.filter(issue__isnull=False).in_order()
        titles = {}
        for issue_id, title in placed.values_list("issue", "title"):
            titles.setdefault(issue_id, []).append(title)
        super().delete_queryset(request, queryset)
        for issue in Issue.objects.filter(pk__in=titles):
            revisions.issue_edited(
                issue=issue, user=request.user, note=_deleted(titles[issue.pk])
            )

    def issues_edited(self, request, issue_ids: set, note: str) -> None:
        for issue in Issue.objects.filter(pk__in=issue_ids - {None}):
            revisions.issue_edited(issue=issue, user=request.user, note=note)

    def view_on_site(self, item):
        if item.issue is not None and item.issue.is_sent:
            return item.get_absolute_url()
        return None

    @admin.display(description="issue", ordering="issue")
    def issue_or_inbox(self, item):
        return item.issue or "Inbox"


def _deleted(titles: list[str]) -> str:
    """The revision's note for items deleted together from the item list."""
    if len(titles) == 1:
        return f"Item “{titles[0]}” deleted"
    return f"Items {', '.join(f'“{title}”' for title in titles)} deleted"
