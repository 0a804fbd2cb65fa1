"""Publications, their sections and social links."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from newsroom.core.fields import (
    RichTextField,
    SafeImageField,
    SafeURLField,
    url_scheme_constraint,
)

validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$",
    "Enter the colour as # and six hexadecimal digits, e.g. #1F4E79.",
)


class PublicationQuerySet(models.QuerySet):
    def editable_by(self, user):
        """
        The publications ``user`` works on: those with no editor groups, and those
        with a group ``user`` belongs to; every one for a superuser. A subquery, so
        that filtering by it costs no query of its own.
        """
        if user.is_superuser:
            return self.all()
        grants = Publication.editor_groups.through.objects
        restricted = grants.values("publication_id")
        granted = grants.filter(group__user=user).values("publication_id")
        return self.filter(~Q(pk__in=restricted) | Q(pk__in=granted))


class Publication(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    intro = RichTextField(
        blank=True, help_text="Shown under the banner of every issue: who you are."
    )
    contact = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Readers are told to write to this person.",
    )
    signup_url = SafeURLField("sign-up link", blank=True)
    postal_address = models.TextField(
        blank=True, help_text="Required by law in marketing e-mail; one line is fine."
    )
    copyright_holder = models.CharField(max_length=200, blank=True)
    brand_colour = models.CharField(
        max_length=7, default="#1F4E79", validators=[validate_colour]
    )
    banner = SafeImageField(upload_to="banners/", blank=True)
    banner_url = SafeURLField(
        "banner image link",
        blank=True,
        help_text="An image hosted elsewhere, used when no banner is uploaded.",
    )
    banner_alt = models.CharField("banner alt text", max_length=300, blank=True)
    team = models.ForeignKey(
        "people.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        help_text="The team listed in each issue, as it stood on the issue's date.",
    )
    editor_groups = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="publications",
        help_text=(
            "Only members of these groups (and superusers) see and work on this "
            "publication's issues and their items; leave it empty for every editor "
            "and approver. A group here needs no permissions of its own: what its "
            "members may do still comes from Editors or Approvers."
        ),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            url_scheme_constraint("signup_url", "publication_signup_url_scheme"),
            url_scheme_constraint("banner_url", "publication_banner_url_scheme"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("issues:publication", kwargs={"slug": self.slug})


class SocialLink(models.Model):
    class Network(models.TextChoices):
        WEBSITE = "website", "Website"
        LINKEDIN = "linkedin", "LinkedIn"
        X = "x", "X (Twitter)"
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        BLUESKY = "bluesky", "Bluesky"
        MASTODON = "mastodon", "Mastodon"
        SLACK = "slack", "Slack"
        OTHER = "other", "Other"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="social_links"
    )
    network = models.CharField(max_length=16, choices=Network)
    label = models.CharField(
        max_length=100, blank=True, help_text="Link text, e.g. “Slack workspace”."
    )
    url = SafeURLField("link", blank=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["publication", "position", "pk"]
        constraints = [
            url_scheme_constraint("url", "social_link_url_scheme"),
            models.CheckConstraint(condition=~Q(url=""), name="social_link_has_url"),
        ]

    def __str__(self):
        return self.label or self.get_network_display()

    def get_absolute_url(self):
        return self.url


class Section(models.Model):
    class Kind(models.TextChoices):
        ITEMS = "items", "Items"
        TEAM = "team", "Team list"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        max_length=8,
        choices=Kind,
        default=Kind.ITEMS,
        help_text="A team list shows the publication's team instead of items.",
    )
    is_default = models.BooleanField(
        "in every issue",
        default=True,
        help_text="Expected in every issue; an issue where it is empty is flagged.",
    )
    image = SafeImageField(upload_to="sections/", blank=True)
    image_url = SafeURLField("image link", blank=True)
    image_alt = models.CharField("image alt text", max_length=300, blank=True)

    class Meta:
        ordering = ["publication", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "slug"],
                name="section_slug_unique_per_publication",
                violation_error_message="This publication already has this section.",
            ),
            url_scheme_constraint("image_url", "section_image_url_scheme"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.publication.get_absolute_url()
