"""
“Import a newsletter” in the admin: upload a file, see what importing it would do,
then import it. Between the two steps the text travels in the page itself, signed, so
that what is imported is exactly what was previewed and nothing is stored meanwhile.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse

from issues.admin.views import AdminPageView
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
        queryset=Publication.objects.none(),
        required=False,
        empty_label="The one the file names (created if missing)",
        help_text="Import into this publication instead.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication"].queryset = Publication.objects.editable_by(user)

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


class ImportNewsletterView(AdminPageView):
    """
    “Import a newsletter”, from the issues' list: an upload shows what importing
    the file would do; confirming imports it.
    """

    template_name = "admin/issues/issue/import_newsletter.html"

    def has_permission(self) -> bool:
        return self.model_admin.has_import_permission(self.request)

    def get(self, request):
        return self.page()

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        return self.preview(request)

    def preview(self, request):
        form = NewsletterUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.page(form)
        publication = form.cleaned_data["publication"]
        slug = publication.slug if publication else ""
        try:
            preview = import_newsletter(
                source=form.cleaned_data["file"], publication_slug=slug, dry_run=True
            )
        except UnreadableNewsletter as failure:
            name = request.FILES["file"].name
            return self.page(form, error=f"{name}, {failure}. Nothing was saved.")
        except ImportRefused as failure:
            return self.page(form, error=str(failure))
        target = preview.parsed.publication
        if refused := self.not_theirs(target.slug, target.name):
            return self.page(form, error=refused)
        token = signing.dumps(
            {
                "text": preview.parsed.text,
                "publication": slug,
                "target": [target.slug, target.name],
            },
            salt=SIGNING_SALT,
            compress=True,
        )
        return self.page(form, preview=preview, token=token)

    def confirm(self, request):
        confirm = NewsletterConfirmForm(request.POST)
        if not confirm.is_valid():
            return self.page(error=" ".join(confirm.errors["token"]))
        payload = confirm.cleaned_data["token"]
        if refused := self.not_theirs(*payload["target"]):
            return self.page(error=refused)
        try:
            result = import_newsletter(
                source=payload["text"], publication_slug=payload["publication"]
            )
        except (UnreadableNewsletter, ImportRefused) as failure:
            return self.page(error=str(failure))
        if result.already_imported:
            messages.warning(request, result.summary()[0])
        else:
            messages.success(request, f"Imported {result.title}, as a sent issue.")
        return redirect(reverse("admin:issues_issue_change", args=[result.issue.pk]))

    def not_theirs(self, slug: str, name: str) -> str:
        """
        Why the file cannot be imported into the publication ``slug`` by this
        person, who does not work on it (Publication.editor_groups); "" if it can.
        """
        existing = Publication.objects.filter(slug=slug)
        if not existing.exists():
            return ""
        if existing.editable_by(self.request.user).exists():
            return ""
        return (
            f"This newsletter is of “{name}”, whose issues you do not "
            "work on: nothing was saved. Choose one of your publications under "
            "“Publication”, or ask an administrator to add you to its editor groups."
        )

    def page(self, form=None, *, preview=None, error=None, token=None):
        return self.render(
            title="Import a newsletter",
            form=(
                form
                if form is not None
                else NewsletterUploadForm(user=self.request.user)
            ),
            preview=preview,
            preview_lines=preview.summary(detailed=True) if preview else [],
            error=error,
            token=token,
        )
