"""
The demo newsletter in the test database, put there as ``make run`` puts it: by
importing issues/demo/newsletter-2024-11.md, which stores its issue Sent and frozen.
"""

from issues.demo import NEWSLETTER
from issues.importer.services import import_newsletter
from issues.models import Issue

# The publication's slug ``make run`` gives.
PUBLICATION_SLUG = "turing-roche"


def import_demo() -> Issue:
    result = import_newsletter(
        source=NEWSLETTER.read_bytes(), publication_slug=PUBLICATION_SLUG
    )
    return result.issue
