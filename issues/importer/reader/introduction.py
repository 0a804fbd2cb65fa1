"""
The introduction: the paragraphs under the issue's title are the publication's
introduction, repeated in every issue, except the one with the sign-up link, and
those about this month alone (naming the month, “this month”, “this issue”), which
are the issue's own.
"""

import calendar
import re
from dataclasses import dataclass, field

from issues.importer.reader.blocks import Block

_THIS_MONTH = r"\b(this month|this issue|this edition|{month})\b"
_SIGNUP = re.compile(r"sign[- ]?up|subscribe", re.IGNORECASE)


@dataclass
class Introduction:
    # In reading order, the sign-up paragraph left out.
    paragraphs: list[Block] = field(default_factory=list)
    about_the_publication: list[Block] = field(default_factory=list)
    about_this_month: list[Block] = field(default_factory=list)
    signup_url: str = ""


def read_introduction(blocks: list[Block], month: int) -> Introduction:
    this_month = re.compile(
        _THIS_MONTH.format(month=calendar.month_name[month]), re.IGNORECASE
    )
    introduction = Introduction()
    for block in blocks:
        if block.kind == "image":
            continue
        if block.links and _SIGNUP.search(block.text) and not introduction.signup_url:
            introduction.signup_url = block.links[-1][1]
            continue
        introduction.paragraphs.append(block)
        if this_month.search(block.text):
            introduction.about_this_month.append(block)
        else:
            introduction.about_the_publication.append(block)
    return introduction
