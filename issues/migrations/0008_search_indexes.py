"""
On PostgreSQL, GIN indexes of the documents that the search reads in items and issues,
so that a search no longer computes the document of every row. Each expression is
``newsroom.pages.search.document()`` as it stands here, frozen as a migration freezes a
model: PostgreSQL uses an index only while the two are identical, which the search
tests check. Other databases get no index; SQLite searches without.
"""

import functools
import operator

from django.db import migrations

SEARCH_INDEXES = {
    "Item": ("issues_item_search", ("title", "body")),
    "Issue": ("issues_issue_search", ("title", "preheader", "intro")),
}


def _search_index(name, fields):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    document = functools.reduce(
        operator.add,
        (
            SearchVector(field, weight=weight, config="english")
            for weight, field in zip("ABCD", fields, strict=False)
        ),
    )
    return GinIndex(document, name=name)


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in SEARCH_INDEXES.items():
        model = apps.get_model("issues", model_name)
        schema_editor.add_index(model, _search_index(name, fields))


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (name, fields) in SEARCH_INDEXES.items():
        model = apps.get_model("issues", model_name)
        schema_editor.remove_index(model, _search_index(name, fields))


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0007_erratum_permissions"),
    ]

    operations = [
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]
