import datetime
import io
import json
import shutil
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.test import TestCase, override_settings
from PIL import ExifTags, Image

from events.models import Event
from issues.models import Issue, Item, Publication
from people.models import Person
from tests.factories import (
    make_event,
    make_image_file,
    make_issue,
    make_item,
    make_person,
    make_publication,
    make_section,
)
from tests.newsroom.core.test_richtext import counting_parses

HOSTILE = (
    '<p onclick="steal()">Apply <script>alert(1)</script>'
    '<a href="javascript:alert(2)">here</a><img src=x onerror=alert(3)></p>'
)
CLEANED = "<p>Apply <a>here</a></p>"
LINK_ERROR = (
    "Enter a full link starting with https://, http:// or mailto: "
    "(for example https://www.example.org/page)."
)


class RichTextFieldTests(TestCase):
    """Rich text is cleaned on every way into the database."""

    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue()
        cls.section = make_section(cls.issue.publication)
        cls.item = make_item(cls.issue, cls.section, title="Call for papers")
        cls.event = make_event("Winter school")

    def stored_body(self, item_pk):
        return Item.objects.values_list("body", flat=True).get(pk=item_pk)

    def test_save_cleans(self):
        """Model.save() stores, and leaves on the instance, the cleaned text."""
        item = make_item(self.issue, self.section, body=HOSTILE)
        self.assertEqual(item.body, CLEANED)
        self.assertEqual(self.stored_body(item.pk), CLEANED)

    def test_save_cleans_every_rich_text_field(self):
        """Event bodies and publication and issue intros are cleaned as well."""
        event = make_event(body=HOSTILE)
        publication = make_publication(intro=HOSTILE)
        issue = make_issue(publication, intro=HOSTILE)
        self.assertEqual(Event.objects.get(pk=event.pk).body, CLEANED)
        self.assertEqual(Publication.objects.get(pk=publication.pk).intro, CLEANED)
        self.assertEqual(Issue.objects.get(pk=issue.pk).intro, CLEANED)

    def test_queryset_update_cleans(self):
        """QuerySet.update(), which skips save(), still stores cleaned text."""
        Item.objects.filter(pk=self.item.pk).update(body=HOSTILE)
        Event.objects.filter(pk=self.event.pk).update(body=HOSTILE)
        self.assertEqual(self.stored_body(self.item.pk), CLEANED)
        self.assertEqual(Event.objects.get(pk=self.event.pk).body, CLEANED)

    def test_bulk_create_cleans(self):
        """bulk_create() stores cleaned text for every item."""
        items = Item.objects.bulk_create(
            [Item(title=f"Inbox {number}", body=HOSTILE) for number in range(3)]
        )
        for item in items:
            with self.subTest(item=item.title):
                self.assertEqual(
                    Item.objects.get(title=item.title).body, CLEANED, item.title
                )

    def test_bulk_update_cleans(self):
        """bulk_update() stores cleaned text."""
        self.item.body = HOSTILE
        Item.objects.bulk_update([self.item], ["body"])
        self.assertEqual(self.stored_body(self.item.pk), CLEANED)

    def test_loaddata_cleans(self):
        """A fixture, saved raw without save() logic, still stores cleaned text."""
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        fixture = directory / "hostile_item.json"
        moment = "2024-11-01T09:00:00Z"
        fixture.write_text(
            json.dumps(
                [
                    {
                        "model": "issues.item",
                        "pk": 9001,
                        "fields": {
                            "title": "From a fixture",
                            "body": HOSTILE,
                            "created_at": moment,
                            "updated_at": moment,
                        },
                    },
                    {
                        "model": "events.event",
                        "pk": 9002,
                        "fields": {
                            "title": "Fixture event",
                            "slug": "fixture-event",
                            "body": HOSTILE,
                            "start_date": "2024-12-01",
                            "time_zone": "Europe/London",
                            "created_at": moment,
                            "updated_at": moment,
                        },
                    },
                ]
            )
        )
        call_command("loaddata", str(fixture), verbosity=0)
        self.assertEqual(self.stored_body(9001), CLEANED)
        self.assertEqual(Event.objects.get(pk=9002).body, CLEANED)

    def test_saving_an_item_parses_its_text_once(self):
        """A save cleans rich text once, and cleaning parses it once."""
        with counting_parses() as parse:
            item = make_item(self.issue, self.section, body=HOSTILE)
        self.assertEqual(parse.call_count, 1)
        self.assertEqual(self.stored_body(item.pk), CLEANED)
        item.body = HOSTILE
        with counting_parses() as parse:
            item.save()
        self.assertEqual(parse.call_count, 1)
        self.assertEqual(self.stored_body(item.pk), CLEANED)

    def test_clean_text_is_stored_unchanged(self):
        """Formatting an editor wrote survives the round trip exactly."""
        body = (
            "<h3>Deadline</h3><p>Apply by <strong>1 December</strong> at "
            '<a href="https://www.example.org/apply?ref=news&amp;id=3">the portal'
            "</a>.</p><ul><li>Staff</li><li>Students</li></ul>"
        )
        item = make_item(self.issue, self.section, body=body)
        self.assertEqual(self.stored_body(item.pk), body)


