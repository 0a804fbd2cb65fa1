"""
Revisions of an issue: its fields and its items as each save left them, what
changed between two of them, and restoring one (as a new revision).
"""

import dataclasses
import datetime
import difflib

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from events.models import Event
from issues.editorial.concurrency import raise_version
from issues.editorial.workflow import WorkflowError, record_edit
from issues.models import Issue, IssueRevision, Item, Section
from newsroom.core.richtext import plain_text

ISSUE_FIELDS = [
    "year",
    "month",
    "title",
    "slug",
    "preheader",
    "intro",
    "planned_send_date",
]
ITEM_FIELDS = [
    "section",
    "position",
    "title",
    "body",
    "image",
    "image_url",
    "image_alt",
    "deadline",
    "deadline_label",
    "cta_label",
    "cta_url",
    "event",
]


class RevisionError(WorkflowError):
    """A restore that cannot be made, with what to do about it."""


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def issue_content(issue: Issue) -> dict:
    """The issue's fields and its items, in order, as JSON-ready data."""
    items = issue.items.select_related("section", "event").in_order()
    return {
        "issue": {
            "year": issue.year,
            "month": issue.month,
            "title": issue.title,
            "slug": issue.slug,
            "preheader": issue.preheader,
            "intro": issue.intro,
            "planned_send_date": _date(issue.planned_send_date),
        },
        "items": [
            {
                "id": item.pk,
                "section": item.section_id,
                "section_title": item.section.title if item.section else "",
                "position": item.position,
                "title": item.title,
                "body": item.body,
                "image": item.image.name or "",
                "image_url": item.image_url,
                "image_alt": item.image_alt,
                "deadline": _date(item.deadline),
                "deadline_label": item.deadline_label,
                "cta_label": item.cta_label,
                "cta_url": item.cta_url,
                "event": item.event_id,
                "event_title": item.event.title if item.event else "",
            }
            for item in items
        ],
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


# Rich text is compared word by word, as readers see it.
RICH_TEXT_FIELDS = {"intro", "body"}


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


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _shown(data: dict, name: str) -> str:
    if name in ("section", "event"):
        return data.get(f"{name}_title") or "—"
    if name == "month" and data.get(name):
        return Issue(month=data[name]).get_month_display()
    value = data.get(name)
    return "—" if value in (None, "") else str(value)


def _changes(model, fields: list[str], old: dict, new: dict) -> list[Change]:
    changes = []
    for name in fields:
        if old.get(name) == new.get(name):
            continue
        change = Change(_label(model, name), _shown(old, name), _shown(new, name))
        if name in RICH_TEXT_FIELDS:
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
            changes = _changes(Item, ITEM_FIELDS, old_items[pk], item)
            if changes:
                changed.append(ItemChanges(item["title"], changes))
    return Comparison(
        fields=_changes(Issue, ISSUE_FIELDS, older["issue"], newer["issue"]),
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
    for name in ITEM_FIELDS:
        value = data[name]
        if name in ("section", "event"):
            name = f"{name}_id"
        setattr(item, name, value)
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
        for name in ISSUE_FIELDS:
            setattr(issue, name, content["issue"][name])
        date = content["issue"]["planned_send_date"]
        issue.planned_send_date = datetime.date.fromisoformat(date) if date else None
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
