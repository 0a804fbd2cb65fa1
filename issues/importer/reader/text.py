"""Words as readers see them, and slugs made from them."""

import re

from django.utils.text import slugify


def words(text: str) -> str:
    """``text`` with every run of spaces, non-breaking ones too, made one space."""
    return " ".join(text.replace("\xa0", " ").split())


def make_slug(text: str, max_length: int = 100) -> str:
    """A slug of ``text`` without a leading “The”."""
    slug = slugify(re.sub(r"^\s*the\s+", "", text, flags=re.IGNORECASE))
    return slug[:max_length].strip("-")
