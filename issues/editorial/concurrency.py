"""
Nothing lost when two people edit the same issue or item: a form carries the
version its object had when it was opened, and a save made from an older version
than the database's is refused, with the person's input left on the screen.
"""

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import time_format

from issues.models import Issue


class StaleSave(Exception):
    """Someone else saved the object between the check and the save."""


def stale_message(obj: models.Model, current) -> str:
    noun = "issue" if isinstance(obj, Issue) else "item"
    when = time_format(timezone.localtime(current.updated_at), "H:i")
    return (
        f"Someone else saved this {noun} at {when} since you opened it. Your changes "
        "are below and are not saved: copy what you need, reload the page to see "
        "theirs, then make your changes again."
    )


def claim_version(*, model: type[models.Model], pk: int, version: int) -> int:
    """
    Raise the stored version from ``version`` by one, only if it still is
    ``version`` (UPDATE … WHERE version = n); the new version, or StaleSave.
    """
    updated = model.objects.filter(pk=pk, version=version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleSave
    return version + 1


class VersionedFormMixin(forms.Form):
    """
    For the model forms of issues and items. Only a form whose input differs from
    what is stored is checked and saved: an item row on the issue's page that
    matches the stored item stands in no one's way.
    """

    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version

    def has_changed(self):
        return any(name != "loaded_version" for name in self.changed_data)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned_data
        loaded = cleaned_data.get("loaded_version")
        if loaded is None:
            raise forms.ValidationError(
                "This form does not say which version it was opened at, so saving "
                "it could overwrite someone else's changes. Copy your changes, "
                "reload the page and make them again.",
                code="no_version",
            )
        stored = type(self.instance).objects.all()
        if transaction.get_connection().in_atomic_block:
            # Locked until the save is over, so that no one saves in between.
            stored = stored.select_for_update()
        # As stored now, for checks that depend on it and for the save.
        self.stored = current = stored.get(pk=self.instance.pk)
        if current.version != loaded:
            raise forms.ValidationError(
                stale_message(self.instance, current), code="stale"
            )
        return cleaned_data

    def claim_stored_version(self) -> None:
        """Raise the stored version for this save, or raise StaleSave."""
        if self.instance.pk is not None and self.has_changed():
            self.instance.version = claim_version(
                model=type(self.instance),
                pk=self.instance.pk,
                version=self.cleaned_data["loaded_version"],
            )

    def save(self, commit=True):
        # Without commit (the admin's main form), the admin claims the version once
        # every form of the page is valid: a page refused for an error in one of its
        # items must leave the version as it was, or its next save looks stale.
        if commit:
            self.claim_stored_version()
        return super().save(commit)


def raise_version(issue: Issue) -> None:
    """For changes to an issue made outside its form, such as a restore."""
    Issue.objects.filter(pk=issue.pk).update(version=F("version") + 1)
    issue.version += 1
