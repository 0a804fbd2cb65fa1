"""
Hostile and mistaken uploads through the admin, as an editor makes them: each is
refused with a message on the form or neutralised, and nothing already saved is lost.
"""

import shutil
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from people.models import Person
from tests.factories import make_person, make_superuser
from tests.newsroom.core.test_images import (
    SCRIPT,
    claiming_size,
    encode,
    photo_with_exif,
)


class PhotoUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()
        cls.person = make_person("Ada Lovelace", bio="<p>Kept as it was.</p>")

    def setUp(self):
        self.media = Path(tempfile.mkdtemp(prefix="newsroom-uploads-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=self.media)
        settings.enable()
        self.addCleanup(settings.disable)
        self.client.force_login(self.user)
        self.url = reverse("admin:people_person_change", args=[self.person.pk])

    def post_photo(self, data: bytes, name: str):
        return self.client.post(
            self.url,
            {
                "name": "Ada Lovelace (edited)",
                "slug": self.person.slug,
                "bio": "<p>Changed.</p>",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "photo": SimpleUploadedFile(name, data),
            },
        )

    def assert_refused(self, data: bytes, name: str, message: str):
        response = self.post_photo(data, name)
        self.assertEqual(response.status_code, 200)
        self.assertIn("photo", response.context["adminform"].form.errors)
        self.assertContains(response, message)
        # The rest of the editor's input is still on the screen, nothing is saved.
        self.assertContains(response, "Ada Lovelace (edited)")
        self.person.refresh_from_db()
        self.assertEqual(self.person.name, "Ada Lovelace")
        self.assertEqual(self.person.bio, "<p>Kept as it was.</p>")
        self.assertEqual(list(self.media.rglob("*.*")), [])

    def stored_photo(self) -> bytes:
        self.person.refresh_from_db()
        return Path(self.person.photo.path).read_bytes()

    def test_decompression_bomb(self):
        """A tiny PNG claiming 10 billion pixels is refused before it is decoded."""
        bomb = claiming_size(encode(Image.new("RGB", (1, 1)), "PNG"), 100_000, 100_000)
        self.assert_refused(bomb, "bomb.png", "more pixels than the limit")

    def test_svg(self):
        drawing = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        self.assert_refused(drawing, "logo.png", "This is an SVG drawing")

    def test_psd(self):
        psd = b"8BPS\x00\x01" + bytes(20) + b"\x00\x03"
        self.assert_refused(psd, "poster.psd", "a Photoshop (PSD) file")

    def test_thirty_megabyte_file(self):
        """A 30 MB file is refused with the limit, in words."""
        big = encode(Image.new("RGB", (8, 8)), "PNG") + bytes(30 * 1024 * 1024)
        self.assert_refused(big, "huge.png", "the limit is 10.0\xa0MB")

    def test_png_followed_by_html_is_stored_without_the_html(self):
        """A PNG with a web page after it is re-encoded: the page is gone."""
        polyglot = encode(Image.new("RGB", (8, 8), "red"), "PNG")
        polyglot += b"<html><body>" + SCRIPT.encode() + b"</body></html>"
        response = self.post_photo(polyglot, "innocent.png")
        self.assertEqual(response.status_code, 302)
        stored = self.stored_photo()
        self.assertNotIn(b"<html", stored)
        self.assertNotIn(b"script", stored)
        self.assertTrue(self.person.photo.name.endswith(".png"))

    def test_exif_with_a_script_is_dropped(self):
        response = self.post_photo(photo_with_exif(), "portrait.jpg")
        self.assertEqual(response.status_code, 302)
        stored = self.stored_photo()
        self.assertNotIn(b"Exif", stored)
        self.assertNotIn(SCRIPT.encode(), stored)

    def test_html_named_as_a_photo(self):
        page = b"<!DOCTYPE html><html>" + SCRIPT.encode() + b"</html>"
        self.assert_refused(page, "portrait.jpg", "This is a web page (HTML)")

    def test_stored_files_are_only_ever_images(self):
        """Whatever name an upload had, it is stored under its real image type."""
        for name in ["page.html", "photo.svg", "x.php", "noextension"]:
            with self.subTest(name=name):
                data = encode(Image.new("RGB", (4, 4), "blue"), "JPEG")
                self.assertEqual(self.post_photo(data, name).status_code, 302)
                self.person.refresh_from_db()
                self.assertRegex(self.person.photo.name, r"\.jpg$")


class TooManyFilesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_superuser()

    def test_more_files_than_allowed_in_one_request(self):
        """Too many files at once: a 400 page that says what happened, nothing saved."""
        self.client.force_login(self.user)
        files = {
            f"photo{number}": SimpleUploadedFile(f"{number}.png", b"x")
            for number in range(30)
        }
        response = self.client.post(
            reverse("admin:people_person_add"),
            {"name": "Many Files", "slug": "many-files", **files},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "too many files", status_code=400)
        self.assertFalse(Person.objects.filter(slug="many-files").exists())
