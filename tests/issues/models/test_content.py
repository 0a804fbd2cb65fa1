"""
An issue's content is named once, in ``issues.models.content``: revisions, the export's
snapshot and the importer take an item's fields from there, so that a field added to
Item reaches all three without their changing.
"""

import contextlib
import dataclasses
import datetime
import json

from django.db import connection, models
from django.test import TestCase, TransactionTestCase

from issues.editorial.revisions import compare, record_revision, restore_revision
from issues.export.snapshot import build_snapshot
from issues.importer.build import Changes, read_content, write_content
from issues.models import ISSUE_CONTENT, ITEM_CONTENT, Issue, Item
from tests.factories import (
    make_event,
    make_issue,
    make_item,
    make_publication,
    make_section,
    make_superuser,
)
from tests.issues.export.helpers import export_settings
from tests.issues.importer.test_command import delete_everything

# What Django, the editorial rules and the issue's structure keep of an item.
ITEM_BOOKKEEPING = {"id", "issue", "version", "created_at", "updated_at"}
ISSUE_BOOKKEEPING = {
    "id",
    "publication",
    "status",
    "sent_at",
    "frozen_content",
    "frozen_content_sha256",
    "approved_content_sha256",
    "frozen_at",
    "version",
    "created_at",
    "updated_at",
}


def item_content_names() -> set[str]:
    """Every field of an item that is not bookkeeping, as the model has them now."""
    return {field.name for field in Item._meta.concrete_fields} - ITEM_BOOKKEEPING


def names(content) -> set[str]:
    return {field.name for field in content.fields}


class ContentFieldsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication()
        cls.section = make_section(publication, title="News")
        cls.event = make_event("Summit", start_date=datetime.date(2024, 12, 3))
        cls.issue = make_issue(
            publication, planned_send_date=datetime.date(2024, 11, 18)
        )

    def item(self) -> Item:
        return Item(
            issue=self.issue,
            section=self.section,
            position=2,
            title="Apply now",
            body="<p>Places are limited.</p>",
            image="items/2024/11/photo.jpg",
            image_alt="A lab",
            deadline=datetime.date(2024, 11, 20),
            deadline_label="Application deadline",
            cta_label="Apply",
            cta_url="https://example.org/apply",
            event=self.event,
        )

    def test_every_field_but_bookkeeping_is_content(self):
        """Ids, the row an item or issue belongs to, versions and timestamps are not."""
        self.assertEqual(names(ITEM_CONTENT), item_content_names())
        self.assertEqual(
            names(ISSUE_CONTENT),
            {field.name for field in Issue._meta.concrete_fields} - ISSUE_BOOKKEEPING,
        )

    def test_data_is_json_with_dates_files_and_titles_of_related_rows(self):
        data = ITEM_CONTENT.data(self.item())
        self.assertEqual(json.loads(json.dumps(data)), data)
        self.assertEqual(
            {key: data[key] for key in ("deadline", "image", "position")},
            {
                "deadline": "2024-11-20",
                "image": "items/2024/11/photo.jpg",
                "position": 2,
            },
        )
        self.assertEqual(
            (data["section"], data["section_title"]), (self.section.pk, "News")
        )
        self.assertEqual(
            (data["event"], data["event_title"]), (self.event.pk, "Summit")
        )
        self.assertEqual(
            ISSUE_CONTENT.data(self.issue)["planned_send_date"], "2024-11-18"
        )

    def test_data_of_an_empty_item(self):
        """No date is null, no file is "", no related row is null with no title."""
        data = ITEM_CONTENT.data(Item(title="Inbox"))
        self.assertEqual(
            {key: data[key] for key in ("deadline", "image", "section", "event")},
            {"deadline": None, "image": "", "section": None, "event": None},
        )
        self.assertEqual((data["section_title"], data["event_title"]), ("", ""))

    def test_set_data_gives_the_values_back(self):
        """An item set from another's data holds the same values."""
        original = self.item()
        restored = Item()
        ITEM_CONTENT.set_data(restored, ITEM_CONTENT.data(original))
        self.assertEqual(ITEM_CONTENT.values(restored), ITEM_CONTENT.values(original))
        self.assertEqual(restored.deadline, datetime.date(2024, 11, 20))
        self.assertEqual(restored.event, self.event)

    def test_a_field_the_data_lacks_stays_as_it_is(self):
        """Data kept before a field existed leaves that field alone."""
        item = self.item()
        ITEM_CONTENT.set_data(item, {"title": "Apply today", "event": None})
        self.assertEqual(
            (item.title, item.event, item.cta_label), ("Apply today", None, "Apply")
        )

    def test_values_are_the_models_with_ids_and_file_names(self):
        values = ITEM_CONTENT.values(self.item())
        self.assertEqual(
            {key: values[key] for key in ("deadline", "image", "event")},
            {
                "deadline": datetime.date(2024, 11, 20),
                "image": "items/2024/11/photo.jpg",
                "event": self.event.pk,
            },
        )


