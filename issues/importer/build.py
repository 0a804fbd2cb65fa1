"""
Structured content into the database, and back out of it.

``write_content`` is shared by the demo loader and the importer. Rows are found by
their natural keys (slugs; an issue by its month; an item by its title within the
issue, and for the importer its place too; a membership by team and person) and
created when missing. What happens to a row that exists depends on who writes:

- the demo loader restores: a field that differs from the content is set back;
- the importer only adds: a row that exists is left as it is, editors' changes
  included, and a section is also found by its title, so that an editor's slugs stay.
"""

import dataclasses
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max

from events.models import Event
from issues.importer.structure import (
    EventContent,
    IssueContent,
    ItemContent,
    PublicationContent,
    SectionContent,
    SocialLinkContent,
    TeamContent,
    TeamMemberContent,
)
from issues.models import Issue, Item, Publication, Section, SocialLink
from newsroom.core.fields import RichTextField
from newsroom.core.richtext import clean_html
from people.models import Person, Team, TeamMembership

# In the order summaries list them.
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
class Changes:
    """How many rows of each model were created, updated or left as they were."""

    created: Counter = dataclasses.field(default_factory=Counter)
    updated: Counter = dataclasses.field(default_factory=Counter)
    unchanged: Counter = dataclasses.field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)


def count_phrase(counter: Counter) -> str:
    """“1 publication, 6 sections”, in the order of ``MODELS``."""
    phrases = []
    for model in MODELS:
        number = counter[model]
        if number:
            meta = model._meta
            noun = meta.verbose_name if number == 1 else meta.verbose_name_plural
            phrases.append(f"{number} {noun}")
    return ", ".join(phrases)


class ContentRejected(ValueError):
    """A row the content would write is not valid; says which, and why."""

    def __init__(self, instance: models.Model, error: ValidationError):
        reasons = []
        for name, messages in error.message_dict.items():
            label = ""
            if name != "__all__":
                label = f"{instance._meta.get_field(name).verbose_name}: "
            reasons += [f"{label}{message}" for message in messages]
        super().__init__(
            f"the {instance._meta.verbose_name} “{instance}” cannot be saved "
            f"({'; '.join(reasons).rstrip('.')})"
        )


def write_content(
    *,
    publication: PublicationContent,
    issue: IssueContent,
    changes: Changes,
    restore: bool,
) -> Issue:
    """
    Write ``publication`` and ``issue``; count what was done in ``changes``. Raises
    ``ContentRejected`` for a row that would not be valid.
    """
    writer = _Writer(changes, restore=restore)
    return writer.write(publication, issue)


