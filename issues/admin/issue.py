"""
Issues in the admin: the list, the issue's page with its items, and every page behind
its buttons (each a view class of its concern's module). A sent issue is shown,
never changed.
"""

import datetime

from django import forms
from django.contrib import admin
from django.db.models import Count, F
from django.urls import path
from django.utils import timezone

from issues.admin.assembly import AddEventsView, AddFromInboxView, moved_items
from issues.admin.concurrency import VersionedChangeFormMixin
from issues.admin.errata import ErrataView, errata_context
from issues.admin.export import EmailDownloadView, EmailPreviewView, export_context
from issues.admin.importer import ImportNewsletterView
from issues.admin.item import RICH_TEXT_HELP, ItemInline
from issues.admin.preview import (
    IssueChangeList,
    PreviewLinkCreateView,
    PreviewLinkRevokeView,
    WebPreviewView,
    open_problems,
    preview_links_context,
)
from issues.admin.workflow import (
    RestoreRevisionView,
    RevisionsView,
    WorkflowStepView,
    review_context,
)
from issues.editorial import revisions
from issues.editorial.assembly import renumber_positions
from issues.editorial.concurrency import VersionedFormMixin
from issues.models import Issue, Publication


class IssueForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        help_texts = {"intro": RICH_TEXT_HELP}

    def clean(self):
        cleaned_data = super().clean()
        stored = getattr(self, "stored", None)
        if stored is not None and stored.is_sent:
            raise forms.ValidationError(
                "This issue was marked sent since you opened it and can no longer "
                "be changed. Your changes below are not saved.",
                code="sent",
            )
        return cleaned_data


@admin.register(Issue)
class IssueAdmin(VersionedChangeFormMixin, admin.ModelAdmin):
    list_display = [
        "issue_title",
        "publication",
        "status",
        "planned_send_date",
        "item_count",
        open_problems,
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
    noun = "issue"

    class Media:
        js = ["issues/assembly.js"]
        css = {"all": ["issues/assembly.css", "issues/admin.css"]}

    def get_urls(self):
        def page(route: str, view, name: str):
            view = self.admin_site.admin_view(view.as_view(model_admin=self))
            return path(route, view, name=f"issues_issue_{name}")

        return [
            page("import/", ImportNewsletterView, "import"),
            page("<int:issue_id>/workflow/<slug:step>/", WorkflowStepView, "workflow"),
            page("<int:issue_id>/revisions/", RevisionsView, "revisions"),
            page(
                "<int:issue_id>/revisions/<int:number>/restore/",
                RestoreRevisionView,
                "restore",
            ),
            page("<int:issue_id>/add-events/", AddEventsView, "add_events"),
            page("<int:issue_id>/add-from-inbox/", AddFromInboxView, "add_from_inbox"),
            page("<int:issue_id>/errata/", ErrataView, "errata"),
            page("<int:issue_id>/preview/", EmailPreviewView, "preview"),
            page("<int:issue_id>/export/<slug:profile>/", EmailDownloadView, "export"),
            page("<int:issue_id>/preview/web/", WebPreviewView, "web_preview"),
            page(
                "<int:issue_id>/preview-links/",
                PreviewLinkCreateView,
                "preview_link_create",
            ),
            page(
                "<int:issue_id>/preview-links/<int:link_id>/revoke/",
                PreviewLinkRevokeView,
                "preview_link_revoke",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        # The publication is part of every issue's name: in the list, on the change
        # page and in the autocomplete of an item's issue.
        return (
            super()
            .get_queryset(request)
            .editable_by(request.user)
            .select_related("publication")
            .annotate(item_count=Count("items"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "publication":
            kwargs["queryset"] = Publication.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # Joining the items to search their titles would repeat each issue once per
        # matching item and inflate its item count, so the search runs apart.
        if not search_term:
            return queryset, False
        matches, _ = super().get_search_results(
            request, Issue.objects.all(), search_term
        )
        return queryset.filter(pk__in=matches.values("pk")), False

    def get_changelist(self, request, **kwargs):
        return IssueChangeList

    def get_changeform_initial_data(self, request):
        next_month = timezone.localdate().replace(day=1) + datetime.timedelta(days=31)
        return {
            "year": next_month.year,
            "month": next_month.month,
            **super().get_changeform_initial_data(request),
        }

    def has_change_permission(self, request, obj=None):
        # What readers received is never changed.
        if obj is not None and obj.is_sent:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Nor taken back: the public page, the exports and the history stay.
        if obj is not None and obj.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def has_import_permission(self, request) -> bool:
        # An imported issue is published as sent, at once: only those who may mark
        # an issue sent may import one.
        return self.has_add_permission(request) and request.user.has_perm(
            "issues.mark_issue_sent"
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None:
            context = {
                **context,
                **review_context(request, obj),
                **errata_context(request, obj),
                **export_context(),
                **preview_links_context(
                    obj, can_change=self.has_change_permission(request, obj)
                ),
            }
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def save_model(self, request, obj, form, change):
        stored = getattr(form, "stored", None)
        if stored is not None:
            # The form knows nothing of the status: a step taken since it was
            # opened must not be undone by this save.
            obj.status = stored.status
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        issue = form.instance
        renumber_positions(issue=issue, moved=moved_items(formsets))
        edited = form.has_changed() or any(fs.has_changed() for fs in formsets)
        if change and not edited:
            return
        # After the renumbering: the revision keeps the positions it leaves.
        revisions.issue_edited(
            issue=issue, user=request.user, note="" if change else "Created"
        )

    def view_on_site(self, issue):
        # Readers only ever see sent issues.
        return issue.get_absolute_url() if issue.is_sent else None

    @admin.display(description="issue", ordering=F("year") * 100 + F("month"))
    def issue_title(self, issue):
        return issue.display_title

    @admin.display(description="items", ordering="item_count")
    def item_count(self, issue):
        return issue.item_count
