"""The issues app's models, one module per aggregate."""

from issues.models.content import (
    ISSUE_CONTENT,
    ITEM_CONTENT,
    ContentFields,
    title_key,
)
from issues.models.history import Erratum, IssueRevision, IssueTransition, PreviewLink
from issues.models.issue import (
    Issue,
    Item,
    default_preheader,
    shortened_preheader,
)
from issues.models.mailer import (
    IssueExport,
    MailerProfile,
    sha256_hex,
    validate_mailer_link,
    validate_no_template_tokens,
)
from issues.models.publication import Publication, Section, SocialLink
from issues.models.suggestion import Suggestion, SuggestionCount

__all__ = [
    "ISSUE_CONTENT",
    "ITEM_CONTENT",
    "ContentFields",
    "Erratum",
    "Issue",
    "IssueExport",
    "IssueRevision",
    "IssueTransition",
    "Item",
    "MailerProfile",
    "PreviewLink",
    "Publication",
    "Section",
    "SocialLink",
    "Suggestion",
    "SuggestionCount",
    "default_preheader",
    "sha256_hex",
    "shortened_preheader",
    "title_key",
    "validate_mailer_link",
    "validate_no_template_tokens",
]
