"""
Puts the demo content in the database, or brings it back to what ``content`` says,
with the writer the importer uses (``issues.importer.build.write_content``): rows are
found by their natural keys, created when missing and saved only when a field differs,
so that a second run writes nothing.
"""

import dataclasses

from django.db import transaction

from issues.importer.build import MODELS, Changes, count_phrase, write_content

from . import content

__all__ = ["MODELS", "LoadResult", "load_demo"]


@dataclasses.dataclass
class LoadResult(Changes):
    """How many rows of each model were created, updated or left as they were."""

    def summary(self) -> str:
        if not self.changed:
            return "Demo content already loaded; nothing changed."
        parts = []
        if +self.created:
            parts.append(f"created {count_phrase(self.created)}")
        if +self.updated:
            parts.append(f"updated {count_phrase(self.updated)}")
        text = "Demo content: " + "; ".join(parts)
        unchanged = sum(self.unchanged.values())
        if unchanged:
            text += (
                f"; {unchanged} other {'row' if unchanged == 1 else 'rows'} as before"
            )
        return text + "."


def load_demo() -> LoadResult:
    """Create or restore the demo publication, its November 2024 issue and its team."""
    result = LoadResult()
    with transaction.atomic():
        _load(result)
        _freeze()
    return result


def _freeze() -> None:
    """The demo issue was sent: freeze it, as marking any issue Sent does."""
    from issues.editorial.sending import mark_sent
    from issues.models import Issue

    issue = Issue.objects.get(
        publication__slug=content.PUBLICATION.slug,
        year=content.ISSUE.year,
        month=content.ISSUE.month,
    )
    if not issue.is_frozen:
        mark_sent(issue=issue, sent_at=issue.sent_at)


def _load(result: LoadResult) -> None:
    write_content(
        publication=content.PUBLICATION,
        issue=content.ISSUE,
        changes=result,
        restore=True,
    )
