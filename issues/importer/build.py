"""
Structured content into the database, and back out of it.

``write_content`` writes what the importer read. Rows are found by their natural keys
(slugs; an issue by its month; an item by its title and place within the issue; a
membership by team and person) and created when missing. A row that exists is left as
it is, editors' changes included; a section is also found by its title, so that an
editor's slugs stay.
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
from issues.models import (
    ISSUE_CONTENT,
    ITEM_CONTENT,
    Issue,
    Item,
    Publication,
    Section,
    SocialLink,
)
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
    """How many rows of each model were created or left as they were."""

    created: Counter = dataclasses.field(default_factory=Counter)
    unchanged: Counter = dataclasses.field(default_factory=Counter)


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
    *, publication: PublicationContent, issue: IssueContent, changes: Changes
) -> Issue:
    """
    Write ``publication`` and ``issue``; count what was done in ``changes``. Raises
    ``ContentRejected`` for a row that would not be valid.
    """
    return _Writer(changes).write(publication, issue)


class _Writer:
    def __init__(self, changes: Changes):
        self.changes = changes

    def write(self, content: PublicationContent, issue_content: IssueContent) -> Issue:
        existing = Publication.objects.filter(slug=content.slug).first()
        team = self._team(content.team, existing)
        people = self._people(content.team.members)
        if team is not None:
            self._memberships(team, content.team.members, people)
        publication = self._publication(content, team, people)
        self._social_links(publication, content.social_links)
        sections = self._sections(
            publication, content.sections, into_existing=existing is not None
        )
        issue = self._issue(publication, issue_content)
        self._items(issue, issue_content.items, sections)
        return issue

    def _publication(
        self, content: PublicationContent, team: Team | None, people: dict
    ) -> Publication:
        return self._get_or_create(
            Publication,
            {"slug": content.slug},
            name=content.name,
            intro=content.intro,
            contact=people.get(content.contact_slug),
            signup_url=content.signup_url,
            postal_address=content.postal_address,
            copyright_holder=content.copyright_holder,
            brand_colour=content.brand_colour,
            banner_url=content.banner_url,
            banner_alt=content.banner_alt,
            team=team,
        )

    def _social_links(
        self, publication: Publication, links: tuple[SocialLinkContent, ...]
    ) -> None:
        for position, link in enumerate(links, start=1):
            self._get_or_create(
                SocialLink,
                {"publication": publication, "url": link.url},
                network=link.network,
                label=link.label,
                position=position,
            )

    def _sections(
        self,
        publication: Publication,
        contents: tuple[SectionContent, ...],
        *,
        into_existing: bool,
    ) -> dict[str, Section]:
        """The sections by the content's slugs; new ones go after an editor's."""
        sections = {}
        next_position = 1
        if into_existing:
            highest = publication.sections.aggregate(Max("position"))["position__max"]
            next_position = (highest or 0) + 1
        for position, section in enumerate(contents, start=1):
            found = None
            if into_existing:
                found = publication.sections.filter(title__iexact=section.title).first()
            if found is not None:
                self.changes.unchanged[Section] += 1
                sections[section.slug] = found
                continue
            if (
                into_existing
                and not publication.sections.filter(slug=section.slug).exists()
            ):
                position = next_position
                next_position += 1
            sections[section.slug] = self._get_or_create(
                Section,
                {"publication": publication, "slug": section.slug},
                title=section.title,
                kind=section.kind,
                position=position,
                is_default=True,
                image_url=section.image_url,
                image_alt=section.image_alt,
            )
        return sections

    def _issue(self, publication: Publication, content: IssueContent) -> Issue:
        values = _model_values(content, without=("items",))
        return self._get_or_create(
            Issue,
            {
                "publication": publication,
                "year": values.pop("year"),
                "month": values.pop("month"),
            },
            status=Issue.Status.SENT,
            **values,
        )

    def _items(
        self,
        issue: Issue,
        items: dict[str, tuple[ItemContent, ...]],
        sections: dict[str, Section],
    ) -> None:
        for section_slug, section_items in items.items():
            for position, item in enumerate(section_items, start=1):
                values = _model_values(item, without=("event",))
                # An issue may hold two items of the same title: each is its own.
                self._get_or_create(
                    Item,
                    {
                        "issue": issue,
                        "title": values.pop("title"),
                        "section": sections[section_slug],
                        "position": position,
                    },
                    event=self._event(item.event) if item.event else None,
                    **values,
                )

    def _team(self, content: TeamContent, publication: Publication | None):
        if not content.slug:
            return publication.team if publication else None
        if publication is not None and publication.team_id:
            self.changes.unchanged[Team] += 1
            return publication.team
        return self._get_or_create(Team, {"slug": content.slug}, name=content.name)

    def _people(self, members: tuple[TeamMemberContent, ...]) -> dict[str, Person]:
        return {
            member.slug: self._get_or_create(
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
            if team.memberships.filter(person=person).exists():
                # Whatever an editor recorded of this person's time on the team
                # stands.
                self.changes.unchanged[TeamMembership] += 1
                continue
            self._get_or_create(
                TeamMembership,
                {"team": team, "person": person, "starts_on": None},
                role=member.role,
                position=position,
                ends_on=None,
            )

    def _event(self, event: EventContent) -> Event:
        return self._get_or_create(
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

    def _get_or_create(
        self, model: type[models.Model], lookup: dict, **values: Any
    ) -> models.Model:
        """The row found by ``lookup``, as it is; else a new one with ``values``."""
        instance = model._default_manager.filter(**lookup).first()
        if instance is not None:
            self.changes.unchanged[model] += 1
            return instance
        instance = model(**lookup, **values)
        try:
            instance.full_clean()
        except ValidationError as error:
            raise ContentRejected(instance, error) from error
        instance.save()
        self.changes.created[model] += 1
        return instance


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
            _structured(
                ItemContent,
                ITEM_CONTENT.values(item),
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
    issue_content = _structured(
        IssueContent,
        ISSUE_CONTENT.values(issue),
        sent_at=issue.sent_at,
        items={slug: tuple(found) for slug, found in items.items()},
    )
    return publication_content, issue_content


def _model_values(content, *, without: tuple[str, ...]) -> dict[str, Any]:
    """The fields of the structured ``content`` that its model has, by name."""
    return {
        field.name: getattr(content, field.name)
        for field in dataclasses.fields(content)
        if field.name not in without
    }


def _structured(content_class: type, values: dict[str, Any], **more: Any):
    """A ``content_class`` of the ``values`` it has fields for, and ``more``."""
    names = {field.name for field in dataclasses.fields(content_class)} - set(more)
    return content_class(
        **{name: value for name, value in values.items() if name in names}, **more
    )


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
