import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from newsroom.core.dates import validate_kept_date
from newsroom.core.fields import SafeImageField


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    organisation = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Their own job title. A role in a team is set on the membership.",
    )
    email = models.EmailField(blank=True)
    photo = SafeImageField(upload_to="people/", blank=True)
    bio = models.TextField("short bio", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:person", kwargs={"slug": self.slug})


class Team(models.Model):
    """A group of people shown in a newsletter, such as a partnership's team."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    members = models.ManyToManyField(
        Person, through="TeamMembership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:team", kwargs={"slug": self.slug})

    def members_on(self, date: datetime.date):
        """The memberships in force on ``date``, in the team's order."""
        return self.memberships.on(date)


class TeamMembershipQuerySet(models.QuerySet):
    def on(self, date: datetime.date):
        """Memberships in force on ``date``, in display order, with their person."""
        return (
            self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=date))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=date))
            .select_related("person")
            .order_by("position", "person__name")
        )


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=200, help_text="As shown in the newsletter, e.g. “Theme Lead”."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )
    starts_on = models.DateField(
        "member from",
        null=True,
        blank=True,
        validators=[validate_kept_date],
        help_text="Leave empty if always.",
    )
    ends_on = models.DateField(
        "member until",
        null=True,
        blank=True,
        validators=[validate_kept_date],
        help_text="The last day as a member. Leave empty while they are on the team.",
    )

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "position", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message=(
                    "“Member until” cannot be before “member from”."
                ),
            ),
            models.UniqueConstraint(
                fields=["team", "person", "starts_on"],
                name="membership_unique_start",
                violation_error_message=(
                    "This person already has a membership of this team starting "
                    "on that date."
                ),
            ),
            # NULLs are distinct in a unique index, so "since always" needs its own.
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(starts_on__isnull=True),
                name="membership_unique_open_start",
                violation_error_message=(
                    "This person already has a membership of this team with no "
                    "start date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.role} ({self.team})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def is_current_on(self, date: datetime.date) -> bool:
        return (self.starts_on is None or self.starts_on <= date) and (
            self.ends_on is None or self.ends_on >= date
        )
