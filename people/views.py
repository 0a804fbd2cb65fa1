from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from newsroom.core.caching import public_page
from people.models import Person, Team


@public_page
def person(request, slug):
    person = get_object_or_404(Person, slug=slug)
    memberships = (
        person.memberships.on(timezone.localdate())
        .select_related("team")
        .order_by("team__name", "position")
    )
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "memberships": list(memberships)},
    )


@public_page
def team(request, slug):
    team = get_object_or_404(Team, slug=slug)
    members = list(team.members_on(timezone.localdate()))
    return render(
        request, "people/team_detail.html", {"team": team, "members": members}
    )
