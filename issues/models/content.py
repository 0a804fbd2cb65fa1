"""
An issue's own content: the fields of an issue and of its items that editors write,
named once, with their values as JSON-ready data and back.

Revisions keep an issue as this data and restore it, the export's snapshot starts
each item from it, and the importer reads issues and items back and writes them
through it, so that a field added to ``Item`` reaches all three without their
changing, and one added to ``Issue`` its revisions and the importer.
The fields are the models' concrete editable fields but the id and the row the issue
or item belongs to. What Django and the editorial rules keep (versions, timestamps,
status, the frozen copy) is not editable, and so not content.

As data, dates are ISO 8601 strings, a file is its name, and a related row is its id
with its title beside it under ``<field>_title``, as an issue's history shows it. It
is also the format of every stored revision, so it only ever gains keys: data older
than a field does not have it, and setting a row from that data leaves the field as
it is.
"""

from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from issues.models.issue import Issue, Item

type JSON = bool | int | float | str | list | dict | None


class ContentFields:
    """The content fields of ``model``: all it holds but its id and its ``owner``."""

    def __init__(self, model: type[models.Model], *, owner: str):
        self.model = model
        self.owner = owner

    @property
    def fields(self) -> list[models.Field]:
        # From the model on every use, so that no older list of them is ever held.
        return [
            field
            for field in self.model._meta.concrete_fields
            if field.editable and not field.primary_key and field.name != self.owner
        ]

    @property
    def relations(self) -> list[str]:
        """The related rows, to select with the rows: the data has their titles."""
        return [field.name for field in self.fields if field.is_relation]

    def values(self, instance: models.Model) -> dict[str, Any]:
        """The values as the model holds them; a related row's id, a file's name."""
        return {field.name: _value(field, instance) for field in self.fields}

    def data(self, instance: models.Model) -> dict[str, JSON]:
        """The values as JSON-ready data."""
        data = {}
        for field in self.fields:
            data[field.name] = _json(field, instance)
            if field.is_relation:
                data[title_key(field.name)] = _title(getattr(instance, field.name))
        return data

    def set_data(self, instance: models.Model, data: dict[str, JSON]) -> None:
        """Set the fields ``data`` has; a field it does not have stays as it is."""
        for field in self.fields:
            if field.name in data:
                setattr(instance, field.attname, field.to_python(data[field.name]))


ISSUE_CONTENT = ContentFields(Issue, owner="publication")
ITEM_CONTENT = ContentFields(Item, owner="issue")


def title_key(name: str) -> str:
    """The key of the title of the row the relation ``name`` points to."""
    return f"{name}_title"


def _value(field: models.Field, instance: models.Model) -> Any:
    value = field.value_from_object(instance)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _json(field: models.Field, instance: models.Model) -> JSON:
    value = field.value_from_object(instance)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    # Django's own text for the rest: ISO 8601 for dates and times, a file's name.
    return field.value_to_string(instance)


def _title(row: models.Model | None) -> str:
    if row is None:
        return ""
    return getattr(row, "title", None) or str(row)
