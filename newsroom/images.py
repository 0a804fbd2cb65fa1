"""
Checks every uploaded image with Pillow and re-encodes it, so what is stored is a plain
JPEG, PNG, GIF or WebP within the size limits, with no EXIF, XMP or comments left in it.
"""

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
ALLOWED_NAMES = "JPEG, PNG, GIF or WebP"


def prepare_image(upload) -> SimpleUploadedFile:
    """
    Return ``upload`` re-encoded without metadata, or raise ValidationError saying what
    is wrong with it and how to fix it.
    """
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            "This image is %(size)s; the limit is %(limit)s. Save it smaller (for "
            "example as a JPEG at 80%% quality, at most 2400 pixels wide) and upload "
            "it again.",
            code="image_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise ValidationError(
                    "This is a %(format)s file. Upload the image as %(allowed)s.",
                    code="image_format",
                    params={"format": image.format, "allowed": ALLOWED_NAMES},
                )
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    "This image is %(width)s × %(height)s pixels; the limit is "
                    "%(limit)s million pixels. Resize it (2400 pixels wide is plenty "
                    "for e-mail) and upload it again.",
                    code="image_too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": max_pixels // 1_000_000,
                    },
                )
            content = _reencode(image)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as error:
        raise ValidationError(
            "This file is not an image Newsroom can read. Upload a %(allowed)s image "
            "(exported again from an image editor if it came from elsewhere).",
            code="image_unreadable",
            params={"allowed": ALLOWED_NAMES},
        ) from error
    finally:
        upload.seek(0)

    extension, content_type = FORMATS[image.format]
    stem = PurePath(getattr(upload, "name", None) or "image").stem or "image"
    return SimpleUploadedFile(f"{stem}.{extension}", content, content_type)


def _reencode(image: Image.Image) -> bytes:
    fmt = image.format
    out = io.BytesIO()
    options = {}
    if image.info.get("icc_profile"):
        # Colour, not metadata: without it photos shift colour.
        options["icc_profile"] = image.info["icc_profile"]
    if fmt == "GIF" or getattr(image, "n_frames", 1) > 1:
        image.load()
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
        frames[0].save(
            out,
            format=fmt,
            save_all=len(frames) > 1,
            append_images=frames[1:],
            loop=image.info.get("loop", 0),
            duration=image.info.get("duration", 100),
        )
        return out.getvalue()
    image.load()
    # Apply the camera's rotation before its EXIF goes.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        if image.mode not in {"RGB", "L", "CMYK"}:
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=88, optimize=True, **options)
    elif fmt == "PNG":
        image.save(out, format="PNG", optimize=True, **options)
    else:
        image.save(out, format="WEBP", quality=88, **options)
    return out.getvalue()

