"""
Checks every uploaded image with Pillow and re-encodes it, so what is stored is a plain
JPEG, PNG, GIF or WebP within the size limits, with no EXIF, XMP, comments or text
chunks left in it, turned the right way up, and named after what it really is.
"""

import io
import re
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

# Pillow's JPEG reader calls a JPEG that holds more than one picture (phones' portrait
# mode, some cameras) MPO. Its first picture is the photo; the rest is not needed.
_STORED_AS = {"MPO": "JPEG"}

_EXPORT_ADVICE = (
    "Open it in an image editor, export it as a JPEG (for photos) or a PNG (for "
    "graphics), and upload that."
)


class PreparedImage(SimpleUploadedFile):
    """An upload that ``prepare_image`` has checked and re-encoded."""


def prepare_image(upload) -> PreparedImage:
    """
    Return ``upload`` re-encoded without metadata, or raise ValidationError saying what
    is wrong with it and how to fix it.
    """
    data = _read(upload)
    try:
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
            image_format = _STORED_AS.get(image.format, image.format)
            animated = image_format == image.format and _is_animated(image)
            _check_pixels(image, frames=_frame_count(image) if animated else 1)
            content = _reencode(image, image_format, animated)
            _check_reencoded_size(content)
    except ValidationError:
        raise
    except UnidentifiedImageError as error:
        raise _not_an_allowed_image(data) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Exception as error:
        # Whatever a damaged or hostile file makes a decoder raise, it is the upload
        # that is at fault, and the editor who needs to hear about it.
        raise ValidationError(
            "This image is damaged or incomplete: it may not have finished "
            "downloading or saving. Open it in an image editor, save it again, and "
            "upload it again.",
            code="image_damaged",
        ) from error

    extension, content_type = FORMATS[image_format]
    return PreparedImage(f"{_stem(upload)}.{extension}", content, content_type)


def _read(upload) -> bytes:
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise _too_large(None)
    if not data:
        raise ValidationError(
            "This file is empty. Choose the image again and upload it again.",
            code="image_empty",
        )
    return data


def _too_large(size: int | None) -> ValidationError:
    if size:
        how_large = "%(size)s; the limit is %(limit)s"
    else:
        how_large = "over %(limit)s, the limit"
    return ValidationError(
        f"This image is {how_large}. Save it smaller (for example as a JPEG at 80%% "
        "quality, at most 2400 pixels wide) and upload it again.",
        code="image_too_large",
        params={
            "size": filesizeformat(size),
            "limit": filesizeformat(settings.NEWSROOM_IMAGE_MAX_BYTES),
        },
    )


def _is_animated(image: Image.Image) -> bool:
    return image.format in ("GIF", "PNG", "WEBP") and getattr(
        image, "is_animated", False
    )


def _frame_count(image: Image.Image) -> int:
    """
    The frames of an animation, counted no further than the limit: a file of a few
    megabytes can hold hundreds of thousands of tiny frames, and counting them all
    would read every one.
    """
    max_frames = settings.NEWSROOM_IMAGE_MAX_FRAMES
    try:
        image.seek(max_frames)
    except EOFError:
        image.seek(0)
        return image.n_frames
    raise ValidationError(
        "This animation has more than %(limit)s frames. Shorten it (a few seconds "
        "is plenty for e-mail, where many readers see only its first frame) and "
        "upload it again.",
        code="image_too_many_frames",
        params={"limit": f"{max_frames:,}"},
    )


def _check_reencoded_size(content: bytes) -> None:
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if len(content) > max_bytes:
        raise ValidationError(
            "Once prepared for e-mail, this image would be %(size)s; the limit is "
            "%(limit)s. Save it smaller or, for an animation, shorter, and upload it "
            "again.",
            code="image_too_large",
            params={
                "size": filesizeformat(len(content)),
                "limit": filesizeformat(max_bytes),
            },
        )


def _check_pixels(image: Image.Image, *, frames: int) -> None:
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    width, height = image.size
    if width * height > max_pixels:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels; the limit is %(limit)s "
            "pixels. Resize it (2400 pixels wide is plenty for e-mail) and upload it "
            "again.",
            code="image_too_many_pixels",
            params={"width": width, "height": height, "limit": _count(max_pixels)},
        )
    if width * height * frames > max_pixels:
        raise ValidationError(
            "This animation has %(frames)s frames of %(width)s × %(height)s pixels; "
            "the limit is %(limit)s pixels for all frames together. Make it smaller "
            "or shorter and upload it again.",
            code="image_too_many_pixels",
            params={
                "frames": frames,
                "width": width,
                "height": height,
                "limit": _count(max_pixels),
            },
        )


def _too_many_pixels() -> ValidationError:
    # Pillow refuses such an image from its header alone, before its size is known.
    return ValidationError(
        "This image has far more pixels than the limit of %(limit)s. Resize it (2400 "
        "pixels wide is plenty for e-mail) and upload it again.",
        code="image_too_many_pixels",
        params={"limit": _count(settings.NEWSROOM_IMAGE_MAX_PIXELS)},
    )


def _count(pixels: int) -> str:
    if pixels >= 1_000_000:
        return f"{pixels / 1_000_000:g} million"
    return f"{pixels:,}"


