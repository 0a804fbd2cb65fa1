"""
Small helpers that make valid objects with sensible defaults; tests pass only what
matters to them.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from events.models import Deadline, Event
from issues.models import Issue, Item, Publication, Section, SocialLink
from people.models import Person, Team, TeamMembership

_counter = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_counter)}"


def make_user(username: str | None = None, **fields):
    username = username or slugify(_unique("user"))
    fields.setdefault("is_staff", True)
    password = fields.pop("password", "correct horse battery staple")
    user = get_user_model().objects.create_user(
        username=username, password=password, **fields
    )
    user.raw_password = password
    return user


def make_superuser(username: str | None = None, **fields):
    return make_user(username, is_superuser=True, **fields)


def make_person(name: str | None = None, **fields) -> Person:
    name = name or _unique("Person")
    fields.setdefault("slug", slugify(name))
    return Person.objects.create(name=name, **fields)


def make_team(name: str | None = None, **fields) -> Team:
    name = name or _unique("Team")
    fields.setdefault("slug", slugify(name))
    return Team.objects.create(name=name, **fields)


def make_membership(team: Team, person: Person, **fields) -> TeamMembership:
    fields.setdefault("role", "Member")
    return TeamMembership.objects.create(team=team, person=person, **fields)


def make_publication(name: str | None = None, **fields) -> Publication:
    name = name or _unique("Publication")
    fields.setdefault("slug", slugify(name))
    return Publication.objects.create(name=name, **fields)


def make_section(publication: Publication | None = None, **fields) -> Section:
    publication = publication or make_publication()
    title = fields.pop("title", None) or _unique("Section")
    fields.setdefault("slug", slugify(title))
    return Section.objects.create(publication=publication, title=title, **fields)


def make_social_link(publication: Publication, **fields) -> SocialLink:
    fields.setdefault("network", SocialLink.Network.WEBSITE)
    fields.setdefault("url", "https://www.example.org/")
    return SocialLink.objects.create(publication=publication, **fields)


def make_issue(publication: Publication | None = None, **fields) -> Issue:
    publication = publication or make_publication()
    fields.setdefault("year", 2024)
    fields.setdefault("month", 11)
    if fields.get("status") == Issue.Status.SENT:
        fields.setdefault("sent_at", timezone.now())
    return Issue.objects.create(publication=publication, **fields)


def make_item(issue: Issue | None = None, section: Section | None = None, **fields):
    if issue is not None and section is None:
        section = make_section(issue.publication)
    fields.setdefault("title", _unique("Item"))
    return Item.objects.create(issue=issue, section=section, **fields)


def make_event(title: str | None = None, **fields) -> Event:
    title = title or _unique("Event")
    fields.setdefault("slug", slugify(title))
    fields.setdefault("start_date", datetime.date(2024, 11, 20))
    return Event.objects.create(title=title, **fields)


def make_deadline(event: Event, **fields) -> Deadline:
    fields.setdefault("label", "Registration deadline")
    fields.setdefault("date", event.start_date - datetime.timedelta(days=7))
    return Deadline.objects.create(event=event, **fields)


def make_image_file(
    name: str = "photo.jpg",
    image_format: str = "JPEG",
    size: tuple[int, int] = (60, 40),
    colour: str = "#1F4E79",
    **save_options,
):
    """An uploaded image made in memory; ``save_options`` go to Pillow's save()."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    mode = "RGB" if image_format in ("JPEG", "BMP") else "RGBA"
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=image_format, **save_options)
    return SimpleUploadedFile(name, out.getvalue())
