"""
Reads a newsletter as readers received it, Markdown or the HTML of the e-mail, into
the structured content of ``issues.importer.structure``, in stages:

1. ``document``: the file as the document readers saw, links unwrapped;
2. ``blocks``: that document flattened into headings, paragraphs, images and lists;
3. ``masthead`` and ``outline``: the publication's name, the issue's title and month,
   then the introduction, the sections with their items, the social links and the
   footer;
4. ``introduction``, ``team``, ``sections``, ``items``, ``events`` and ``footer``:
   each part of the outline read into the publication's and the issue's content.

Each module states the rules it follows; ``dates`` reads the dates they meet.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from issues.importer.reader.blocks import flatten, rich_text
from issues.importer.reader.dates import DateReport, sent_at_on
from issues.importer.reader.document import Document, read_document
from issues.importer.reader.errors import UnreadableNewsletter
from issues.importer.reader.footer import read_footer, read_social_links
from issues.importer.reader.introduction import Introduction, read_introduction
from issues.importer.reader.masthead import Masthead, read_masthead
from issues.importer.reader.outline import Outline, read_outline
from issues.importer.reader.sections import read_sections
from issues.importer.reader.team import read_team, with_contact
from issues.importer.reader.text import make_slug
from issues.importer.structure import (
    IssueContent,
    ItemContent,
    PublicationContent,
    SectionContent,
    TeamContent,
)
from issues.importer.unwrap import LinkReport
from issues.models import default_preheader

__all__ = ["ParsedNewsletter", "UnreadableNewsletter", "read_newsletter"]


@dataclass
class ParsedNewsletter:
    publication: PublicationContent
    issue: IssueContent
    links: LinkReport
    source_format: str  # "markdown" or "html"
    # Whether the time of sending was read from the source, or is the default.
    sent_at_from_source: bool = True
    # Whether at least the day of sending was read from the source.
    sent_on_from_source: bool = True
    # The file as text, as it was read.
    text: str = ""
    # Dates outside the years Newsroom keeps, left as text.
    dates: DateReport = field(default_factory=DateReport)


def read_newsletter(
    data: bytes | str, *, publication_slug: str = ""
) -> ParsedNewsletter:
    """Read ``data``; raise ``UnreadableNewsletter`` when it is not a newsletter."""
    links = LinkReport()
    dates = DateReport()
    document = read_document(data, links)
    masthead = read_masthead(flatten(document), dates)
    outline = read_outline(masthead)
    introduction = read_introduction(outline.intro, masthead.month)
    sections, items = read_sections(
        outline.sections, masthead.name, outline.team_section, dates
    )
    delivered_at = links.delivered_at()
    return ParsedNewsletter(
        publication=_publication(
            masthead,
            outline,
            introduction,
            sections,
            slug=publication_slug or make_slug(masthead.name),
            brand_colour=document.brand_colour,
        ),
        issue=_issue(masthead, introduction, items, document, delivered_at),
        links=links,
        source_format=document.source_format,
        sent_at_from_source=delivered_at is not None,
        sent_on_from_source=delivered_at is not None or masthead.sent_on is not None,
        text=document.text,
        dates=dates,
    )


def _publication(
    masthead: Masthead,
    outline: Outline,
    introduction: Introduction,
    sections: tuple[SectionContent, ...],
    *,
    slug: str,
    brand_colour: str,
) -> PublicationContent:
    team = outline.team_section
    members, contact_slug = with_contact(
        read_team(team), introduction.paragraphs, outline.contact_line
    )
    copyright_holder, postal_address = read_footer(outline.footer)
    banner = masthead.banner
    return PublicationContent(
        name=masthead.name,
        slug=slug,
        intro=rich_text(introduction.about_the_publication),
        contact_slug=contact_slug,
        signup_url=introduction.signup_url,
        postal_address=postal_address,
        copyright_holder=copyright_holder,
        brand_colour=brand_colour,
        banner_url=banner.src if banner else "",
        banner_alt=(banner.alt or masthead.name) if banner else "",
        social_links=read_social_links(outline.social),
        sections=sections,
        team=TeamContent(
            name=team.title if team else "",
            slug=make_slug(team.title, 200) if team else "",
            members=tuple(members),
        ),
    )


def _issue(
    masthead: Masthead,
    introduction: Introduction,
    items: dict[str, tuple[ItemContent, ...]],
    document: Document,
    delivered_at: datetime.datetime | None,
) -> IssueContent:
    year, month = masthead.year, masthead.month
    sent_at = delivered_at or sent_at_on(
        masthead.sent_on or datetime.date(year, month, 1)
    )
    titles = [item.title for section_items in items.values() for item in section_items]
    preheader = document.preheader
    # The preheader exports make up for an issue without one is not the issue's own.
    if preheader and preheader == default_preheader(titles, masthead.name):
        preheader = ""
    return IssueContent(
        year=year,
        month=month,
        title=masthead.title.text[:200],
        slug=f"{year}-{month:02d}",
        preheader=preheader,
        intro=rich_text(introduction.about_this_month),
        sent_at=sent_at,
        planned_send_date=timezone.localdate(sent_at),
        items=items,
    )
