"""The issues app's admin: importing this package registers every model admin."""

from issues.admin import errata, issue, suggestions  # noqa: F401 (registers them)
