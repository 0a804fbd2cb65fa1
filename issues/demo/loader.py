"""
Puts the demo content in the database, or brings it back to what ``content`` says.

Rows are found by their natural keys (slugs; an issue by its month; an item by its
title within the issue; a social link by its network; a membership by team and
person), created when missing and saved only when a field differs, so that a second
run writes nothing.
"""

import dataclasses
from collections import Counter
from typing import Any

from django.db import models, transaction

from events.models import Event
from issues.models import Issue, Item, Publication, Section, SocialLink
from newsroom.fields import RichTextField
from newsroom.sanitizer import clean_html
from people.models import Person, Team, TeamMembership

from . import content

# In the order the summary lists them.
MODELS = (
    Publication,
    SocialLink,
    Section,
    Issue,
    Item,
    Event,
    Team,
    Person,
    TeamMembership,
)


@dataclasses.dataclass
class LoadResult:
    """How many rows of each model were created, updated or left as they were."""

    created: Counter = dataclasses.field(default_factory=Counter)
    updated: Counter = dataclasses.field(default_factory=Counter)
    unchanged: Counter = dataclasses.field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)

    def summary(self) -> str:
        if not self.changed:
            return "Demo content already loaded; nothing changed."
        parts = []
        if +self.created:
            parts.append(f"created {_counts(self.created)}")
        if +self.updated:
            parts.append(f"updated {_counts(self.updated)}")
        text = "Demo content: " + "; ".join(parts)
        unchanged = sum(self.unchanged.values())
        if unchanged:
            text += (
                f"; {unchanged} other {'row' if unchanged == 1 else 'rows'} as before"
            )
        return text + "."


def _counts(counter: Counter) -> str:
    phrases = []
    for model in MODELS:
        number = counter[model]
        if number:
            meta = model._meta
            noun = meta.verbose_name if number == 1 else meta.verbose_name_plural
            phrases.append(f"{number} {noun}")
    return ", ".join(phrases)


def load_demo() -> LoadResult:
    """Create or restore the demo publication, its November 2024 issue and its team."""
    result = LoadResult()
    with transaction.atomic():
        _load(result)
    return result


def _load(result: LoadResult) -> None:
    publication_content = content.PUBLICATION
    team_content = publication_content.team

    people = {}
    for member in team_content.members:
        people[member.slug] = _sync(
            result,
            Person,
            {"slug": member.slug},
            name=member.name,
            organisation=member.organisation,
            job_title=member.job_title,
            email=member.email,
        )

    team = _sync(result, Team, {"slug": team_content.slug}, name=team_content.name)
    for position, member in enumerate(team_content.members, start=1):
        _sync(
            result,
            TeamMembership,
            {"team": team, "person": people[member.slug], "starts_on": None},
            role=member.role,
            position=position,
            ends_on=None,
        )

    publication = _sync(
        result,
        Publication,
        {"slug": publication_content.slug},
        name=publication_content.name,
        intro=publication_content.intro,
        contact=people[publication_content.contact_slug],
        signup_url=publication_content.signup_url,
        postal_address=publication_content.postal_address,
        copyright_holder=publication_content.copyright_holder,
        brand_colour=publication_content.brand_colour,
        banner_url=publication_content.banner_url,
        banner_alt=publication_content.banner_alt,
        team=team,
    )
    for position, link in enumerate(publication_content.social_links, start=1):
        _sync(
            result,
            SocialLink,
            {"publication": publication, "network": link.network},
            label=link.label,
            url=link.url,
            position=position,
        )

    sections = {}
    for position, section in enumerate(publication_content.sections, start=1):
        sections[section.slug] = _sync(
            result,
            Section,
            {"publication": publication, "slug": section.slug},
            title=section.title,
            kind=section.kind,
            position=position,
            is_default=True,
            image_url=section.image_url,
            image_alt=section.image_alt,
        )

    issue_content = content.ISSUE
    issue = _sync(
        result,
        Issue,
        {
            "publication": publication,
            "year": issue_content.year,
            "month": issue_content.month,
        },
        title=issue_content.title,
        slug=issue_content.slug,
        preheader=issue_content.preheader,
        intro=issue_content.intro,
        status=Issue.Status.SENT,
        sent_at=issue_content.sent_at,
        planned_send_date=issue_content.planned_send_date,
    )

    for section_slug, items in issue_content.items.items():
        for position, item in enumerate(items, start=1):
            event = _sync_event(result, item.event) if item.event else None
            _sync(
                result,
                Item,
                {"issue": issue, "title": item.title},
                section=sections[section_slug],
                position=position,
                body=item.body,
                image_url=item.image_url,
                image_alt=item.image_alt,
                deadline=item.deadline,
                deadline_label=item.deadline_label,
                cta_label=item.cta_label,
                cta_url=item.cta_url,
                event=event,
            )


def _sync_event(result: LoadResult, event: content.EventContent) -> Event:
    return _sync(
        result,
        Event,
        {"slug": event.slug},
        title=event.title,
        summary=event.summary,
        body=event.body,
        start_date=event.start_date,
        start_time=None,
        end_date=None,
        end_time=None,
        format=event.format,
        location=event.location,
        organiser=event.organiser,
        registration_url=event.registration_url,
    )


def _sync(
    result: LoadResult, model: type[models.Model], lookup: dict, **values: Any
) -> models.Model:
    """Find the row by ``lookup``; create it, or update the fields that differ."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        result.created[model] += 1
        return instance
    changed = False
    for name, value in values.items():
        if not _same(instance, name, value):
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.full_clean()
        instance.save()
        result.updated[model] += 1
    else:
        result.unchanged[model] += 1
    return instance


def _same(instance: models.Model, name: str, value: Any) -> bool:
    """Whether the field already holds ``value`` as saving it would store it."""
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) == (value.pk if value else None)
    if isinstance(field, RichTextField):
        # Rich text is stored as the sanitiser returns it, so compare like with like.
        value = clean_html(value)
    else:
        value = field.to_python(value)
    return getattr(instance, name) == value
