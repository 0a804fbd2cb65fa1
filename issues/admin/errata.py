"""
Errata in the admin: the “Errata” page of a sent issue, where approvers publish a
correction, and the list of every erratum, which no one edits.
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from issues.admin.views import IssueAdminView
from issues.editorial.errata import (
    ERRATUM_MAX_LENGTH,
    not_sent_message,
    publish_erratum,
    withdraw_erratum,
)
from issues.editorial.workflow import WorkflowError
from issues.export.snapshot import display_date
from issues.models import Erratum, Issue, Item
from newsroom.core.admin import KeptYearsAdminMixin
from newsroom.core.richtext import plain_text

PUBLISH_PERMISSION = "issues.add_erratum"


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.section.title}: {item.title}" if item.section else item.title


class ErratumForm(forms.Form):
    text = forms.CharField(
        label="Correction",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=ERRATUM_MAX_LENGTH,
        help_text=(
            "What was wrong and what is right, in a sentence or two, e.g. “The "
            "deadline is 5 March, not 3 March.” Paragraphs, bold, "
            "italics and links are kept."
        ),
        error_messages={"required": "Write the correction."},
    )
    item = ItemChoiceField(
        queryset=Item.objects.none(),
        required=False,
        empty_label="None: the issue as a whole",
        help_text="The correction is also shown with this item on the issue's page.",
        error_messages={"invalid_choice": "Choose one of this issue's items."},
    )

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.queryset = Item.objects.filter(pk__in=[item.pk for item in items])
        # Offered from the items already read, without a query of its own.
        field.choices = [("", field.empty_label)] + [
            (item.pk, field.label_from_instance(item)) for item in items
        ]


def errata_context(request, issue: Issue) -> dict:
    """For a sent issue's page: whether its button publishes, or only lists, errata."""
    if not issue.is_sent:
        return {}
    return {"can_publish_erratum": request.user.has_perm(PUBLISH_PERMISSION)}


class ErrataView(IssueAdminView):
    """
    The Errata page behind the button of a sent issue: its errata for everyone, and
    the form that publishes one for those allowed to.
    """

    queryset = Issue.objects.select_related("publication").defer("frozen_content")
    template_name = "admin/issues/issue/errata.html"

    def has_permission(self) -> bool:
        publishing = self.request.method == "POST"
        return super().has_permission() and (
            not publishing or self.request.user.has_perm(PUBLISH_PERMISSION)
        )

    @cached_property
    def can_publish(self) -> bool:
        return self.issue.is_sent and self.request.user.has_perm(PUBLISH_PERMISSION)

    def get(self, request, issue_id: int):
        return self.page(ErratumForm(items=self.items()))

    def post(self, request, issue_id: int):
        issue = self.issue
        if not issue.is_sent:
            messages.error(request, not_sent_message(issue))
            return redirect("admin:issues_issue_change", issue.pk)
        form = ErratumForm(request.POST, items=self.items())
        if form.is_valid():
            try:
                erratum = publish_erratum(
                    issue=issue,
                    user=request.user,
                    text=form.cleaned_data["text"],
                    item=form.cleaned_data["item"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Erratum published on {issue}, dated "
                    f"{display_date(timezone.localdate(erratum.published_at))}: "
                    "readers see it "
                    "on the issue's page now. The e-mails stay as they were sent.",
                )
                return redirect("admin:issues_issue_change", issue.pk)
        return self.page(form)

    def items(self) -> list[Item]:
        if not self.can_publish:
            return []
        return list(self.issue.items.select_related("section").in_order())

    def page(self, form: ErratumForm):
        issue = self.issue
        return self.render(
            title="Errata",
            subtitle=str(issue),
            errata=list(issue.errata.in_order().select_related("item", "published_by")),
            form=form if self.can_publish else None,
            change_url=reverse("admin:issues_issue_change", args=[issue.pk]),
        )


@admin.register(Erratum)
class ErratumAdmin(KeptYearsAdminMixin, admin.ModelAdmin):
    """Every published correction, read-only: they are published from the issue."""

    list_display = ["issue", "item", "correction", "published_at", "published_by"]
    list_filter = ["issue__publication"]
    list_select_related = ["issue__publication", "item", "published_by"]
    search_fields = ["text", "issue__title", "item__title"]
    date_hierarchy = "published_at"
    fields = [
        "issue",
        "item",
        "correction_as_published",
        "published_at",
        "published_by",
    ]
    readonly_fields = ["correction_as_published"]

    def get_queryset(self, request):
        # An issue's frozen content is large and not shown here.
        return (
            super()
            .get_queryset(request)
            .filter(issue__in=Issue.objects.editable_by(request.user))
            .defer("issue__frozen_content")
        )

    def has_add_permission(self, request):
        # Published from the issue's Errata page, where the rules are checked.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # What readers were told stays on record; only a superuser may take back
        # an erratum published by mistake.
        return request.user.is_superuser

    def delete_model(self, request, obj):
        withdraw_erratum(erratum=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for erratum in queryset.select_related("issue__publication"):
            withdraw_erratum(erratum=erratum, user=request.user)

    @admin.display(description="correction")
    def correction_as_published(self, erratum):
        # Cleaned by the sanitiser when it was stored, as on the public page.
        return mark_safe(erratum.text)

    @admin.display(description="correction")
    def correction(self, erratum):
        return Truncator(plain_text(erratum.text)).chars(80)
