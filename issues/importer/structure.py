"""
An issue as structured content: what the importer reads from a newsletter, before it
is written to the database (``build.write_content``), or after it is read back from it
(``build.read_content``).

An issue's and an item's fields are their models' content fields
(``issues.models.content``), holding values as the models do and defaulting as they
do, so that a field added to ``Issue`` or ``Item`` is read back and written with the
rest. An item's place is the structure's own: the slug of its section, which it is
filed under, and its order there. Its event is an ``EventContent``, found or created
by its slug.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from issues.models import ISSUE_CONTENT, ITEM_CONTENT, ContentFields, Section


@dataclass(frozen=True)
class TeamMemberContent:
    name: str
    slug: str
    organisation: str
    role: str
    job_title: str = ""
    email: str = ""


@dataclass(frozen=True)
class EventContent:
    title: str
    slug: str
    start_date: datetime.date
    format: str
    summary: str
    body: str
    registration_url: str
    location: str = ""
    organiser: str = ""


def _content_class(
    name: str, content: ContentFields, *more: tuple, place: tuple[str, ...] = ()
) -> type:
    """
    A frozen dataclass of the content fields of ``content`` but ``place``, then the
    fields ``more``. Relations are left out too: the structure files an item under
    its section's slug, and gives its event as an ``EventContent``. What the model
    requires, the reader must give.
    """
    fields = [
        (model_field.name, Any, _default(model_field))
        for model_field in content.fields
        if not model_field.is_relation and model_field.name not in place
    ]
    return dataclasses.make_dataclass(
        name, [*fields, *more], frozen=True, kw_only=True, module=__name__
    )


def _default(model_field: models.Field) -> dataclasses.Field:
    if model_field.blank or model_field.has_default():
        return field(default_factory=model_field.get_default)
    return field()


ItemContent = _content_class(
    "ItemContent",
    ITEM_CONTENT,
    ("event", EventContent | None, field(default=None)),
    place=("position",),
)


@dataclass(frozen=True)
class SectionContent:
    title: str
    slug: str
    kind: str = Section.Kind.ITEMS
    image_url: str = ""
    image_alt: str = ""
    items: tuple[ItemContent, ...] = ()


@dataclass(frozen=True)
class SocialLinkContent:
    network: str
    url: str
    label: str = ""


@dataclass(frozen=True)
class TeamContent:
    name: str
    slug: str
    members: tuple[TeamMemberContent, ...]


@dataclass(frozen=True)
class PublicationContent:
    name: str
    slug: str
    intro: str
    contact_slug: str
    signup_url: str
    postal_address: str
    copyright_holder: str
    brand_colour: str
    banner_url: str
    banner_alt: str
    social_links: tuple[SocialLinkContent, ...]
    sections: tuple[SectionContent, ...]
    team: TeamContent


IssueContent = _content_class(
    "IssueContent",
    ISSUE_CONTENT,
    ("sent_at", datetime.datetime),
    # Items by section slug, in the order they appear.
    ("items", dict[str, tuple[ItemContent, ...]], field(default_factory=dict)),
)
