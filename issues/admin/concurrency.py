"""
Stale saves in the admin: the issue's and the item's change forms carry the version
they were opened at (see ``issues.editorial.concurrency``).
"""

from django.contrib import messages
from django.shortcuts import redirect

from issues.editorial.concurrency import StaleSave


def with_version_field(fieldsets):
    (name, options), *rest = fieldsets
    options = {**options, "fields": [*options["fields"], "loaded_version"]}
    return [(name, options), *rest]


class VersionedChangeFormMixin:
    """
    The change form carries the version it was opened at; a save that loses the
    race at the last moment is refused with a message (``noun``: what was saved).
    """

    noun = "page"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            return with_version_field(fieldsets)
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleSave:
            # Only where the database cannot lock the row between the check and
            # the save.
            messages.error(
                request,
                f"Someone else saved this {self.noun} while you were saving it; your "
                "changes were not saved. Make them again on the page as it is now.",
            )
            return redirect(request.path)

    def save_model(self, request, obj, form, change):
        # Called only once the form and every inline are valid.
        form.claim_stored_version()
        super().save_model(request, obj, form, change)
