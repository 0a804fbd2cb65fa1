import datetime

from django import forms
from django.contrib import admin
from django.db.models import Count, F, Max
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from issues.admin.assembly import IssueAssemblyAdminMixin
from issues.admin.errata import IssueErrataAdminMixin
from issues.admin.export import IssueExportAdminMixin
from issues.admin.importer import ImportNewsletterMixin
from issues.admin.preview import IssuePreviewAdminMixin
from issues.admin.suggestions import SuggestionAdmin  # noqa: F401 (registers it)
from issues.admin.workflow import (
    IssueWorkflowAdminMixin,
    ItemWorkflowAdminMixin,
    SentIssueReadOnlyInlineMixin,
    WorkflowIssueFormMixin,
    WorkflowItemFormMixin,
)
from issues.models import (
    Issue,
    Item,
    MailerProfile,
    Publication,
    Section,
    SocialLink,
)
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
    ]
    inlines = [SectionInline, SocialLinkInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
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


class ItemForm(WorkflowItemFormMixin, LoadedAutocompleteForm):
    class Meta:
        help_texts = {"body": RICH_TEXT_HELP}


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


class ItemInline(
    SentIssueReadOnlyInlineMixin, LoadedAutocompleteMixin, admin.StackedInline
):
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


class IssueForm(WorkflowIssueFormMixin, forms.ModelForm):
    class Meta:
        help_texts = {"intro": RICH_TEXT_HELP}


@admin.register(Issue)
class IssueAdmin(
    IssueErrataAdminMixin,
    # The workflow's save_related runs last: the revision it keeps holds the
    # positions as the assembly's renumbering leaves them.
    IssueWorkflowAdminMixin,
    IssueAssemblyAdminMixin,
    ImportNewsletterMixin,
    IssueExportAdminMixin,
    IssuePreviewAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "issue_title",
        "publication",
        "status",
        "planned_send_date",
        "item_count",
    ]
    list_filter = ["publication", "status", "year"]
    search_fields = ["title", "intro", "items__title", "year__exact"]
    search_help_text = (
        "Finds words in titles, introductions and items' titles, or a year."
    )
    fieldsets = [
        (None, {"fields": ["publication", ("month", "year"), "title", "slug"]}),
        ("Opening", {"fields": ["preheader", "intro"]}),
        (
            "Sending",
            {
                "fields": ["planned_send_date", "status", "sent_at"],
                "description": (
                    "The status and the time of sending follow the review workflow; "
                    "they are not edited here."
                ),
            },
        ),
    ]
    readonly_fields = ["status", "sent_at"]
    form = IssueForm
    inlines = [ItemInline]

    def get_queryset(self, request):
        # The publication is part of every issue's name: in the list, on the change
        # page and in the autocomplete of an item's issue.
        return (
            super()
            .get_queryset(request)
            .select_related("publication")
            .annotate(item_count=Count("items"))
        )

    def get_search_results(self, request, queryset, search_term):
        # Joining the items to search their titles would repeat each issue once per
        # matching item and inflate its item count, so the search runs apart.
        if not search_term:
            return queryset, False
        matches, _ = super().get_search_results(
            request, Issue.objects.all(), search_term
        )
        return queryset.filter(pk__in=matches.values("pk")), False

    def get_changeform_initial_data(self, request):
        next_month = timezone.localdate().replace(day=1) + datetime.timedelta(days=31)
        return {
            "year": next_month.year,
            "month": next_month.month,
            **super().get_changeform_initial_data(request),
        }

    def view_on_site(self, issue):
        # Readers only ever see sent issues.
        return issue.get_absolute_url() if issue.is_sent else None

    @admin.display(description="issue", ordering=F("year") * 100 + F("month"))
    def issue_title(self, issue):
        return issue.display_title

    @admin.display(description="items", ordering="item_count")
    def item_count(self, issue):
        return issue.item_count


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
class ItemAdmin(ItemWorkflowAdminMixin, AutocompleteAdminMixin, admin.ModelAdmin):
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "issue":
            # The chosen issue is labelled with its publication's name.
            kwargs["queryset"] = Issue.objects.select_related("publication")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def view_on_site(self, item):
        if item.issue is not None and item.issue.is_sent:
            return item.get_absolute_url()
        return None

    @admin.display(description="issue", ordering="issue")
    def issue_or_inbox(self, item):
        return item.issue or "Inbox"


@admin.register(MailerProfile)
class MailerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "utm_source", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "position", "is_active"]}),
        (
            "The mailer's links and footer",
            {
                "fields": [
                    "handles_unsubscribe",
                    "unsubscribe_url",
                    "preferences_url",
                    "web_version_url",
                    "postal_address",
                    "footer_text",
                ],
                "description": (
                    "Links may be the mailer's merge tags (such as *|UNSUB|*), which "
                    "it replaces for each reader."
                ),
            },
        ),
        (
            "UTM parameters",
            {
                "fields": ["utm_source", "utm_medium", "utm_campaign"],
                "description": (
                    "Added once to every web link of the e-mail, never to e-mail "
                    "addresses or to links that already have them."
                ),
            },
        ),
    ]
