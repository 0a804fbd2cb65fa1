"""
Admin pieces every app shares.
"""

from django import forms
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError

from newsroom.core.dates import is_kept_year


class KnownKeysMixin:
    """
    For autocomplete widgets: a form shown again with its errors is labelled from the
    submitted value, which Django's widget looks up as it is, and a value that is no
    key at all (a garbled or forged form) would fail the page. It is left out; the
    field's own error says the choice is not valid.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)

    def _is_key(self, value) -> bool:
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        try:
            # The validators hold the database's range for an integer.
            target.run_validators(target.to_python(value))
        except ValidationError:
            return False
        return True


class AutocompleteSelect(KnownKeysMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(KnownKeysMixin, widgets.AutocompleteSelectMultiple):
    pass


class AutocompleteAdminMixin:
    """For admins with ``autocomplete_fields``: widgets that survive any input."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                AutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                AutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LoadedAutocompleteSelect(AutocompleteSelect):
    """
    An autocomplete that labels its chosen option with the object loaded along with the
    form's instance. Django's own widget looks the option up again for every form, which
    costs one query per row of an inline.
    """

    loaded = None

    def optgroups(self, name, value, attr=None):
        chosen = [
            str(v) for v in value if str(v) not in self.choices.field.empty_values
        ]
        if self.loaded is None or chosen != [str(self.loaded.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.loaded)
        options.append(
            self.create_option(name, self.loaded.pk, label, True, len(options))
        )
        return [(None, options, 0)]


class LoadedAutocompleteForm(forms.ModelForm):
    """Gives each ``LoadedAutocompleteSelect`` the object its instance came with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, LoadedAutocompleteSelect):
                model_field = self._meta.model._meta.get_field(name)
                if model_field.is_cached(self.instance):
                    widget.loaded = getattr(self.instance, name)


class LoadedAutocompleteMixin:
    """
    For inlines: autocomplete fields that cost no query per row, however many rows the
    page shows. The related objects come with the rows, through ``select_related``.
    """

    form = LoadedAutocompleteForm

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.get_autocomplete_fields(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                LoadedAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeptYearsChangeList(ChangeList):
    """
    A list whose date hierarchy goes only to years Newsroom keeps. Django bounds the
    chosen year, month or day by the day after it, and 31 December 9999 has none: a
    row saved on it before dates were checked offered a link that failed. Any other
    year is refused as Django refuses a wrong filter, back to the whole list.
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            year = self.params.get(f"{self.date_hierarchy}__year", "")
            # What is no number at all, Django refuses itself.
            if year.isdigit() and not is_kept_year(int(year)):
                raise IncorrectLookupParameters(f"{year} is not a year Newsroom keeps.")
        return super().get_filters(request)


class KeptYearsAdminMixin:
    """For admins with a ``date_hierarchy``: see ``KeptYearsChangeList``."""

    def get_changelist(self, request, **kwargs):
        return KeptYearsChangeList
