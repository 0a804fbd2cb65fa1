import contextlib
import io
import shutil
import struct
import tempfile
import zlib
from pathlib import Path
from unittest import mock

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase, override_settings
from PIL import ExifTags, Image, ImageCms, ImageSequence, PngImagePlugin

from newsroom.core import images
from newsroom.core.images import prepare_image
from people.models import Person

SCRIPT = "<script>alert(1)</script>"


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def opened(prepared) -> Image.Image:
    prepared.seek(0)
    return Image.open(io.BytesIO(prepared.read()))


def contents(prepared) -> bytes:
    prepared.seek(0)
    return prepared.read()


def refusal(data: bytes, name: str) -> ValidationError:
    """The error ``prepare_image`` raises for ``data``, failing the test if none."""
    try:
        prepare_image(upload(data, name))
    except ValidationError as error:
        return error
    raise AssertionError(f"{name} was accepted")


def claiming_size(png: bytes, width: int, height: int) -> bytes:
    """``png`` with its header rewritten to claim ``width`` × ``height`` pixels."""
    # Signature (8 bytes), then the IHDR chunk: length, type, 13 bytes of data, CRC.
    start = 8 + 4
    header = bytearray(png[start : start + 4 + 13])
    header[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(header)))
    return png[:start] + bytes(header) + crc + png[start + 4 + 13 + 4 :]


def photo_with_exif() -> bytes:
    """A 60 × 30 photo stored on its side, blue in its top-left corner, with EXIF
    that locates it, describes it with a script, and says to turn it a quarter."""
    image = Image.new("RGB", (60, 30), "red")
    image.paste("blue", (0, 0, 12, 12))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # Turn 90° clockwise to display.
    exif[ExifTags.Base.ImageDescription] = SCRIPT
    exif[ExifTags.Base.Make] = "Camera maker"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 12.0, 19.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 3.0),
    }
    return encode(image, "JPEG", exif=exif, comment=SCRIPT.encode())


def animation(image_format: str, **options) -> bytes:
    frames = []
    for number, colour in enumerate(["red", "green", "blue"]):
        frame = Image.new("RGBA", (24, 24), (0, 0, 0, 0))
        frame.paste(colour, (number * 6, number * 6, number * 6 + 10, number * 6 + 10))
        frames.append(frame)
    return encode(
        frames[0],
        image_format,
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        **options,
    )


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