def _not_an_allowed_image(data: bytes) -> ValidationError:
    kind = _kind_of_file(data[:1024])
    if kind == "svg":
        return ValidationError(
            "This is an SVG drawing. SVG files can carry scripts, so Newsroom does "
            "not take them: export the drawing as a PNG and upload that.",
            code="image_format",
        )
    if kind is not None:
        return ValidationError(
            "This is %(kind)s, not a %(allowed)s image. " + _EXPORT_ADVICE,
            code="image_format",
            params={"kind": kind, "allowed": ALLOWED_NAMES},
        )
    return ValidationError(
        "This file is not a %(allowed)s image, whatever its name says. "
        + _EXPORT_ADVICE,
        code="image_format",
        params={"allowed": ALLOWED_NAMES},
    )


# How files people often try to upload begin, and what they are, in words.
_SIGNATURES = [
    ((b"BM",), "a BMP image"),
    ((b"II*\x00", b"MM\x00*"), "a TIFF image"),
    ((b"8BPS",), "a Photoshop (PSD) file"),
    ((b"%PDF",), "a PDF document"),
    ((b"\x00\x00\x01\x00",), "an icon (ICO) file"),
]
# The brands of an ISO media file (bytes 8 to 12, after "ftyp") that are images.
_MEDIA_BRANDS = {
    **dict.fromkeys(
        (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"heif"),
        "a HEIC photo (the format iPhones save in)",
    ),
    **dict.fromkeys((b"avif", b"avis"), "an AVIF image"),
}


def _kind_of_file(head: bytes) -> str | None:
    """What a file starting with ``head`` is, in words, for files people often try."""
    for starts, kind in _SIGNATURES:
        if head.startswith(starts):
            return kind
    if head[4:8] == b"ftyp" and head[8:12] in _MEDIA_BRANDS:
        return _MEDIA_BRANDS[head[8:12]]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return "svg"
    if text.startswith((b"<!doctype html", b"<html")) or b"<script" in text:
        return "a web page (HTML)"
    if text.startswith(b"%!ps"):
        return "a PostScript file"
    return None


def _stem(upload) -> str:
    """The upload's name without its extension, safe to give the new file."""
    name = PurePath(getattr(upload, "name", None) or "image").name
    stem = name.rpartition(".")[0] if "." in name else name
    # No second extension survives ("report.php.jpg"), and no leading dot.
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_")
    return stem[:100] or "image"


def _reencode(image: Image.Image, image_format: str, animated: bool) -> bytes:
    icc_profile = image.info.get("icc_profile")
    if animated:
        return _reencode_animation(image, image_format, icc_profile)

    image.load()
    transparency = image.info.get("transparency")
    try:
        # Apply the camera's rotation before its EXIF goes.
        upright = ImageOps.exif_transpose(image)
    except Exception:
        # A damaged EXIF block costs the rotation, not the upload.
        upright = image.copy()
    # Only pixels and colour survive: EXIF, XMP, comments and text chunks are in
    # ``info``, and Pillow writes some of them back when saving (JPEG comments).
    upright.info = {}
    options = {}
    if transparency is not None and image_format in ("PNG", "GIF"):
        options["transparency"] = transparency

    if image_format == "JPEG":
        upright, icc_profile = _for_jpeg(upright, icc_profile)
        options.update(quality=88, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=88)
    if icc_profile and image_format != "GIF":
        # Colour, not metadata: without it photos shift colour.
        options["icc_profile"] = icc_profile

    out = io.BytesIO()
    upright.save(out, format=image_format, **options)
    return out.getvalue()


def _for_jpeg(image: Image.Image, icc_profile: bytes | None):
    """``image`` in a mode every mail client shows, and the profile that fits it."""
    if image.mode == "CMYK":
        # Print files: most mail clients show CMYK JPEGs with wrong colours, or not
        # at all. The CMYK profile does not describe the RGB result, so it goes.
        if icc_profile:
            try:
                from PIL import ImageCms

                return (
                    ImageCms.profileToProfile(
                        image,
                        ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                        ImageCms.createProfile("sRGB"),
                        outputMode="RGB",
                    ),
                    None,
                )
            except Exception:
                pass
        return image.convert("RGB"), None
    if image.mode not in ("RGB", "L"):
        return image.convert("RGB"), None
    return image, icc_profile


def _reencode_animation(
    image: Image.Image, image_format: str, icc_profile: bytes | None
) -> bytes:
    frames = []
    durations = []
    for frame in ImageSequence.Iterator(image):
        # Pillow hands out every frame whole, already composed with the ones before.
        # Copying loads the frame, and only then does WebP say how long it lasts.
        copy = frame.copy()
        transparency = frame.info.get("transparency")
        copy.info = {} if transparency is None else {"transparency": transparency}
        frames.append(copy)
        durations.append(frame.info.get("duration") or 100)
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    loop = image.info.get("loop")
    if loop is not None:
        options["loop"] = loop
    if image_format == "WEBP":
        options["quality"] = 88
    if icc_profile and image_format != "GIF":
        options["icc_profile"] = icc_profile
    out = io.BytesIO()
    frames[0].save(out, format=image_format, **options)
    return out.getvalue()
