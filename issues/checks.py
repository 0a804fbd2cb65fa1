"""
Pre-flight checks of an issue: what would go wrong if it were sent as it is. A
blocking problem stops the issue from being submitted for review.
"""

import dataclasses

from issues.models import Issue


@dataclasses.dataclass(frozen=True)
class Problem:
    message: str
    fix: str
    blocking: bool = False
    item_id: int | None = None


def preflight(issue: Issue) -> list[Problem]:
    problems = []
    items = list(issue.items.only("pk", "title", "cta_url"))
    if not items:
        problems.append(
            Problem(
                message="The issue has no items.",
                fix="Add items to the issue's sections, from the inbox or new.",
                blocking=True,
            )
        )
    for item in items:
        if not item.cta_url:
            problems.append(
                Problem(
                    message=f"“{item.title}” has no call-to-action link.",
                    fix="Give the item a call-to-action link, if it has one.",
                    item_id=item.pk,
                )
            )
    return problems
