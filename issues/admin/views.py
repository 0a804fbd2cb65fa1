"""
The base of the admin's extra pages. Each page is a view class, given its model admin
by ``as_view(model_admin=…)`` in ``IssueAdmin.get_urls()``, whose permission is
checked once, before its handler runs.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views import View

from issues.models import Issue


class AdminPageView(View):
    """A page of the admin, shown to those ``has_permission`` lets in."""

    # Given by as_view().
    model_admin: admin.ModelAdmin = None
    template_name = ""

    def has_permission(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # A method the page does not answer is refused as such, before anything is
        # read or checked.
        method = request.method.lower()
        answered = method in self.http_method_names and hasattr(self, method)
        if answered and not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, **context) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                **self.model_admin.admin_site.each_context(self.request),
                "opts": self.model_admin.opts,
                **context,
            },
        )


class IssueAdminView(AdminPageView):
    """
    A page of one issue, at an address with its ``issue_id``. The issue is read
    with ``queryset``; ``permission`` names the model admin's check the person
    must pass on it (“view”, “change”), or ``has_permission`` says more.
    """

    queryset = Issue.objects.select_related("publication")
    permission = "view"

    @cached_property
    def issue(self) -> Issue:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["issue_id"])

    def get_queryset(self) -> QuerySet[Issue]:
        # An issue of a publication the person does not work on is not found.
        return self.queryset.editable_by(self.request.user)

    def has_permission(self) -> bool:
        check = getattr(self.model_admin, f"has_{self.permission}_permission")
        return check(self.request, self.issue)

    def render(self, **context) -> TemplateResponse:
        return super().render(issue=self.issue, original=self.issue, **context)
