"""
Assembling an issue in the admin: which items moved on its page (to be renumbered),
and the pages “Add upcoming events” and “Add from inbox” behind the buttons above it.
"""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property

from events.models import Event
from issues.admin.views import IssueAdminView
from issues.editorial.assembly import (
    Added,
    AssemblyError,
    EventOffer,
    EventWindow,
    add_events,
    event_window,
    guess_events_section,
    item_sections,
    place_inbox_items,
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


def moved_items(formsets) -> set[int]:
    """The items of the issue's page given another position or section."""
    return {
        item_form.instance.pk
        for formset in formsets
        if formset.model is Item
        for item_form in formset.forms
        if item_form.instance.pk
        and {"position", "section"} & set(item_form.changed_data)
    }


class AssemblyView(IssueAdminView):
    """A page that adds items to the issue, behind a button above its page."""

    def has_permission(self) -> bool:
        # No one may change a sent issue, but whoever may change issues is told why
        # (``refuse_if_sent``) rather than refused outright.
        if self.issue.is_sent and self.model_admin.has_change_permission(self.request):
            return True
        return self.model_admin.has_change_permission(self.request, self.issue)

    def refuse_if_sent(self):
        if not self.issue.is_sent:
            return None
        messages.error(
            self.request,
            "This issue has been sent; what readers received cannot change. Add "
            "events and inbox items to the next issue instead.",
        )
        return redirect("admin:issues_issue_change", self.issue.pk)

    def render(self, **context):
        return super().render(
            subtitle=str(self.issue),
            change_url=reverse("admin:issues_issue_change", args=[self.issue.pk]),
            **context,
        )

    def report(self, added: Added, *, done: str, skipped: str, nothing: str):
        if added.items:
            message = f"{done}: {titles(added.items)}."
            if added.skipped:
                message += f" {skipped}"
            messages.success(self.request, message)
        else:
            messages.warning(self.request, nothing)
        return redirect("admin:issues_issue_change", self.issue.pk)


class AddEventsView(AssemblyView):
    """“Add upcoming events”: the events of the issue's window, ticked to add."""

    template_name = "admin/issues/issue/add_events.html"

    @cached_property
    def window(self) -> EventWindow:
        return event_window(self.issue)

    @cached_property
    def offers(self) -> list[EventOffer]:
        return upcoming_events(self.issue, self.window)

    @cached_property
    def sections(self) -> list[Section]:
        return item_sections(self.issue)

    def get(self, request, issue_id: int):
        if refused := self.refuse_if_sent():
            return refused
        offers = self.offers
        guess = guess_events_section(self.sections)
        form = AddEventsForm(
            initial={
                "events": [offer.event.pk for offer in offers],
                "section": guess.pk if guess else None,
            },
            sections=self.sections,
        )
        return self.page(form)

    def post(self, request, issue_id: int):
        if refused := self.refuse_if_sent():
            return refused
        form = AddEventsForm(request.POST, sections=self.sections)
        if not form.is_valid():
            return self.page(form)
        section = form.cleaned_data["section"]
        try:
            added = add_events(
                issue=self.issue,
                events=form.cleaned_data["events"].order_by(
                    "start_date", "start_time", "title", "pk"
                ),
                section=section,
                user=request.user,
            )
        except AssemblyError as error:
            form.add_error(None, str(error))
            return self.page(form)
        count = len(added.items)
        return self.report(
            added,
            done=f"Added {plural(count, 'event', 'events')} to “{section}”",
            skipped=f"{plural(added.skipped, 'was', 'were')} already in this issue.",
            nothing="Nothing added: the events you chose are already in this issue.",
        )

    def page(self, form: AddEventsForm):
        chosen = {str(pk) for pk in form["events"].value() or []}
        return self.render(
            title="Add upcoming events",
            form=form,
            window=self.window,
            offers=[(offer, str(offer.event.pk) in chosen) for offer in self.offers],
        )


class AddFromInboxView(AssemblyView):
    """“Add from inbox”: the items waiting in the inbox, each placed in a section."""

    template_name = "admin/issues/issue/add_from_inbox.html"

    def get(self, request, issue_id: int):
        if refused := self.refuse_if_sent():
            return refused
        items = inbox_items_for(self.issue)
        form = InboxPlacementForm(items=items, sections=item_sections(self.issue))
        return self.page(form)

    def post(self, request, issue_id: int):
        if refused := self.refuse_if_sent():
            return refused
        items = inbox_items_for(self.issue)
        posted = {
            key.removeprefix("place_")
            for key in request.POST
            if key.startswith("place_")
        }
        if posted and not posted & {str(item.pk) for item in items}:
            # A second click, or another editor was quicker.
            messages.warning(
                request,
                "Nothing added: the items you chose were placed in an issue meanwhile.",
            )
            return redirect("admin:issues_issue_change", self.issue.pk)
        form = InboxPlacementForm(
            request.POST, items=items, sections=item_sections(self.issue)
        )
        if not items or not form.is_valid():
            return self.page(form)
        try:
            added = place_inbox_items(
                issue=self.issue, placements=form.placements(), user=request.user
            )
        except AssemblyError as error:
            form.add_error(None, str(error))
            return self.page(form)
        count = len(added.items)
        return self.report(
            added,
            done=f"Placed {plural(count, 'inbox item', 'inbox items')} at the end "
            "of their sections",
            skipped=(
                f"{plural(added.skipped, 'was', 'were')} placed in an issue "
                "meanwhile and left there."
            ),
            nothing="Nothing added: the items you chose were placed in an issue "
            "meanwhile.",
        )

    def page(self, form: InboxPlacementForm):
        return self.render(
            title="Add from inbox",
            form=form,
            inbox_url=reverse("admin:issues_item_changelist") + "?placement=inbox",
        )
