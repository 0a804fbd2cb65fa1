"""The editors' list of suggestions from the public, and their decision on each."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from issues.models import Suggestion, SuggestionCount
from issues.suggestions.limits import HOUR, hour_of, last_full_hour
from issues.suggestions.services import (
    SuggestionError,
    accept_suggestion,
    decline_suggestion,
)
from newsroom.core.admin import KeptYearsAdminMixin
from newsroom.core.richtext import clean_html, is_allowed_url


@admin.register(Suggestion)
class SuggestionAdmin(KeptYearsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "contact", "status", "created_at", "item_link"]
    list_filter = ["status", "created_at"]
    search_fields = ["title", "summary", "contact_name", "contact_email"]
    search_help_text = (
        "Finds words in titles and summaries, or a sender's name or e-mail."
    )
    date_hierarchy = "created_at"
    actions = ["accept_selected", "decline_selected"]
    fieldsets = [
        (
            "The suggestion",
            {"fields": ["title", "summary_text", "link", "deadline", "event_date"]},
        ),
        (
            "Sent by",
            {"fields": ["contact_name", "contact_email", "consent", "created_at"]},
        ),
        ("Decision", {"fields": ["status", "decided_by", "decided_at", "item_link"]}),
    ]
    # Suggestions are kept as the public sent them: the page only shows them.
    readonly_fields = [
        "title",
        "summary_text",
        "link",
        "deadline",
        "event_date",
        "contact_name",
        "contact_email",
        "consent",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
        "item_link",
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:suggestion_id>/accept/",
                view(require_POST(self.accept_view)),
                name="issues_suggestion_accept",
            ),
            path(
                "<int:suggestion_id>/decline/",
                view(require_POST(self.decline_view)),
                name="issues_suggestion_decline",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        # Said on the page, not after the actions that post to it.
        if request.method == "GET":
            now = timezone.now()
            full = last_full_hour(now)
            if full is not None:
                messages.warning(request, cap_reached(full, now=now))
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def accept_view(self, request, suggestion_id: int):
        return self._decide(request, suggestion_id, accept=True)

    def decline_view(self, request, suggestion_id: int):
        return self._decide(request, suggestion_id, accept=False)

    def _decide(self, request, suggestion_id: int, *, accept: bool):
        suggestion = get_object_or_404(Suggestion, pk=suggestion_id)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        try:
            if accept:
                item = accept_suggestion(suggestion=suggestion, user=request.user)
            else:
                decline_suggestion(suggestion=suggestion, user=request.user)
        except SuggestionError as refusal:
            messages.error(request, str(refusal))
            return redirect("admin:issues_suggestion_change", suggestion.pk)
        if accept:
            messages.success(
                request,
                format_html(
                    "“{}” is accepted and waits in the inbox as an item: "
                    '<a href="{}">open the item</a> to edit it and place it in an '
                    "issue.",
                    suggestion.title,
                    reverse("admin:issues_item_change", args=[item.pk]),
                ),
            )
            return redirect("admin:issues_suggestion_change", suggestion.pk)
        messages.success(request, f"“{suggestion.title}” is declined.")
        return redirect("admin:issues_suggestion_changelist")

    @admin.action(description="Accept (to inbox)", permissions=["change"])
    def accept_selected(self, request, queryset):
        self._decide_all(request, queryset, accept_suggestion, "accepted to the inbox")

    @admin.action(description="Decline", permissions=["change"])
    def decline_selected(self, request, queryset):
        self._decide_all(request, queryset, decline_suggestion, "declined")

    def _decide_all(self, request, queryset, decide, done: str):
        decided = 0
        for suggestion in queryset:
            try:
                decide(suggestion=suggestion, user=request.user)
            except SuggestionError as refusal:
                messages.warning(request, str(refusal))
            else:
                decided += 1
        if decided:
            noun = "suggestion" if decided == 1 else "suggestions"
            messages.success(request, f"{decided} {noun} {done}.")

    @admin.display(description="sent by", ordering="contact_name")
    def contact(self, suggestion):
        return f"{suggestion.contact_name} <{suggestion.contact_email}>"

    @admin.display(description="summary")
    def summary_text(self, suggestion):
        # Stored clean; cleaned again here so that the page never depends on how a
        # row was written.
        return mark_safe(clean_html(suggestion.summary))

    @admin.display(description="link")
    def link(self, suggestion):
        if not suggestion.url or not is_allowed_url(suggestion.url):
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>',
            suggestion.url,
            suggestion.url,
        )

    @admin.display(description="inbox item")
    def item_link(self, suggestion):
        if suggestion.item_id is None:
            return "—"
        return format_html(
            '<a href="{}">Item {}</a>',
            reverse("admin:issues_item_change", args=[suggestion.item_id]),
            suggestion.item_id,
        )


def cap_reached(count: SuggestionCount, *, now: datetime.datetime) -> str:
    """
    What editors are told of an hour in which the public form took all it may: when,
    how many were turned away, and what would take more.
    """
    reached = timezone.localtime(count.full_at)
    until = date_format(timezone.localtime(count.hour + HOUR), "H:i")
    turned_away = {0: "no suggestion was", 1: "1 was"}.get(
        count.refused, f"{count.refused} were"
    )
    when = date_format(reached, "H:i")
    if count.hour == hour_of(now):
        since = f"{turned_away} turned away since, and it takes more from {until}"
    else:
        when += " on " + date_format(reached, "j F")
        since = f"{turned_away} turned away before {until}"
    return (
        f"The limit of {count.taken} suggestions an hour from the public form was "
        f"reached at {when}; {since}. Whoever runs the site can raise it "
        "(SUGGESTIONS_PER_HOUR)."
    )
