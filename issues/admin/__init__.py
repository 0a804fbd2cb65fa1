"""The issues app's admin: importing this package registers every model admin."""

from issues.admin import (  # noqa: F401 (registers them)
    errata,
    issue,
    item,
    mailer,
    publication,
    suggestions,
)