class RefusedFileTests(SimpleTestCase):
    """What is not a usable JPEG, PNG, GIF or WebP is refused with a clear reason."""

    def test_decompression_bomb_is_refused_from_its_header(self):
        """A tiny PNG claiming 100,000 × 100,000 pixels is refused, not decoded."""
        bomb = claiming_size(encode(Image.new("RGB", (1, 1)), "PNG"), 100_000, 100_000)
        self.assertLess(len(bomb), 100)
        error = refusal(bomb, "bomb.png")
        self.assertEqual(error.code, "image_too_many_pixels")
        self.assertIn("more pixels than the limit of 40 million", error.messages[0])
        self.assertIn("Resize it", error.messages[0])

    def test_claimed_size_over_the_limit_is_refused_before_decoding(self):
        """A header claiming 7000 × 7000 pixels is refused for its size, by name."""
        claim = claiming_size(encode(Image.new("RGB", (1, 1)), "PNG"), 7000, 7000)
        error = refusal(claim, "poster.png")
        self.assertEqual(error.code, "image_too_many_pixels")
        self.assertIn("7000 × 7000 pixels", error.messages[0])
        self.assertIn("the limit is 40 million pixels", error.messages[0])

    @override_settings(NEWSROOM_IMAGE_MAX_PIXELS=10_000)
    def test_image_over_the_pixel_limit(self):
        """The message gives the size of the image and the limit."""
        error = refusal(encode(Image.new("RGB", (200, 100)), "PNG"), "wide.png")
        self.assertEqual(error.code, "image_too_many_pixels")
        self.assertIn("200 × 100 pixels", error.messages[0])
        self.assertIn("10,000 pixels", error.messages[0])

    @override_settings(NEWSROOM_IMAGE_MAX_PIXELS=1_000)
    def test_animation_pixels_count_over_all_frames(self):
        """Three frames of 24 × 24 are more than 1,000 pixels, though one is not."""
        error = refusal(animation("GIF"), "banner.gif")
        self.assertEqual(error.code, "image_too_many_pixels")
        self.assertIn("3 frames of 24 × 24 pixels", error.messages[0])

    def test_animation_of_too_many_tiny_frames_is_refused_before_decoding(self):
        """
        Thousands of 1 × 1 frames pass the pixel limit but would take a worker's
        time and memory to re-encode: they are refused by their number, at once.
        """
        frames = [Image.new("L", (1, 1), shade % 256) for shade in range(2000)]
        data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
        with mock.patch.object(images, "_reencode") as reencode:
            error = refusal(data, "tiny.gif")
        reencode.assert_not_called()
        self.assertEqual(error.code, "image_too_many_frames")
        self.assertIn("more than 500 frames", error.messages[0])
        self.assertIn("Shorten it", error.messages[0])

    @override_settings(NEWSROOM_IMAGE_MAX_FRAMES=3)
    def test_animation_at_the_frame_limit_is_kept(self):
        """An animation of exactly as many frames as the limit is accepted."""
        prepared = images.prepare_image(upload(animation("GIF"), "three.gif"))
        with opened(prepared) as image:
            self.assertEqual(image.n_frames, 3)

    def test_image_over_the_byte_limit_once_re_encoded_is_refused(self):
        """
        What is stored is the re-encoded file, so its size is checked too: an upload
        under the limit whose re-encoding is over it is refused, with both sizes.
        """
        data = encode(Image.new("RGB", (40, 40), "teal"), "PNG")
        limit = len(data) + 100
        with (
            override_settings(NEWSROOM_IMAGE_MAX_BYTES=limit),
            mock.patch.object(images, "_reencode", return_value=b"x" * (limit + 1)),
        ):
            error = refusal(data, "teal.png")
        self.assertEqual(error.code, "image_too_large")
        self.assertIn("Once prepared for e-mail", error.messages[0])
        self.assertIn("Save it smaller", error.messages[0])

    @override_settings(NEWSROOM_IMAGE_MAX_BYTES=1000)
    def test_file_over_the_byte_limit(self):
        """The message gives the limit and says how to get under it."""
        data = encode(Image.effect_noise((100, 100), 64), "PNG")
        self.assertGreater(len(data), 1000)
        error = refusal(data, "noise.png")
        self.assertEqual(error.code, "image_too_large")
        self.assertIn("the limit is 1000\xa0bytes", error.messages[0])
        self.assertIn("Save it smaller", error.messages[0])

    @override_settings(NEWSROOM_IMAGE_MAX_BYTES=1000)
    def test_file_over_the_byte_limit_without_a_declared_size(self):
        """A file that does not say how large it is is measured, not trusted."""
        stream = io.BytesIO(encode(Image.effect_noise((100, 100), 64), "PNG"))
        stream.name = "noise.png"
        with self.assertRaises(ValidationError) as raised:
            prepare_image(stream)
        self.assertEqual(raised.exception.code, "image_too_large")

    def test_text_file_named_png(self):
        """A text file is refused whatever its name."""
        error = refusal(b"Notes for the December issue\n", "notes.png")
        self.assertEqual(error.code, "image_format")
        self.assertIn(
            "not a JPEG, PNG, GIF or WebP image, whatever its name says",
            error.messages[0],
        )

    def test_html_file_named_jpg(self):
        """A web page named like a photo is refused as a web page."""
        page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
        error = refusal(page, "photo.jpg")
        self.assertEqual(error.code, "image_format")
        self.assertIn("This is a web page (HTML)", error.messages[0])

    def test_other_formats_are_named(self):
        """BMP, TIFF, PSD and icons are refused, saying what they are."""
        picture = Image.new("RGB", (16, 16), "green")
        cases = [
            (encode(picture, "BMP"), "a BMP image"),
            (encode(picture, "TIFF"), "a TIFF image"),
            (b"8BPS\x00\x01" + bytes(20) + b"\x00\x03", "a Photoshop (PSD) file"),
            (encode(picture, "ICO"), "an icon (ICO) file"),
        ]
        for data, kind in cases:
            with self.subTest(kind=kind):
                error = refusal(data, "picture.jpg")
                self.assertEqual(error.code, "image_format")
                self.assertIn(f"This is {kind}, not a JPEG", error.messages[0])
                self.assertIn("export it as a JPEG", error.messages[0])

    def test_unknown_binary_file(self):
        """A file of no known kind is refused."""
        error = refusal(bytes(range(256)) * 4, "mystery.webp")
        self.assertEqual(error.code, "image_format")
        self.assertIn("not a JPEG, PNG, GIF or WebP image", error.messages[0])

    def test_svg_is_refused(self):
        """An SVG, which can carry scripts, is refused with the reason."""
        drawing = (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            b'onload="alert(1)"><rect width="10" height="10"/></svg>'
        )
        error = refusal(drawing, "logo.png")
        self.assertEqual(error.code, "image_format")
        self.assertIn("This is an SVG drawing", error.messages[0])
        self.assertIn("export the drawing as a PNG", error.messages[0])

    def test_truncated_jpeg_is_refused(self):
        """A JPEG cut short is refused as damaged or incomplete."""
        photo = encode(Image.effect_noise((120, 80), 64).convert("RGB"), "JPEG")
        error = refusal(photo[: len(photo) * 2 // 3], "half.jpg")
        self.assertEqual(error.code, "image_damaged")
        self.assertIn("damaged or incomplete", error.messages[0])

    def test_empty_file(self):
        """An empty file is refused."""
        self.assertEqual(refusal(b"", "empty.png").code, "image_empty")

    def test_damaged_files_only_ever_give_a_validation_error(self):
        """Cut short anywhere, a file is refused with a message, never a crash."""
        noise = Image.effect_noise((48, 32), 64).convert("RGB")
        samples = {
            "jpg": encode(noise, "JPEG"),
            "png": encode(noise, "PNG"),
            "gif": animation("GIF"),
            "webp": animation("WEBP"),
        }
        for extension, data in samples.items():
            for end in range(0, len(data), max(1, len(data) // 60)):
                with self.subTest(format=extension, end=end):
                    with contextlib.suppress(ValidationError):
                        prepare_image(upload(data[:end], f"cut.{extension}"))


class ReencodedImageTests(SimpleTestCase):
    """What is kept is re-encoded: pixels and colour survive, metadata does not."""

    def test_jpeg_exif_is_dropped_after_turning_the_photo_upright(self):
        """Location, camera, a scripted description and comments go; the photo
        stands upright."""
        source = photo_with_exif()
        self.assertIn(SCRIPT.encode(), source)
        with Image.open(io.BytesIO(source)) as original:
            self.assertIn(ExifTags.Base.GPSInfo, original.getexif())

        prepared = prepare_image(upload(source, "holiday.jpeg"))
        data = contents(prepared)
        self.assertNotIn(SCRIPT.encode(), data)
        self.assertNotIn(b"Exif", data)
        self.assertNotIn(b"Camera maker", data)
        with opened(prepared) as image:
            self.assertEqual(image.format, "JPEG")
            self.assertEqual(dict(image.getexif()), {})
            self.assertNotIn("comment", image.info)
            # On its side 60 × 30; upright 30 × 60, the blue corner now top right.
            self.assertEqual(image.size, (30, 60))
            red, _, blue = image.getpixel((25, 4))
            self.assertGreater(blue, 200)
            self.assertLess(red, 60)
            red, _, blue = image.getpixel((4, 4))
            self.assertGreater(red, 200)
            self.assertLess(blue, 60)
        self.assertEqual(prepared.name, "holiday.jpg")
        self.assertEqual(prepared.content_type, "image/jpeg")

    def test_png_text_chunks_are_dropped(self):
        """Text, compressed text and XMP chunks go."""
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", SCRIPT)
        info.add_text("Author", "Someone", zip=True)
        info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
        source = encode(Image.new("RGBA", (8, 8), "green"), "PNG", pnginfo=info)
        self.assertIn(SCRIPT.encode(), source)

        prepared = prepare_image(upload(source, "chart.png"))
        data = contents(prepared)
        for marker in (SCRIPT.encode(), b"tEXt", b"zTXt", b"iTXt", b"xmpmeta"):
            with self.subTest(marker=marker):
                self.assertNotIn(marker, data)
        with opened(prepared) as image:
            self.assertEqual(image.text, {})

    def test_colour_profile_is_kept(self):
        """The ICC profile survives re-encoding."""
        profile = srgb_profile()
        for image_format, mode in [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB")]:
            with self.subTest(format=image_format):
                picture = Image.new(mode, (8, 8))
                source = encode(picture, image_format, icc_profile=profile)
                with opened(prepare_image(upload(source, "colour"))) as image:
                    self.assertEqual(image.info.get("icc_profile"), profile)

    def test_extension_follows_the_real_format(self):
        """A PNG named photo.jpg becomes photo.png, and so on."""
        jpeg = encode(Image.new("RGB", (8, 8)), "JPEG")
        cases = [
            (encode(Image.new("RGBA", (8, 8)), "PNG"), "photo.jpg", "photo.png"),
            (jpeg, "scan.png", "scan.jpg"),
            (encode(Image.new("P", (8, 8)), "GIF"), "icon.webp", "icon.gif"),
            (encode(Image.new("RGB", (8, 8)), "WEBP"), "tile.gif", "tile.webp"),
            # No second extension, no name made of an extension alone.
            (jpeg, "report.php.jpg", "report-php.jpg"),
            (jpeg, ".jpg", "image.jpg"),
        ]
        for data, name, expected in cases:
            with self.subTest(name=name):
                prepared = prepare_image(upload(data, name))
                self.assertEqual(prepared.name, expected)
                with opened(prepared) as image:
                    self.assertEqual(prepared.content_type, Image.MIME[image.format])

    def test_animations_keep_their_frames(self):
        """Every frame and its timing survive; the GIF comment does not."""
        cases = [
            ("GIF", {"comment": SCRIPT.encode()}),
            ("WEBP", {}),
            ("PNG", {}),
        ]
        for image_format, options in cases:
            with self.subTest(format=image_format):
                prepared = prepare_image(
                    upload(animation(image_format, **options), "banner")
                )
                self.assertNotIn(SCRIPT.encode(), contents(prepared))
                with opened(prepared) as image:
                    self.assertEqual(image.format, image_format)
                    self.assertEqual(image.n_frames, 3)
                    durations = []
                    for frame in ImageSequence.Iterator(image):
                        frame.load()
                        durations.append(frame.info["duration"])
                    self.assertEqual(durations, [100, 200, 300])
                    self.assertNotIn("comment", image.info)

    def test_palette_transparency_is_kept(self):
        """A transparent colour in a palette image stays transparent."""
        picture = Image.new("P", (8, 8), 1)
        picture.putpalette([255, 255, 255, 200, 0, 0] + [0, 0, 0] * 254)
        picture.paste(0, (0, 0, 4, 8))
        for image_format in ("PNG", "GIF"):
            with self.subTest(format=image_format):
                source = encode(picture, image_format, transparency=0)
                with opened(prepare_image(upload(source, "logo"))) as image:
                    rgba = image.convert("RGBA")
                    self.assertEqual(rgba.getpixel((1, 1))[3], 0)
                    self.assertEqual(rgba.getpixel((6, 1)), (200, 0, 0, 255))

    def test_cmyk_jpeg_becomes_rgb(self):
        """A print file is stored in colours mail clients can show."""
        source = encode(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG")
        with opened(prepare_image(upload(source, "print.jpg"))) as image:
            self.assertEqual(image.mode, "RGB")
            red, green, blue = image.getpixel((4, 4))
            self.assertGreater(red, 200)
            self.assertLess(green, 60)
            self.assertLess(blue, 60)

    def test_multi_picture_jpeg_becomes_a_plain_jpeg(self):
        """A phone's portrait-mode JPEG (two pictures in one file) is accepted."""
        first = Image.new("RGB", (40, 30), "red")
        second = Image.new("RGB", (40, 30), "blue")
        source = encode(first, "MPO", save_all=True, append_images=[second])
        with Image.open(io.BytesIO(source)) as original:
            self.assertEqual(original.format, "MPO")
        prepared = prepare_image(upload(source, "portrait.jpg"))
        with opened(prepared) as image:
            self.assertEqual(image.format, "JPEG")
            self.assertEqual(getattr(image, "n_frames", 1), 1)
            self.assertGreater(image.getpixel((20, 15))[0], 200)
        self.assertEqual(prepared.name, "portrait.jpg")


class PersonPhotoForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "slug", "photo"]


class PhotoUploadFormTests(TestCase):
    """Through a form, a bad photo is a message on the field, not a server error."""

    def setUp(self):
        self.media = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.media)
        settings_override = override_settings(MEDIA_ROOT=self.media)
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def form(self, data: bytes, name: str) -> PersonPhotoForm:
        return PersonPhotoForm(
            data={"name": "Ada Lovelace", "slug": "ada-lovelace"},
            files={"photo": upload(data, name)},
        )

    def test_bad_uploads_are_form_errors(self):
        """Each bad file gives a message on the photo field and saves nothing."""
        bomb = claiming_size(encode(Image.new("RGB", (1, 1)), "PNG"), 100_000, 100_000)
        photo = encode(Image.effect_noise((120, 80), 64).convert("RGB"), "JPEG")
        cases = [
            (b"<html><script>alert(1)</script></html>", "me.jpg", "web page (HTML)"),
            (b"plain words", "me.png", "not a JPEG, PNG, GIF or WebP image"),
            (bomb, "me.png", "more pixels than the limit"),
            (encode(Image.new("RGB", (8, 8)), "BMP"), "me.jpg", "a BMP image"),
            (photo[: len(photo) // 2], "me.jpg", "damaged or incomplete"),
        ]
        for data, name, message in cases:
            with self.subTest(message=message):
                form = self.form(data, name)
                self.assertFalse(form.is_valid())
                self.assertEqual(list(form.errors), ["photo"])
                self.assertIn(message, form.errors["photo"][0])
        self.assertFalse(Person.objects.exists())
        self.assertEqual(list(self.media.rglob("*.*")), [])

    @override_settings(NEWSROOM_IMAGE_MAX_BYTES=1000)
    def test_too_large_upload_is_a_form_error(self):
        """A file over the byte limit gives a message on the field."""
        form = self.form(encode(Image.effect_noise((100, 100), 64), "PNG"), "me.png")
        self.assertFalse(form.is_valid())
        self.assertIn("the limit is 1000\xa0bytes", form.errors["photo"][0])

    def test_good_upload_is_cleaned_and_re_encoded(self):
        """The form hands on a re-encoded photo without EXIF."""
        form = self.form(photo_with_exif(), "ada.jpeg")
        self.assertTrue(form.is_valid(), form.errors)
        photo = form.cleaned_data["photo"]
        self.assertEqual(photo.name, "ada.jpg")
        self.assertNotIn(b"Exif", contents(photo))
        self.assertNotIn(SCRIPT.encode(), contents(photo))

    def test_saved_photo_has_no_exif(self):
        """The stored photo has no EXIF and stands upright."""
        form = self.form(photo_with_exif(), "ada.jpeg")
        self.assertTrue(form.is_valid(), form.errors)
        person = form.save()

        person = Person.objects.get(pk=person.pk)
        self.assertRegex(person.photo.name, r"^people/ada[^/]*\.jpg$")
        stored = Path(person.photo.path)
        self.assertTrue(stored.is_relative_to(self.media))
        data = stored.read_bytes()
        self.assertNotIn(b"Exif", data)
        self.assertNotIn(SCRIPT.encode(), data)
        with Image.open(stored) as image:
            self.assertEqual(dict(image.getexif()), {})
            self.assertEqual(image.size, (30, 60))

    def test_png_named_jpg_is_stored_as_png(self):
        """A PNG uploaded as .jpg is stored as .png."""
        form = self.form(encode(Image.new("RGBA", (8, 8), "red"), "PNG"), "ada.jpg")
        self.assertTrue(form.is_valid(), form.errors)
        person = form.save()
        self.assertRegex(person.photo.name, r"^people/ada[^/]*\.png$")
        with Image.open(person.photo.path) as image:
            self.assertEqual(image.format, "PNG")