@export_settings
class EveryItemFieldReachesItsUsesTests(TestCase):
    """
    Every field of an item that is not bookkeeping is in its revisions, in the
    snapshot the e-mail and the page are rendered from, and in what the importer
    reads back and writes: a field the content misses fails here.
    """

    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        publication = make_publication()
        cls.section = make_section(publication, title="News")
        # Sent, as the importer writes issues.
        cls.issue = make_issue(publication, month=12, status=Issue.Status.SENT)
        cls.item = make_item(
            cls.issue,
            cls.section,
            position=1,
            title="Apply now",
            body="<p>Places are limited.</p>",
            image_url="https://images.example.org/lab.png",
            image_alt="A lab",
            deadline=datetime.date(2024, 11, 20),
            deadline_label="Application deadline",
            cta_label="Apply",
            cta_url="https://example.org/apply",
            event=make_event("Summit"),
        )

    def test_a_revision_keeps_every_field(self):
        revision = record_revision(issue=self.issue, user=self.user)
        [item] = revision.content["items"]
        self.assertEqual(item_content_names() - set(item), set())

    def test_the_snapshot_has_every_field(self):
        """Those shown otherwise than stored (dates, images, the event) as shown."""
        [section] = build_snapshot(self.issue)["sections"]
        [item] = section["items"]
        self.assertEqual(item_content_names() - set(item), set())
        self.assertEqual(
            (item["image_url"], item["cta_label"], item["section_title"]),
            ("https://images.example.org/lab.png", "Apply", "News"),
        )

    def test_the_importer_reads_back_and_writes_every_field(self):
        """The section and position are where the structure files the item."""
        publication, content = read_content(self.issue)
        [item] = content.items[self.section.slug]
        read = {field.name for field in dataclasses.fields(item)}
        self.assertEqual(item_content_names() - read - {"section", "position"}, set())

        before = ITEM_CONTENT.data(self.item)
        delete_everything()
        write_content(publication=publication, issue=content, changes=Changes())
        after = ITEM_CONTENT.data(Item.objects.get())
        for name in ("section", "event"):
            del before[name], after[name]
        self.assertEqual(after, before)


@contextlib.contextmanager
def field_added_to_item(name: str, field: models.Field):
    """Item with ``field`` for a while, in the model and in its table."""
    assert not hasattr(Item, name), f"Item already has {name}: add another field"
    field.contribute_to_class(Item, name)
    try:
        with connection.schema_editor() as editor:
            editor.add_field(Item, field)
        try:
            yield
        finally:
            with connection.schema_editor() as editor:
                editor.remove_field(Item, field)
    finally:
        Item._meta.local_fields.remove(field)
        Item._meta._expire_cache()
        delattr(Item, name)


@export_settings
class NewItemFieldTests(TransactionTestCase):
    """A field added to Item is kept, compared and restored with no other change."""

    serialized_rollback = True

    def test_a_new_field_is_kept_compared_restored_and_in_the_snapshot(self):
        reading_time = models.PositiveSmallIntegerField(
            "reading time in minutes", null=True, blank=True
        )
        with field_added_to_item("reading_time", reading_time):
            user = make_superuser()
            issue = make_issue(month=12)
            item = make_item(issue, title="Apply now", reading_time=3)
            first = record_revision(issue=issue, user=user)
            Item.objects.filter(pk=item.pk).update(reading_time=5)
            second = record_revision(issue=issue, user=user)

            self.assertEqual(first.content["items"][0]["reading_time"], 3)
            [changed] = compare(first.content, second.content).changed
            self.assertEqual(
                [(c.label, c.old, c.new) for c in changed.changes],
                [("Reading time in minutes", "3", "5")],
            )
            restore_revision(issue=issue, revision=first, user=user)
            item.refresh_from_db()
            self.assertEqual(item.reading_time, 3)
            [section] = build_snapshot(issue)["sections"]
            self.assertEqual(section["items"][0]["reading_time"], 3)
        self.assertNotIn("reading_time", item_content_names())
