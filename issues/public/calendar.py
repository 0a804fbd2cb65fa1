"""The deadlines of items in sent issues, as entries of a calendar."""

import icalendar

from events.calendar import deadline_entry, join_paragraphs, site_host
from issues.models import Item
from newsroom.core.richtext import plain_text, spelled_out
from newsroom.core.site import absolute_url


def item_deadline_component(item: Item) -> icalendar.Event:
    url = absolute_url(item.get_absolute_url())
    issue = item.issue
    link = (
        f"{item.cta_label or 'Find out more'}: {item.cta_url}" if item.cta_url else ""
    )
    return deadline_entry(
        uid=f"item-deadline-{item.pk}@{site_host()}",
        label=item.deadline_label,
        title=item.title,
        date=item.deadline,
        url=url,
        stamp=item.updated_at,
        last_modified=item.updated_at,
        description=join_paragraphs(
            plain_text(item.body, link=spelled_out),
            link,
            f"In {issue.publication.name}, {issue.display_title}: {url}",
        ),
    )
