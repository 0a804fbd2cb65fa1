import io
import zipfile
from unittest import mock

from django.core.files.storage import default_storage
from django.test import TestCase
from PIL import Image

from issues.editorial.sending import export_issue
from issues.export import images
from issues.models import MailerProfile
from tests.factories import (
    make_image_file,
    make_issue,
    make_item,
    make_publication,
    make_section,
)
from tests.issues.export.helpers import (
    SITE_URL,
    clear_renditions,
    export_settings,
    parse,
)


def photo(size=(2000, 1000)):
    """A noisy picture: thousands of colours, like a photograph."""
    image = Image.merge("RGB", [Image.effect_noise(size, 60) for _ in range(3)])
    out = io.BytesIO()
    image.save(out, format="JPEG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.jpg", out.getvalue())


@export_settings
class RenditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        publication = make_publication()
        cls.section = make_section(publication, title="News")
        cls.issue = make_issue(publication)
        cls.item = make_item(
            cls.issue, cls.section, title="Photo", image=photo(), image_alt="A lab"
        )
        cls.profile = MailerProfile.objects.get(slug="generic")

    def tearDown(self):
        clear_renditions()

    def test_photo_becomes_a_1200_px_jpeg_shown_at_600(self):
        result = export_issue(issue=self.issue, profile=self.profile)
        [name] = result.images
        self.assertTrue(name.startswith("renditions/") and name.endswith(".jpg"))
        with default_storage.open(name) as file, Image.open(file) as image:
            self.assertEqual(image.size, (1200, 600))
            self.assertEqual(image.format, "JPEG")
        img = parse(result.html).find("img", alt="A lab")
        self.assertEqual(img["width"], "600")
        self.assertEqual(img["src"], f"{SITE_URL}/media/{name}")

    def test_renditions_are_made_once_and_reused(self):
        first = export_issue(issue=self.issue, profile=self.profile)
        with mock.patch.object(images, "_render", wraps=images._render) as render:
            second = export_issue(issue=self.issue, profile=self.profile)
        render.assert_not_called()
        self.assertEqual(first.images, second.images)
        self.assertEqual(len(default_storage.listdir("renditions")[1]), 1)

    def test_graphics_with_transparency_become_png_and_are_not_enlarged(self):
        logo = make_image_file("logo.png", "PNG", size=(300, 100), colour="#ff000080")
        make_item(self.issue, self.section, title="Logo", image=logo, image_alt="L")
        result = export_issue(issue=self.issue, profile=self.profile)
        [png] = [name for name in result.images if name.endswith(".png")]
        with default_storage.open(png) as file, Image.open(file) as image:
            self.assertEqual(image.size, (300, 100))
        self.assertEqual(parse(result.html).find("img", alt="L")["width"], "300")

    def test_zip_holds_html_text_and_images(self):
        result = export_issue(issue=self.issue, profile=self.profile)
        with zipfile.ZipFile(io.BytesIO(result.zip_bytes())) as archive:
            names = archive.namelist()
            self.assertEqual(
                archive.read(f"{result.basename}.html").decode(), result.html
            )
        self.assertEqual(
            names,
            [
                f"{result.basename}.html",
                f"{result.basename}.txt",
                f"images/{result.images[0].rpartition('/')[2]}",
            ],
        )
        self.assertEqual(result.zip_bytes(), result.zip_bytes())