class _Writer:
    def __init__(self, changes: Changes, *, restore: bool):
        self.changes = changes
        self.restore = restore

    def write(self, publication_content: PublicationContent, issue_content) -> Issue:  # noqa: C901
        existing = Publication.objects.filter(slug=publication_content.slug).first()
        adding_to_existing = existing is not None and not self.restore
        team = self._team(publication_content.team, existing)
        people = self._people(publication_content.team.members)
        if team is not None:
            self._memberships(team, publication_content.team.members, people)

        publication = self._sync(
            Publication,
            {"slug": publication_content.slug},
            name=publication_content.name,
            intro=publication_content.intro,
            contact=people.get(publication_content.contact_slug),
            signup_url=publication_content.signup_url,
            postal_address=publication_content.postal_address,
            copyright_holder=publication_content.copyright_holder,
            brand_colour=publication_content.brand_colour,
            banner_url=publication_content.banner_url,
            banner_alt=publication_content.banner_alt,
            team=team,
        )
        for position, link in enumerate(publication_content.social_links, start=1):
            # The loader knows one link per network; an import may bring several.
            key = "network" if self.restore else "url"
            values = {"network": link.network, "label": link.label, "url": link.url}
            self._sync(
                SocialLink,
                {"publication": publication, key: values.pop(key)},
                **values,
                position=position,
            )

        sections = {}
        next_position = 1
        if adding_to_existing:
            highest = publication.sections.aggregate(Max("position"))["position__max"]
            next_position = (highest or 0) + 1
        for position, section in enumerate(publication_content.sections, start=1):
            found = None
            if adding_to_existing:
                found = publication.sections.filter(title__iexact=section.title).first()
            if found is not None:
                self.changes.unchanged[Section] += 1
                sections[section.slug] = found
                continue
            if (
                adding_to_existing
                and not publication.sections.filter(slug=section.slug).exists()
            ):
                position = next_position
                next_position += 1
            sections[section.slug] = self._sync(
                Section,
                {"publication": publication, "slug": section.slug},
                title=section.title,
                kind=section.kind,
                position=position,
                is_default=True,
                image_url=section.image_url,
                image_alt=section.image_alt,
            )

        issue = self._sync(
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
                event = self._event(item.event) if item.event else None
                lookup = {"issue": issue, "title": item.title}
                place = {"section": sections[section_slug], "position": position}
                if not self.restore:
                    # The importer writes only new issues, which may hold two
                    # items of the same title: each is its own.
                    lookup, place = {**lookup, **place}, {}
                self._sync(
                    Item,
                    lookup,
                    **place,
                    body=item.body,
                    image_url=item.image_url,
                    image_alt=item.image_alt,
                    deadline=item.deadline,
                    deadline_label=item.deadline_label,
                    cta_label=item.cta_label,
                    cta_url=item.cta_url,
                    event=event,
                )
        return issue

    def _team(self, content: TeamContent, publication: Publication | None):
        if not content.slug:
            return publication.team if publication else None
        if not self.restore and publication is not None and publication.team_id:
            self.changes.unchanged[Team] += 1
            return publication.team
        return self._sync(Team, {"slug": content.slug}, name=content.name)

    def _people(self, members: tuple[TeamMemberContent, ...]) -> dict[str, Person]:
        return {
            member.slug: self._sync(
                Person,
                {"slug": member.slug},
                name=member.name,
                organisation=member.organisation,
                job_title=member.job_title,
                email=member.email,
            )
            for member in members
        }

    def _memberships(self, team: Team, members, people: dict[str, Person]) -> None:
        for position, member in enumerate(members, start=1):
            person = people[member.slug]
            if not self.restore and team.memberships.filter(person=person).exists():
                # Whatever an editor recorded of this person's time on the team
                # stands.
                self.changes.unchanged[TeamMembership] += 1
                continue
            self._sync(
                TeamMembership,
                {"team": team, "person": person, "starts_on": None},
                role=member.role,
                position=position,
                ends_on=None,
            )

    def _event(self, event: EventContent) -> Event:
        return self._sync(
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
        self, model: type[models.Model], lookup: dict, **values: Any
    ) -> models.Model:
        """Find the row by ``lookup``; create it, or restore the fields that differ."""
        instance = model._default_manager.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            _full_clean(instance)
            instance.save()
            self.changes.created[model] += 1
            return instance
        changed = False
        if self.restore:
            for name, value in values.items():
                if not _same(instance, name, value):
                    setattr(instance, name, value)
                    changed = True
        if changed:
            _full_clean(instance)
            instance.save()
            self.changes.updated[model] += 1
        else:
            self.changes.unchanged[model] += 1
        return instance


def _full_clean(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ContentRejected(instance, error) from error


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


def read_content(issue: Issue) -> tuple[PublicationContent, IssueContent]:
    """``issue`` and its publication as structured content, as they are stored."""
    publication = issue.publication
    team = publication.team
    members = ()
    if team is not None:
        members = tuple(
            TeamMemberContent(
                name=membership.person.name,
                slug=membership.person.slug,
                organisation=membership.person.organisation,
                role=membership.role,
                job_title=membership.person.job_title,
                email=membership.person.email,
            )
            for membership in team.members_on(issue.date)
        )
    sections = list(publication.sections.order_by("position", "pk"))
    items: dict[str, list[ItemContent]] = {}
    for item in issue.items.in_order().select_related("section", "event"):
        items.setdefault(item.section.slug, []).append(
            ItemContent(
                title=item.title,
                body=item.body,
                image_url=item.image_url,
                image_alt=item.image_alt,
                deadline=item.deadline,
                deadline_label=item.deadline_label,
                cta_label=item.cta_label,
                cta_url=item.cta_url,
                event=_event_content(item.event) if item.event else None,
            )
        )
    publication_content = PublicationContent(
        name=publication.name,
        slug=publication.slug,
        intro=publication.intro,
        contact_slug=publication.contact.slug if publication.contact else "",
        signup_url=publication.signup_url,
        postal_address=publication.postal_address,
        copyright_holder=publication.copyright_holder,
        brand_colour=publication.brand_colour,
        banner_url=publication.banner_url,
        banner_alt=publication.banner_alt,
        social_links=tuple(
            SocialLinkContent(network=link.network, url=link.url, label=link.label)
            for link in publication.social_links.all()
        ),
        sections=tuple(
            SectionContent(
                title=section.title,
                slug=section.slug,
                kind=section.kind,
                image_url=section.image_url,
                image_alt=section.image_alt,
            )
            for section in sections
        ),
        team=TeamContent(
            name=team.name if team else "",
            slug=team.slug if team else "",
            members=members,
        ),
    )
    issue_content = IssueContent(
        year=issue.year,
        month=issue.month,
        title=issue.title,
        slug=issue.slug,
        preheader=issue.preheader,
        intro=issue.intro,
        sent_at=issue.sent_at,
        planned_send_date=issue.planned_send_date,
        items={slug: tuple(found) for slug, found in items.items()},
    )
    return publication_content, issue_content


def _event_content(event: Event) -> EventContent:
    return EventContent(
        title=event.title,
        slug=event.slug,
        start_date=event.start_date,
        format=event.format,
        summary=event.summary,
        body=event.body,
        registration_url=event.registration_url,
        location=event.location,
        organiser=event.organiser,
    )
