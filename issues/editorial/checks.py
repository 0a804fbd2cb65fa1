"""
Pre-flight checks: what is wrong with an issue before it goes to the mailer.

``preflight(issue)`` lists the problems of one issue, each saying what is wrong, how to
fix it and where (``Problem.admin_url``). Blocking problems stop submission and export;
the others are warnings an editor may choose to leave. The checks read the issue in a
fixed number of queries whatever its number of items, and ``problem_counts`` runs them
for a whole page of issues at once (the changelist), leaving out the size, which needs
the e-mail to be rendered.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from events.models import Deadline
from issues.export import budget
from issues.export.html import render_html
from issues.export.mailer_tags import FoundTag, found_in_rich_text, found_tags
from issues.export.snapshot import build_snapshot, display_date
from issues.models import Issue, Item, MailerProfile, Publication, Section
from newsroom.core.richtext import is_allowed_url, link_targets

MISSING_ALT = "missing_alt"
BAD_LINK = "bad_link"
DATE_BEFORE_SENDING = "date_before_sending"
EVENT_DEADLINE_BEFORE_SENDING = "event_deadline_before_sending"
EMPTY_SECTION = "empty_section"
NO_PREHEADER = "no_preheader"
OVER_BUDGET = "over_budget"
NO_CALL_TO_ACTION = "no_call_to_action"
NO_ITEMS = "no_items"
NO_SEND_DATE = "no_send_date"
MAILER_TAG = "mailer_tag"

# How a field is read for mailers' tags: as words, as rich text, or as a link.
_WORDS = "words"
_RICH_TEXT = "rich text"
_LINK = "link"


@dataclasses.dataclass(frozen=True)
class Problem:
    code: str
    blocking: bool
    # What is wrong, then how to fix it, both in the editor's words.
    message: str
    fix: str
    item_id: int | None = None
    issue_id: int | None = None
    # Set when the fix is made elsewhere than on the item or the issue.
    publication_id: int | None = None
    event_id: int | None = None

    @property
    def admin_url(self) -> str:
        """The admin page where the problem is fixed."""
        if self.event_id is not None:
            return reverse("admin:events_event_change", args=[self.event_id])
        if self.publication_id is not None:
            return reverse(
                "admin:issues_publication_change", args=[self.publication_id]
            )
        if self.item_id is not None:
            return reverse("admin:issues_item_change", args=[self.item_id])
        return reverse("admin:issues_issue_change", args=[self.issue_id])

    @property
    def fix_where(self) -> str:
        """Where ``admin_url`` leads, for the text of a link to it."""
        if self.event_id is not None:
            return "on the event"
        if self.publication_id is not None:
            return "on the publication"
        if self.item_id is not None:
            return "on the item"
        return "on the issue"


@dataclasses.dataclass(frozen=True)
class ProblemCount:
    blocking: int = 0
    warnings: int = 0

    @property
    def total(self) -> int:
        return self.blocking + self.warnings


def preflight(
    issue: Issue,
    *,
    profile: MailerProfile | None = None,
    report: budget.SizeReport | None = None,
) -> list[Problem]:
    """
    The problems of ``issue``, blocking ones first. The size is measured on the
    e-mail for ``profile`` (the first active mailer profile when not given), or
    taken from ``report`` when the e-mail has just been rendered.
    """
    problems = _content_problems([issue])[issue.pk]
    if report is None:
        profile = profile or MailerProfile.objects.active().first()
        if profile is not None:
            snapshot = build_snapshot(issue)
            rendered = render_html(snapshot, profile)
            report = budget.size_report(rendered.html, rendered.parts)
    if report is not None and report.over:
        problems.append(size_problem(issue, report))
    return blocking_first(problems)


def problem_counts(issues: Iterable[Issue]) -> dict[int, ProblemCount]:
    """
    The blocking problems and warnings of each issue, in a fixed number of queries
    for any number of issues. The size is left out: it needs the e-mail rendered.
    """
    by_issue = _content_problems(list(issues))
    return {
        issue_id: ProblemCount(
            blocking=sum(problem.blocking for problem in problems),
            warnings=sum(not problem.blocking for problem in problems),
        )
        for issue_id, problems in by_issue.items()
    }


def blocking_first(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: not problem.blocking)


def size_problem(issue: Issue, report: budget.SizeReport) -> Problem:
    return Problem(
        code=OVER_BUDGET,
        blocking=True,
        message=(
            f"The e-mail is {budget.kilobytes(report.size)}, over the "
            f"{budget.kilobytes(report.limit)} at which Gmail clips it and hides "
            "the rest, unsubscribe link included."
        ),
        fix="Shorten or remove items: the preview lists the largest parts.",
        issue_id=issue.pk,
    )


def _content_problems(issues: list[Issue]) -> dict[int, list[Problem]]:
    """Every check but the size, for each of ``issues``, in at most four queries."""
    issue_ids = [issue.pk for issue in issues]
    publications = _publications(issues)
    sections_by_publication = defaultdict(list)
    for section in Section.objects.filter(publication__in=publications).order_by(
        "position", "pk"
    ):
        sections_by_publication[section.publication_id].append(section)
    items_by_issue = defaultdict(list)
    for item in (
        Item.objects.filter(issue__in=issue_ids)
        .select_related("event")
        .order_by("section__position", "section_id", "position", "pk")
    ):
        items_by_issue[item.issue_id].append(item)
    event_ids = {
        item.event_id
        for items in items_by_issue.values()
        for item in items
        if item.event_id
    }
    deadlines_by_event = defaultdict(list)
    for deadline in Deadline.objects.filter(event__in=event_ids).order_by("date"):
        deadlines_by_event[deadline.event_id].append(deadline)

    return {
        issue.pk: _issue_problems(
            issue,
            publications[issue.publication_id],
            sections_by_publication[issue.publication_id],
            items_by_issue[issue.pk],
            deadlines_by_event,
        )
        for issue in issues
    }


def _publications(issues: list[Issue]) -> dict[int, Publication]:
    known = {
        issue.publication_id: issue.publication
        for issue in issues
        if Issue.publication.is_cached(issue)
    }
    missing = {issue.publication_id for issue in issues} - known.keys()
    if missing:
        known.update(Publication.objects.in_bulk(missing))
    return known


def _issue_problems(
    issue: Issue,
    publication: Publication,
    sections: list[Section],
    items: list[Item],
    deadlines_by_event: dict[int, list[Deadline]],
) -> list[Problem]:
    on_issue = {"issue_id": issue.pk}
    on_publication = {"issue_id": issue.pk, "publication_id": publication.pk}
    problems = _issue_field_problems(issue, items, on_issue)
    problems += _issue_tag_problems(issue, publication, on_issue, on_publication)
    if (publication.banner or publication.banner_url) and not _has_text(
        publication.banner_alt
    ):
        problems.append(_missing_alt("The banner", **on_publication))
    for where, rich_text, ids in [
        ("The publication's introduction", publication.intro, on_publication),
        ("The issue's introduction", issue.intro, on_issue),
    ]:
        problems += [_bad_link(where, link, **ids) for link in _bad_links(rich_text)]
    used_sections = {item.section_id for item in items}
    for section in sections:
        problems += _section_problems(
            section, publication, used_sections, on_issue, on_publication
        )
    for item in items:
        problems += _item_problems(
            issue, item, issue.planned_send_date, deadlines_by_event
        )
    return problems


def _issue_field_problems(
    issue: Issue, items: list[Item], on_issue: dict
) -> list[Problem]:
    problems = []
    if not items:
        problems.append(
            Problem(
                NO_ITEMS,
                True,
                "The issue has no items.",
                "Add items in the Items block of the issue's page, or place items "
                "from the inbox.",
                **on_issue,
            )
        )
    if not issue.preheader.strip():
        problems.append(
            Problem(
                NO_PREHEADER,
                False,
                "There is no preheader: inboxes will show the titles of the first "
                "items after the subject instead.",
                "Write a preheader of 40 to 130 characters on the issue's page.",
                **on_issue,
            )
        )
    if issue.planned_send_date is None:
        problems.append(
            Problem(
                NO_SEND_DATE,
                False,
                "There is no planned send date, so deadlines and event dates cannot "
                "be checked against it.",
                "Set the planned send date on the issue's page.",
                **on_issue,
            )
        )
    return problems


def _section_problems(
    section: Section,
    publication: Publication,
    used_sections: set[int],
    on_issue: dict,
    on_publication: dict,
) -> list[Problem]:
    problems = []
    shown = section.pk in used_sections or (
        section.kind == Section.Kind.TEAM and publication.team_id is not None
    )
    if (
        shown
        and (section.image or section.image_url)
        and not _has_text(section.image_alt)
    ):
        problems.append(
            _missing_alt(f"The image of section “{section}”", **on_publication)
        )
    if shown:
        problems += _mailer_tags(
            f"section “{section}”",
            [
                ("title", section.title, _WORDS),
                ("image's alt text", section.image_alt, _WORDS),
            ],
            **on_publication,
        )
    if (
        section.kind == Section.Kind.ITEMS
        and section.is_default
        and section.pk not in used_sections
    ):
        problems.append(
            Problem(
                EMPTY_SECTION,
                False,
                f"Section “{section}” has no items; it is left out of this issue.",
                "Add an item to it if it should appear, or leave it out.",
                **on_issue,
            )
        )
    return problems


def _item_problems(
    issue: Issue,
    item: Item,
    send_date: datetime.date | None,
    deadlines_by_event: dict[int, list[Deadline]],
) -> list[Problem]:
    on_item = {"issue_id": issue.pk, "item_id": item.pk}
    event = item.event
    problems = _item_link_problems(item, on_item)
    problems += _item_tag_problems(
        item, deadlines_by_event.get(item.event_id, []), on_item
    )
    if not item.cta_url and not (event and event.registration_url):
        problems.append(
            Problem(
                NO_CALL_TO_ACTION,
                False,
                f"Item “{item}” has no call to action: readers have nowhere to go "
                "from it.",
                "Give it a call-to-action link (and a label), unless it needs none.",
                **on_item,
            )
        )
    if send_date is not None:
        problems += _item_date_problems(
            item, send_date, deadlines_by_event.get(item.event_id, []), on_item
        )
    return problems


def _item_link_problems(item: Item, on_item: dict) -> list[Problem]:
    name = f"Item “{item}”"
    event = item.event
    problems = []
    if item.image_src and not _has_text(item.image_alt):
        problems.append(_missing_alt(f"The image of item “{item}”", **on_item))
    problems += [
        _bad_link(f"{name}'s text", link, **on_item) for link in _bad_links(item.body)
    ]
    for label, link in [
        ("call-to-action link", item.cta_url),
        ("image link", item.image_url),
    ]:
        if link and not is_allowed_url(link):
            problems.append(_bad_link(f"{name}'s {label}", link, **on_item))
    if event and event.registration_url and not is_allowed_url(event.registration_url):
        problems.append(
            _bad_link(
                f"The registration link of event “{event.title}”",
                event.registration_url,
                **on_item,
                event_id=event.pk,
            )
        )
    return problems


def _item_date_problems(
    item: Item,
    send_date: datetime.date,
    event_deadlines: list[Deadline],
    on_item: dict,
) -> list[Problem]:
    name = f"Item “{item}”"
    event = item.event
    problems = []
    if item.deadline and item.deadline < send_date:
        problems.append(
            Problem(
                DATE_BEFORE_SENDING,
                True,
                f"{name}: its {item.deadline_label.lower() or 'deadline'}, "
                f"{display_date(item.deadline)}, is before the planned send date, "
                f"{display_date(send_date)}.",
                "Correct the deadline, or take the item out of the issue.",
                **on_item,
            )
        )
    if event and event.last_day < send_date:
        problems.append(
            Problem(
                DATE_BEFORE_SENDING,
                True,
                f"{name}: its event “{event.title}” is over on "
                f"{display_date(event.last_day)}, before the planned send date, "
                f"{display_date(send_date)}.",
                "Take the item out of the issue, or correct the event's dates.",
                **on_item,
            )
        )
    # The e-mail lists an event's every deadline; a past one is worth a look but
    # may be right (an early-bird rate that has closed), so it does not block.
    problems += [
        Problem(
            EVENT_DEADLINE_BEFORE_SENDING,
            False,
            f"{name}: the {deadline.label.lower()} of event “{event.title}”, "
            f"{display_date(deadline.date)}, is before the planned send "
            "date; the e-mail still lists it.",
            "Remove or correct the deadline on the event if readers should not see it.",
            **on_item,
            event_id=event.pk,
        )
        for deadline in event_deadlines
        if deadline.date < send_date
    ]
    return problems


def _issue_tag_problems(
    issue: Issue, publication: Publication, on_issue: dict, on_publication: dict
) -> list[Problem]:
    return _mailer_tags(
        "the issue",
        [
            ("title", issue.title, _WORDS),
            ("preheader", issue.preheader, _WORDS),
            ("introduction", issue.intro, _RICH_TEXT),
        ],
        **on_issue,
    ) + _mailer_tags(
        "the publication",
        [
            ("name", publication.name, _WORDS),
            ("introduction", publication.intro, _RICH_TEXT),
            ("postal address", publication.postal_address, _WORDS),
            ("copyright holder", publication.copyright_holder, _WORDS),
            ("banner's alt text", publication.banner_alt, _WORDS),
            ("sign-up link", publication.signup_url, _LINK),
        ],
        **on_publication,
    )


def _item_tag_problems(
    item: Item, event_deadlines: list[Deadline], on_item: dict
) -> list[Problem]:
    problems = _mailer_tags(
        f"item “{item}”",
        [
            ("title", item.title, _WORDS),
            ("text", item.body, _RICH_TEXT),
            ("image's alt text", item.image_alt, _WORDS),
            ("deadline label", item.deadline_label, _WORDS),
            ("call-to-action label", item.cta_label, _WORDS),
            ("call-to-action link", item.cta_url, _LINK),
            ("image link", item.image_url, _LINK),
        ],
        **on_item,
    )
    event = item.event
    if event is not None:
        problems += _mailer_tags(
            f"event “{event.title}”",
            [
                ("title", event.title, _WORDS),
                ("place", event.location, _WORDS),
                ("organiser", event.organiser, _WORDS),
                ("registration link", event.registration_url, _LINK),
                *[
                    ("label of a deadline", deadline.label, _WORDS)
                    for deadline in event_deadlines
                ],
            ],
            **on_item,
            event_id=event.pk,
        )
    return problems


def _mailer_tags(of: str, fields: list[tuple[str, str, str]], **ids) -> list[Problem]:
    """
    A warning for each of ``fields`` (its name, value and kind) that holds what a
    mailer would read as its own tag. The export writes the tag so that readers see
    it as typed and no mailer reads it, so nothing blocks: the editor is told in
    case a placeholder was meant, which content cannot hold.
    """
    problems = []
    for field, value, kind in fields:
        found = found_in_rich_text(value) if kind == _RICH_TEXT else found_tags(value)
        if found:
            problems.append(
                _mailer_tag(f"the {field} of {of}", found, link=kind == _LINK, **ids)
            )
    return problems


def _mailer_tag(where: str, found: list[FoundTag], *, link: bool, **ids) -> Problem:
    tags = [f"“{_shortened(tag)}”" for tag in dict.fromkeys(t.text for t in found)]
    mailers = list(dict.fromkeys(name for tag in found for name in tag.mailers))
    one = len(tags) == 1
    if len(tags) > 3:
        tags = [*tags[:3], f"{len(tags) - 3} more"]
    looks = "looks like a placeholder" if one else "look like placeholders"
    if link:
        it = "it" if one else "them"
        what_happens = (
            f"the link is sent with {it} percent-encoded, as browsers send it"
        )
    else:
        what_happens = f"{'it is' if one else 'they are'} sent as the characters typed"
    return Problem(
        MAILER_TAG,
        False,
        f"{_listed(tags)} in {where} {looks} to {_listed(mailers)}; {what_happens}.",
        "Nothing to do if readers should see these characters: content is never "
        "read as a mailer's template.",
        **ids,
    )


def _listed(words: list[str]) -> str:
    """“a”, “a and b”, “a, b and c”."""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _shortened(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _missing_alt(what: str, **where) -> Problem:
    return Problem(
        MISSING_ALT,
        True,
        f"{what} has no alt text: screen readers skip it, and readers whose mail "
        "program hides images see nothing in its place.",
        "Describe what the image shows in its alt text field.",
        **where,
    )


def _bad_link(where: str, link: str, **ids) -> Problem:
    shown = link if len(link) <= 80 else link[:79] + "…"
    return Problem(
        BAD_LINK,
        True,
        f"{where} has a link that is not http(s) or mailto: “{shown}”.",
        "Replace it with a full link starting with https:// (or mailto:), or "
        "remove it.",
        **ids,
    )


def _has_text(value: str) -> bool:
    return bool(value and value.strip())


def _bad_links(rich_text: str) -> list[str]:
    """The link targets of ``rich_text`` that are not http(s) or mailto."""
    return [link for link in link_targets(rich_text) if not is_allowed_url(link)]
