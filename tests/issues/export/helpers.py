"""Settings and helpers shared by the export tests."""

import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup, Comment
from django.conf import settings
from django.test import override_settings

from issues.models import Issue
from tests.issues.importer import demo_expected as demo

SITE_URL = "https://news.example.org"

# Media go to the test process's own MEDIA_ROOT, which the test runner makes: a
# folder shared by the processes of a parallel run would let one remove or count
# the renditions another has just made.
export_settings = override_settings(SITE_URL=SITE_URL)


def clear_renditions() -> None:
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "renditions", ignore_errors=True)


def demo_issue() -> Issue:
    return Issue.objects.select_related("publication").get(
        publication__slug=demo.PUBLICATION.slug, slug=demo.ISSUE.slug
    )


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def visible_tree(html: str) -> BeautifulSoup:
    """The document as a non-Outlook client sees it: conditional comments dropped."""
    soup = parse(html)
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    return soup


_MEDIA_RULE = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")


def non_media_css(css: str) -> str:
    """What is left of a style sheet once its @media rules are taken out."""
    return _MEDIA_RULE.sub("", css).strip()
