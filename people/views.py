from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from people.models import Person, Team


def person(request, slug):
    person = get_object_or_404(Person, slug=slug)
    today = timezone.localdate()
    memberships = list(person.memberships.select_related("team").order_by("team__name"))
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": [m for m in memberships if m.is_current_on(today)],
        },
    )


def team(request, slug):
    team = get_object_or_404(Team, slug=slug)
    members = list(team.members_on(timezone.localdate()))
    return render(request, "people/team_detail.html", {"team": team, "members": members})
