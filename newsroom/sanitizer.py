"""
The one place where rich text is made safe, and where link targets are checked.

Every path that stores rich text calls ``clean_html`` (through ``RichTextField``), and
every stored link goes through ``is_allowed_url`` (through ``SafeURLField``). bleach does
the work today; its maintainers have deprecated it, so nothing outside this module knows
which library is underneath, and swapping it means changing this file and its tests only.
"""

import re
from urllib.parse import urlsplit

import bleach

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements whose content is code or markup rather than prose: dropped whole, not just
# unwrapped, so that no script text ends up shown as words in an e-mail.
_DROPPED_WITH_CONTENT = re.compile(
    r"<(script|style|template|iframe|object|embed|noscript|svg|math|xmp|noembed"
    r"|noframes|textarea|title|select)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_SCHEMES,
    strip=True,
    strip_comments=True,
)

# Characters browsers ignore inside a scheme ("java\tscript:"), and C0 controls.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def clean_html(value: str | None) -> str:
    """Return ``value`` as HTML that holds only the allowed tags, attributes and links."""
    if not value:
        return ""
    value = _DROPPED_WITH_CONTENT.sub("", value)
    cleaned = _cleaner.clean(value)
    return cleaned.strip()


def is_allowed_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) or mailto link."""
    if not value or value != value.strip():
        return False
    if _IGNORED_IN_SCHEME.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return False
    if scheme == "mailto":
        return bool(parts.path) and "@" in parts.path
    return bool(parts.netloc)
