"""
Revisions of an issue: its fields and its items as each save left them, what
changed between two of them, and restoring one (as a new revision).
"""

import dataclasses
import difflib

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Field, Max
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from events.models import Event
from issues.editorial.concurrency import raise_version
from issues.editorial.workflow import WorkflowError, record_edit
from issues.models import (
    ISSUE_CONTENT,
    ITEM_CONTENT,
    Issue,
    IssueRevision,
    Item,
    Section,
    title_key,
)
from newsroom.core.fields import RichTextField
from newsroom.core.richtext import plain_text


class RevisionError(WorkflowError):
    """A restore that cannot be made, with what to do about it."""


def issue_content(issue: Issue) -> dict:
    """The issue's fields and its items, in order, as JSON-ready data."""
    items = issue.items.select_related(*ITEM_CONTENT.relations).in_order()
    return {
        "issue": ISSUE_CONTENT.data(issue),
        "items": [{"id": item.pk, **ITEM_CONTENT.data(item)} for item in items],
    }


def record_revision(*, issue: Issue, user=None, note: str = "") -> IssueRevision:
    """Keep the issue as it now is as its next revision, numbered from 1."""
    with transaction.atomic():
        # Two saves at once must not take the same number.
        Issue.objects.select_for_update().filter(pk=issue.pk).exists()
        last = issue.revisions.aggregate(last=Max("number"))["last"] or 0
        return IssueRevision.objects.create(
            issue=issue,
            number=last + 1,
            content=issue_content(issue),
            by=user if user is not None and user.is_authenticated else None,
            note=note,
        )


def issue_edited(
    *, issue: Issue, user: AbstractBaseUser | None, note: str = ""
) -> IssueRevision:
    """
    What every change to ``issue`` or to its items goes through, from any page or
    service: an approved issue goes back to Draft “Edited after approval”, a sent
    one refuses the change (WorkflowError), and the issue as the change left it is
    kept as its next revision.
    """
    with transaction.atomic():
        record_edit(issue=issue, user=user)
        return record_revision(issue=issue, user=user, note=note)


@dataclasses.dataclass
class Change:
    label: str
    old: str
    new: str
    # For rich text: the new text with the words removed and added marked.
    words: SafeString | None = None


def _words(html: str) -> list[str]:
    return plain_text(html, bullet="").split()


def word_changes(old: str, new: str) -> SafeString | None:
    """
    The text of ``new``, with the words of ``old`` it no longer has in <del> and
    its new words in <ins>; None when only the formatting changed.
    """
    old_words, new_words = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    opcodes = matcher.get_opcodes()
    if all(op == "equal" for op, *_ in opcodes):
        return None
    parts = []
    for op, a1, a2, b1, b2 in opcodes:
        removed = " ".join(old_words[a1:a2])
        added = " ".join(new_words[b1:b2])
        if op == "equal":
            parts.append(conditional_escape(added))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", removed))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", added))
    return mark_safe(" ".join(parts))


@dataclasses.dataclass
class ItemChanges:
    title: str
    changes: list[Change]


@dataclasses.dataclass
class Comparison:
    fields: list[Change]
    added: list[str]
    removed: list[str]
    changed: list[ItemChanges]

    @property
    def is_empty(self) -> bool:
        return not (self.fields or self.added or self.removed or self.changed)


def _label(field: Field) -> str:
    return capfirst(field.verbose_name)


def _shown(field: Field, data: dict) -> str:
    if field.is_relation:
        return data.get(title_key(field.name)) or "—"
    value = data.get(field.name)
    if value in (None, ""):
        return "—"
    return str(dict(field.flatchoices).get(value, value))


def _changes(fields: list[Field], old: dict, new: dict) -> list[Change]:
    changes = []
    for field in fields:
        name = field.name
        # A revision older than a field does not say what it held.
        if name not in old or name not in new or old[name] == new[name]:
            continue
        change = Change(_label(field), _shown(field, old), _shown(field, new))
        # Rich text is compared word by word, as readers see it.
        if isinstance(field, RichTextField):
            change.words = word_changes(old.get(name) or "", new.get(name) or "")
        changes.append(change)
    return changes


def compare(older: dict, newer: dict) -> Comparison:
    """What changed from the content ``older`` to ``newer``, field by field."""
    old_items = {item["id"]: item for item in older["items"]}
    new_items = {item["id"]: item for item in newer["items"]}
    changed = []
    for pk, item in new_items.items():
        if pk in old_items:
            changes = _changes(ITEM_CONTENT.fields, old_items[pk], item)
            if changes:
                changed.append(ItemChanges(item["title"], changes))
    return Comparison(
        fields=_changes(ISSUE_CONTENT.fields, older["issue"], newer["issue"]),
        added=[item["title"] for pk, item in new_items.items() if pk not in old_items],
        removed=[
            item["title"] for pk, item in old_items.items() if pk not in new_items
        ],
        changed=changed,
    )


def _restore_item(issue: Issue, data: dict, existing: dict[int, Item]) -> Item:
    item = existing.get(data["id"])
    if item is None or item.issue_id not in (None, issue.pk):
        # Deleted, or placed in another issue since: the revision's copy comes back.
        item = Item()
    if not Section.objects.filter(
        pk=data["section"], publication=issue.publication_id
    ).exists():
        raise RevisionError(
            f"The section “{data['section_title']}” of “{data['title']}” no longer "
            "exists. Add the section to the publication again, or restore a later "
            "revision; nothing was changed."
        )
    item.issue = issue
    ITEM_CONTENT.set_data(item, data)
    if item.event_id and not Event.objects.filter(pk=item.event_id).exists():
        item.event_id = None
    item.save()
    return item


def restore_revision(*, issue: Issue, revision: IssueRevision, user) -> IssueRevision:
    """
    Put the issue and its items back as ``revision`` has them, and keep that as a
    new revision. Items placed in the issue since go back to the inbox; none is
    deleted.
    """
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.is_sent:
            raise RevisionError(
                f"{issue} was sent: what readers received cannot be changed. "
                "Publish an erratum instead."
            )
        content = revision.content
        ISSUE_CONTENT.set_data(issue, content["issue"])
        wanted = [data["id"] for data in content["items"]]
        existing = Item.objects.in_bulk(wanted)
        try:
            with transaction.atomic():
                issue.save()
                kept = [
                    _restore_item(issue, data, existing).pk for data in content["items"]
                ]
        except IntegrityError as exc:
            raise RevisionError(
                f"Revision {revision.number} cannot be restored: another issue now "
                "has its month or web address. Change that issue first; nothing was "
                "changed."
            ) from exc
        issue.items.exclude(pk__in=kept).update(issue=None)
        # Forms opened before the restore must not overwrite it.
        raise_version(issue)
        Item.objects.filter(pk__in=kept).update(version=F("version") + 1)
        return issue_edited(
            issue=issue, user=user, note=f"Restored revision {revision.number}"
        )
