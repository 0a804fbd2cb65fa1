"""
On PostgreSQL, a GIN index of the document that the search reads in events, so that a
search no longer computes the document of every event. The expression is
``newsroom.pages.search.document(Event)`` as it stands here, frozen as a migration freezes a
model: PostgreSQL uses the index only while the two are identical, which the search
tests check. Other databases get no index; SQLite searches without.
"""

import functools
import operator

from django.db import migrations

NAME = "events_event_search"
FIELDS = ("title", "summary", "body", "location")


def _search_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    document = functools.reduce(
        operator.add,
        (
            SearchVector(field, weight=weight, config="english")
            for weight, field in zip("ABCD", FIELDS, strict=False)
        ),
    )
    return GinIndex(document, name=NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("events", "Event"), _search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("events", "Event"), _search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_search_index, remove_search_index),
    ]
