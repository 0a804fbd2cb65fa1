"""
“Import a newsletter” in the admin: upload a file, see what importing it would do,
then import it. Between the two steps the text travels in the page itself, signed, so
that what is imported is exactly what was previewed and nothing is stored meanwhile.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from issues.importer.services import (
    MAX_SOURCE_BYTES,
    ImportRefused,
    UnreadableNewsletter,
    import_newsletter,
)
from issues.models import Publication

SIGNING_SALT = "issues.admin.importer"
# How long a preview can be confirmed.
PREVIEW_MAX_AGE_SECONDS = 60 * 60


class NewsletterUploadForm(forms.Form):
    file = forms.FileField(
        label="Newsletter file",
        help_text=(
            "The issue as Markdown, or the HTML of the e-mail (in most mail programs: "
            "save or export the message as HTML). At most 2 MB."
        ),
    )
    publication = forms.ModelChoiceField(
        queryset=Publication.objects.all(),
        required=False,
        empty_label="The one the file names (created if missing)",
        help_text="Import into this publication instead.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SOURCE_BYTES:
            raise forms.ValidationError(
                "This file is %(size).1f MB; a newsletter is at most 2 MB.",
                params={"size": upload.size / 1024 / 1024},
            )
        return upload.read()


class NewsletterConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self):
        try:
            return signing.loads(
                self.cleaned_data["token"],
                salt=SIGNING_SALT,
                max_age=PREVIEW_MAX_AGE_SECONDS,
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                "This preview is more than an hour old: upload the file again."
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                "This preview cannot be confirmed: upload the file again."
            ) from error


class ImportNewsletterMixin:
    """Adds the import page to an Issue admin."""

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_newsletter_view),
                name="issues_issue_import",
            )
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request) -> bool:
        # An imported issue is published as sent, at once: only those who may mark
        # an issue sent may import one.
        return self.has_add_permission(request) and request.user.has_perm(
            "issues.mark_issue_sent"
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def import_newsletter_view(self, request):  # noqa: C901
        if not self.has_import_permission(request):
            raise PermissionDenied
        preview = error = token = None
        form = NewsletterUploadForm()
        if request.method == "POST" and "token" in request.POST:
            confirm = NewsletterConfirmForm(request.POST)
            if confirm.is_valid():
                payload = confirm.cleaned_data["token"]
                try:
                    result = import_newsletter(
                        source=payload["text"],
                        publication_slug=payload["publication"],
                    )
                except (UnreadableNewsletter, ImportRefused) as failure:
                    error = str(failure)
                else:
                    if result.already_imported:
                        self.message_user(
                            request, result.summary()[0], messages.WARNING
                        )
                    else:
                        self.message_user(
                            request,
                            f"Imported {result.title}, as a sent issue.",
                            messages.SUCCESS,
                        )
                    return redirect(
                        reverse("admin:issues_issue_change", args=[result.issue.pk])
                    )
            else:
                error = " ".join(confirm.errors["token"])
        elif request.method == "POST":
            form = NewsletterUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"]
                publication = form.cleaned_data["publication"]
                slug = publication.slug if publication else ""
                try:
                    preview = import_newsletter(
                        source=data, publication_slug=slug, dry_run=True
                    )
                except UnreadableNewsletter as failure:
                    name = request.FILES["file"].name
                    error = f"{name}, {failure}. Nothing was saved."
                except ImportRefused as failure:
                    error = str(failure)
                else:
                    token = signing.dumps(
                        {"text": preview.parsed.text, "publication": slug},
                        salt=SIGNING_SALT,
                        compress=True,
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a newsletter",
            "form": form,
            "preview": preview,
            "preview_lines": preview.summary(detailed=True) if preview else [],
            "error": error,
            "token": token,
        }
        return TemplateResponse(
            request, "admin/issues/issue/import_newsletter.html", context
        )
