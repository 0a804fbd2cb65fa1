"""
The masthead: the level-1 heading is the publication's name, the image above it its
banner; the next heading is the issue's title and gives its month (“November 2024”).
A date alone just under the title (“18 November 2024”, as exported e-mails show it)
is the day the issue went out, and gives the month when the title does not; one
outside the years Newsroom keeps is not, and stays in the introduction.
"""

import datetime
from dataclasses import dataclass

from issues.importer.reader.blocks import Block
from issues.importer.reader.dates import DateReport, month_named, read_date
from issues.importer.reader.errors import UnreadableNewsletter
from newsroom.core.dates import FIRST_YEAR, LAST_YEAR, is_kept_year


@dataclass
class Masthead:
    name: str
    banner: Block | None
    title: Block
    year: int
    month: int
    sent_on: datetime.date | None
    # The blocks below it: introduction, sections and footer.
    below: list[Block]


def read_masthead(blocks: list[Block], dates: DateReport) -> Masthead:
    name_at = _name_at(blocks)
    title_at = _title_at(blocks, name_at)
    title = blocks[title_at]
    below = blocks[title_at + 1 :]
    sent_on = _sent_on(below, dates)
    if sent_on:
        below = below[1:]
    year, month = _month(title, sent_on)
    return Masthead(
        name=blocks[name_at].text,
        banner=next((b for b in reversed(blocks[:name_at]) if b.kind == "image"), None),
        title=title,
        year=year,
        month=month,
        sent_on=sent_on,
        below=below,
    )


def _name_at(blocks: list[Block]) -> int:
    for number, block in enumerate(blocks):
        if block.kind == "heading" and block.level == 1:
            return number
    raise UnreadableNewsletter(
        "no publication name found: a newsletter starts with its name as the "
        "main heading (# Name in Markdown, <h1> in HTML)",
        blocks[0].line if blocks else 1,
    )


def _title_at(blocks: list[Block], name_at: int) -> int:
    for number in range(name_at + 1, len(blocks)):
        if blocks[number].kind == "heading":
            return number
    raise UnreadableNewsletter(
        "no issue title found under the publication's name", blocks[name_at].line
    )


def _sent_on(below: list[Block], dates: DateReport) -> datetime.date | None:
    first = below[0] if below else None
    if first is None or first.kind != "paragraph" or first.links:
        return None
    return dates.kept(read_date(first.text), first)


def _month(title: Block, sent_on: datetime.date | None) -> tuple[int, int]:
    year_and_month = month_named(title.text)
    if year_and_month is None and sent_on is not None:
        year_and_month = sent_on.year, sent_on.month
    if year_and_month is None:
        raise UnreadableNewsletter(
            f"the issue's month was not found: its title “{title.text}” should name "
            "it, e.g. “November 2024”, or a date should stand alone just under it",
            title.line,
        )
    year = year_and_month[0]
    if not is_kept_year(year):
        raise UnreadableNewsletter(
            f"the year {year} in the issue's title is outside the dates Newsroom keeps "
            f"({FIRST_YEAR} to {LAST_YEAR}): check the year",
            title.line,
        )
    return year_and_month
