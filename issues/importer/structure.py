"""
An issue as structured content: what the importer reads from a newsletter, before it
is written to the database (``build.write_content``), or after it is read back from it
(``build.read_content``).
"""

import datetime
from dataclasses import dataclass, field

from issues.models import Section


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


@dataclass(frozen=True)
class ItemContent:
    title: str
    body: str = ""
    image_url: str = ""
    image_alt: str = ""
    deadline: datetime.date | None = None
    deadline_label: str = ""
    cta_label: str = ""
    cta_url: str = ""
    event: EventContent | None = None


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


@dataclass(frozen=True)
class IssueContent:
    year: int
    month: int
    title: str
    slug: str
    preheader: str
    intro: str
    sent_at: datetime.datetime
    planned_send_date: datetime.date
    # Items by section slug, in the order they appear.
    items: dict[str, tuple[ItemContent, ...]] = field(default_factory=dict)
