"""
Model fields that make the sanitiser and the image checks impossible to bypass: every
write of rich text, a link or an uploaded image goes through them, whichever path
(admin, forms, importer, fixtures, ``QuerySet.update``) it comes by.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from newsroom.core.images import PreparedImage, prepare_image
from newsroom.core.richtext import CleanHTML, clean_html, is_allowed_url

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def validate_url(value: str) -> None:
    if value and not is_allowed_url(value):
        raise ValidationError(
            "Enter a full link starting with https://, http:// or mailto: "
            "(for example https://www.example.org/page).",
            code="invalid_url",
        )


def url_scheme_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's own refusal of any link that is not http(s) or mailto."""
    return models.CheckConstraint(
        condition=Q((field, ""))
        | Q((f"{field}__startswith", "https://"))
        | Q((f"{field}__startswith", "http://"))
        | Q((f"{field}__startswith", "mailto:")),
        name=name,
        violation_error_message="Links must start with https://, http:// or mailto:.",
    )


class RichTextField(models.TextField):
    """Text holding a small subset of HTML, cleaned on every write, once."""

    def pre_save(self, model_instance, add):
        # Called twice when a row is inserted, and followed by get_db_prep_save():
        # the text cleaned by the first call is what the others are given.
        value = _cleaned(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # Also reached by QuerySet.update(), bulk_update() and loaddata, which skip
        # pre_save(). An SQL expression (F(), Concat(), a bare Value()) goes to the
        # database without passing here: only code writes those, never an editor.
        if isinstance(value, str):
            value = _cleaned(value)
        return super().get_db_prep_save(value, connection)


def _cleaned(value: str | None) -> CleanHTML:
    return value if isinstance(value, CleanHTML) else clean_html(value)


class SafeURLFormField(forms.CharField):
    default_validators = [validate_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.URLInput)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_url(super().to_python(value))


def normalise_url(value: str) -> str:
    """Trim the link and lower-case its scheme ("HTTPS://x" becomes "https://x")."""
    value = (value or "").strip()
    match = _SCHEME.match(value)
    if match:
        value = match.group(1).lower() + value[match.end(1) :]
    return value


class SafeURLField(models.CharField):
    """An http, https or mailto link; the model adds ``url_scheme_constraint``."""

    default_validators = [validate_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_url(super().to_python(value))

    def pre_save(self, model_instance, add):
        # The instance holds what the database holds, even after a save that skipped
        # full_clean().
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalise_url(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_url(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeURLFormField, **kwargs})


class SafeImageFormField(forms.ImageField):
    """Refuses what ``prepare_image`` refuses, and hands on the re-encoded file."""

    def to_python(self, data):
        # Skips forms.ImageField's own Pillow check: prepare_image makes a stricter one
        # and says more precisely what is wrong.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return prepare_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"
        return attrs


class SafeImageField(models.ImageField):
    """An image that has been through ``prepare_image`` before it is stored."""

    def pre_save(self, model_instance, add):
        # Forms hand over a file prepare_image has already made; a file assigned in
        # code (an importer, a shell) is checked and re-encoded here.
        file = getattr(model_instance, self.attname)
        if file and not file._committed and not isinstance(file.file, PreparedImage):
            try:
                prepared = prepare_image(file.file)
            except ValidationError as error:
                raise ValidationError({self.name: error.error_list}) from error
            file.save(prepared.name, prepared, save=False)
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})