class SafeURLFieldTests(TestCase):
    """Links are http(s) or mailto, whichever way they are written."""

    @classmethod
    def setUpTestData(cls):
        cls.issue = make_issue()
        cls.section = make_section(cls.issue.publication)
        cls.item = make_item(
            cls.issue,
            cls.section,
            cta_label="Register",
            cta_url="https://www.example.org/register",
        )
        cls.event = make_event(registration_url="https://www.example.org/event")
        cls.publication = cls.issue.publication

    def test_form_field_explains_what_to_enter(self):
        """The editor is told what a valid link looks like."""
        field = Item._meta.get_field("cta_url").formfield()
        for value in ["javascript:alert(1)", "www.example.org", "/apply", "data:x"]:
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as raised:
                    field.clean(value)
                self.assertEqual(raised.exception.messages, [LINK_ERROR])

    def test_model_form_shows_the_error_on_the_field(self):
        """A form built from the model shows the error on the link field."""

        class CallToActionForm(forms.ModelForm):
            class Meta:
                model = Item
                fields = ["title", "cta_label", "cta_url"]

        form = CallToActionForm(
            data={
                "title": "Apply",
                "cta_label": "Apply",
                "cta_url": "JavaScript:alert(1)",
            }
        )
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["cta_url"], [LINK_ERROR])

    def test_form_field_tidies_the_link(self):
        """Spaces around the link go and the scheme is written in lower case."""
        field = Item._meta.get_field("cta_url").formfield()
        self.assertEqual(
            field.clean("  HTTPS://www.example.org/Apply  "),
            "https://www.example.org/Apply",
        )

    def test_full_clean_refuses_javascript(self):
        """Validation refuses javascript:, its disguises and other schemes."""
        for value in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example/",
        ]:
            with self.subTest(value=value):
                item = Item(title="Apply", cta_label="Apply", cta_url=value)
                with self.assertRaises(ValidationError) as raised:
                    item.full_clean()
                self.assertEqual(raised.exception.message_dict["cta_url"], [LINK_ERROR])

    def test_database_refuses_javascript_written_with_update(self):
        """QuerySet.update() cannot store a javascript: link on any model."""
        cases = [
            (Item.objects.filter(pk=self.item.pk), "cta_url"),
            (Event.objects.filter(pk=self.event.pk), "registration_url"),
            (Publication.objects.filter(pk=self.publication.pk), "signup_url"),
        ]
        for queryset, field in cases:
            for value in ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " data:x"]:
                with self.subTest(model=queryset.model.__name__, value=value):
                    with self.assertRaises(IntegrityError), transaction.atomic():
                        queryset.update(**{field: value})
        self.item.refresh_from_db()
        self.assertEqual(self.item.cta_url, "https://www.example.org/register")

    def test_database_refuses_javascript_from_an_expression(self):
        """Even a value the field never sees (an SQL expression) is refused."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            Item.objects.filter(pk=self.item.pk).update(
                cta_url=Value("javascript:alert(1)")
            )

    def test_database_refuses_javascript_saved_without_validation(self):
        """save() without full_clean() still cannot store a javascript: link."""
        cases = [
            Item(title="Apply", cta_label="Apply", cta_url="javascript:alert(1)"),
            Event(
                title="Trap",
                slug="trap",
                start_date=datetime.date(2024, 12, 1),
                url="javascript:alert(1)",
            ),
            Publication(name="Trap", slug="trap", signup_url="javascript:alert(1)"),
        ]
        for instance in cases:
            with self.subTest(model=type(instance).__name__):
                with self.assertRaises(IntegrityError), transaction.atomic():
                    instance.save()
                self.assertIsNone(instance.pk)

    def test_scheme_case_is_normalised(self):
        """ "HTTPS://…" is stored, and left on the instance, as "https://…"."""
        item = make_item(
            self.issue,
            self.section,
            cta_label="Register",
            cta_url="HTTPS://www.example.org/Register",
        )
        self.assertEqual(item.cta_url, "https://www.example.org/Register")
        item.refresh_from_db()
        self.assertEqual(item.cta_url, "https://www.example.org/Register")

    def test_scheme_case_is_normalised_by_update(self):
        """QuerySet.update() lower-cases the scheme too."""
        Event.objects.filter(pk=self.event.pk).update(
            registration_url="MAILTO:events@example.org"
        )
        self.event.refresh_from_db()
        self.assertEqual(self.event.registration_url, "mailto:events@example.org")


class SafeImageFieldTests(TestCase):
    """An image assigned in code is checked and re-encoded like an upload."""

    @classmethod
    def setUpTestData(cls):
        cls.person = make_person("Ada Lovelace")

    def setUp(self):
        self.media = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.media)
        settings_override = override_settings(MEDIA_ROOT=self.media)
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def test_assigned_photo_is_re_encoded_on_save(self):
        """A file set in code is re-encoded, renamed and stripped of EXIF."""
        exif = Image.Exif()
        exif[ExifTags.Base.ImageDescription] = "<script>alert(1)</script>"
        upload = make_image_file("portrait.jpg", "PNG", exif=exif)
        self.person.photo = ContentFile(upload.read(), name="portrait.jpg")
        self.person.save()

        person = Person.objects.get(pk=self.person.pk)
        self.assertRegex(person.photo.name, r"^people/portrait[^/]*\.png$")
        with person.photo.open("rb") as stored:
            data = stored.read()
        self.assertNotIn(b"<script>", data)
        with Image.open(io.BytesIO(data)) as image:
            self.assertEqual(image.format, "PNG")
            self.assertEqual(dict(image.getexif()), {})

    def test_assigned_non_image_is_refused(self):
        """A file set in code that is not an image is refused; nothing is stored."""
        self.person.photo = ContentFile(b"<html><script>x</script>", name="me.jpg")
        with self.assertRaises(ValidationError) as raised, transaction.atomic():
            self.person.save()
        self.assertIn("photo", raised.exception.message_dict)
        self.assertEqual(Person.objects.get(pk=self.person.pk).photo.name, "")
        self.assertEqual(list(self.media.rglob("*.*")), [])
