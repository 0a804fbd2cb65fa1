"""
Assembling an issue in the admin: its items kept in order on its page, and the pages
“Add upcoming events” and “Add from inbox” behind the buttons above it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from events.models import Event
from issues.editorial.assembly import (
    Added,
    AssemblyError,
    add_events,
    event_window,
    guess_events_section,
    item_sections,
    place_inbox_items,
    renumber_positions,
    titles,
    upcoming_events,
)
from issues.models import Issue, Item, Section


class AddEventsForm(forms.Form):
    events = forms.ModelMultipleChoiceField(
        queryset=Event.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one event to add."},
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        empty_label="Choose a section",
        error_messages={"required": "Choose the section the events go in."},
        help_text="Each event becomes an item at the end of this section.",
    )

    def __init__(self, *args, sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        field.queryset = Section.objects.filter(pk__in=[s.pk for s in sections])
        # Offered from the sections already read, without a query of its own.
        field.choices = [("", field.empty_label)] + [(s.pk, s.title) for s in sections]


class InboxPlacementForm(forms.Form):
    """A tick box and a section for each inbox item."""

    def __init__(self, *args, items: list[Item], sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        self.inbox_items = items
        self.sections = {section.pk: section for section in sections}
        choices = [("", "Choose a section")] + [(s.pk, s.title) for s in sections]
        for item in items:
            current = item.section_id if item.section_id in self.sections else None
            self.fields[f"place_{item.pk}"] = forms.BooleanField(
                required=False,
                initial=current is not None,
                label=f"Add “{item.title}”",
            )
            self.fields[f"section_{item.pk}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                required=False,
                initial=current,
                label=f"Section for “{item.title}”",
            )

    def rows(self):
        for item in self.inbox_items:
            yield item, self[f"place_{item.pk}"], self[f"section_{item.pk}"]

    def clean(self):
        cleaned = super().clean()
        chosen = [item for item in self.inbox_items if cleaned.get(f"place_{item.pk}")]
        if not chosen and self.inbox_items:
            raise forms.ValidationError("Tick at least one item to place.")
        for item in chosen:
            if cleaned.get(f"section_{item.pk}") in (None, ""):
                self.add_error(
                    f"section_{item.pk}", "Choose the section this item goes in."
                )
        return cleaned

    def placements(self) -> list[tuple[Item, Section]]:
        return [
            (item, self.sections[self.cleaned_data[f"section_{item.pk}"]])
            for item in self.inbox_items
            if self.cleaned_data.get(f"place_{item.pk}")
        ]


def inbox_items_for(issue: Issue) -> list[Item]:
    """
    Inbox items the issue can take: those in no section yet, or in one of its
    publication's. Items meant for another publication wait for that one.
    """
    return list(
        Item.objects.inbox()
        .filter(Q(section__isnull=True) | Q(section__publication=issue.publication_id))
        .select_related("section", "event", "suggestion")
    )


def plural(count: int, singular: str, several: str) -> str:
    return f"{count} {singular if count == 1 else several}"


class IssueAssemblyAdminMixin:
    """
    For IssueAdmin: positions renumbered 1, 2, 3… per section on every save, the
    drag-and-drop script on the issue's page, and the pages that add events and inbox
    items in one click.
    """

    @property
    def media(self):
        return super().media + forms.Media(
            js=["issues/assembly.js"],
            css={"all": ["issues/assembly.css", "issues/admin.css"]},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:issue_id>/add-events/",
                view(self.add_events_view),
                name="issues_issue_add_events",
            ),
            path(
                "<int:issue_id>/add-from-inbox/",
                view(self.add_from_inbox_view),
                name="issues_issue_add_from_inbox",
            ),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        moved = {
            item_form.instance.pk
            for formset in formsets
            if formset.model is Item
            for item_form in formset.forms
            if item_form.instance.pk
            and {"position", "section"} & set(item_form.changed_data)
        }
        renumber_positions(issue=form.instance, moved=moved)

    def _issue_to_assemble(self, request, issue_id: int) -> Issue:
        issue = get_object_or_404(
            Issue.objects.select_related("publication"), pk=issue_id
        )
        # No one may change a sent issue, but whoever may change issues is told why
        # (``_refuse_if_sent``) rather than refused outright.
        if issue.is_sent and self.has_change_permission(request):
            return issue
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        return issue

    def _page(self, request, issue: Issue, template: str, title: str, **context):
        return TemplateResponse(
            request,
            f"admin/issues/issue/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "subtitle": str(issue),
                "issue": issue,
                "original": issue,
                "change_url": reverse("admin:issues_issue_change", args=[issue.pk]),
                **context,
            },
        )

    def _refuse_if_sent(self, request, issue: Issue):
        if not issue.is_sent:
            return None
        messages.error(
            request,
            "This issue has been sent; what readers received cannot change. Add "
            "events and inbox items to the next issue instead.",
        )
        return redirect("admin:issues_issue_change", issue.pk)

    def add_events_view(self, request, issue_id: int):
        issue = self._issue_to_assemble(request, issue_id)
        if refused := self._refuse_if_sent(request, issue):
            return refused
        window = event_window(issue)
        offers = upcoming_events(issue, window)
        sections = item_sections(issue)
        if request.method == "POST":
            form = AddEventsForm(request.POST, sections=sections)
            if form.is_valid():
                section = form.cleaned_data["section"]
                try:
                    added = add_events(
                        issue=issue,
                        events=form.cleaned_data["events"].order_by(
                            "start_date", "start_time", "title", "pk"
                        ),
                        section=section,
                        user=request.user,
                    )
                except AssemblyError as error:
                    form.add_error(None, str(error))
                else:
                    count = len(added.items)
                    return self._report(
                        request,
                        issue,
                        added,
                        done=f"Added {plural(count, 'event', 'events')} to “{section}”",
                        skipped=(
                            f"{plural(added.skipped, 'was', 'were')} already in this "
                            "issue."
                        ),
                        nothing="Nothing added: the events you chose are already in "
                        "this issue.",
                    )
        else:
            guess = guess_events_section(sections)
            form = AddEventsForm(
                initial={
                    "events": [offer.event.pk for offer in offers],
                    "section": guess.pk if guess else None,
                },
                sections=sections,
            )
        chosen = {str(pk) for pk in form["events"].value() or []}
        return self._page(
            request,
            issue,
            "add_events.html",
            "Add upcoming events",
            form=form,
            window=window,
            offers=[(offer, str(offer.event.pk) in chosen) for offer in offers],
        )

    def add_from_inbox_view(self, request, issue_id: int):
        issue = self._issue_to_assemble(request, issue_id)
        if refused := self._refuse_if_sent(request, issue):
            return refused
        items = inbox_items_for(issue)
        if request.method == "POST":
            posted = {
                key.removeprefix("place_")
                for key in request.POST
                if key.startswith("place_")
            }
            if posted and not posted & {str(item.pk) for item in items}:
                # A second click, or another editor was quicker.
                messages.warning(
                    request,
                    "Nothing added: the items you chose were placed in an issue "
                    "meanwhile.",
                )
                return redirect("admin:issues_issue_change", issue.pk)
        sections = item_sections(issue)
        form = InboxPlacementForm(
            request.POST if request.method == "POST" else None,
            items=items,
            sections=sections,
        )
        if request.method == "POST" and items and form.is_valid():
            try:
                added = place_inbox_items(
                    issue=issue, placements=form.placements(), user=request.user
                )
            except AssemblyError as error:
                form.add_error(None, str(error))
            else:
                count = len(added.items)
                return self._report(
                    request,
                    issue,
                    added,
                    done=f"Placed {plural(count, 'inbox item', 'inbox items')} at the "
                    "end of their sections",
                    skipped=(
                        f"{plural(added.skipped, 'was', 'were')} placed in an issue "
                        "meanwhile and left there."
                    ),
                    nothing="Nothing added: the items you chose were placed in an "
                    "issue meanwhile.",
                )
        return self._page(
            request,
            issue,
            "add_from_inbox.html",
            "Add from inbox",
            form=form,
            inbox_url=reverse("admin:issues_item_changelist") + "?placement=inbox",
        )

    def _report(self, request, issue: Issue, added: Added, *, done, skipped, nothing):
        if added.items:
            message = f"{done}: {titles(added.items)}."
            if added.skipped:
                message += f" {skipped}"
            messages.success(request, message)
        else:
            messages.warning(request, nothing)
        return redirect("admin:issues_issue_change", issue.pk)
