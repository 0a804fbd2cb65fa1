"""
Images resized for e-mail: twice the width of their slot (1200 px for the 600 px
column), so that they stay sharp on high-density screens, as JPEG for photographs and
PNG for anything with transparency or few colours.

A rendition is named after the sha256 of the source file's content and the slot's
width, so it is made once, whatever the source's name, and reused by every later
export. Images hosted elsewhere are left as they are.
"""

import dataclasses
import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from newsroom.core.site import absolute_url

FOLDER = "renditions"
JPEG_QUALITY = 82


@dataclasses.dataclass(frozen=True)
class Rendition:
    name: str  # in the default storage, e.g. renditions/<sha>-600.jpg
    url: str  # absolute
    width: int
    height: int

    @property
    def display_width(self) -> int:
        """The width of the <img>: the slot, or less for a small image."""
        return max(1, min(self.width, self.slot_width))

    slot_width: int = 600


def email_rendition(file, *, slot_width: int = 600) -> Rendition:
    """The rendition of the uploaded ``file`` for a slot ``slot_width`` px wide."""
    file.open("rb")
    try:
        data = file.read()
    finally:
        file.close()
    stem = f"{FOLDER}/{hashlib.sha256(data).hexdigest()[:40]}-{slot_width}"
    for extension in ("jpg", "png"):
        name = f"{stem}.{extension}"
        if default_storage.exists(name):
            # Only the header is read.
            with (
                default_storage.open(name, "rb") as stored,
                Image.open(stored) as image,
            ):
                width, height = image.size
            break
    else:
        content, extension, (width, height) = _render(data, 2 * slot_width)
        name = default_storage.save(f"{stem}.{extension}", ContentFile(content))
    return Rendition(
        name=name,
        url=absolute_url(default_storage.url(name)),
        width=width,
        height=height,
        slot_width=slot_width,
    )


def _render(data: bytes, max_width: int) -> tuple[bytes, str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as source:
        source.seek(0)  # the first frame of an animation
        image = ImageOps.exif_transpose(source.copy())
    if image.width > max_width:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if _is_graphic(image):
        if image.mode not in ("RGBA", "LA", "P", "L", "RGB"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(
            out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
        extension = "jpg"
    return out.getvalue(), extension, image.size


def _is_graphic(image: Image.Image) -> bool:
    """Transparency, a palette or few colours: a logo or a chart, not a photograph."""
    if "transparency" in image.info:
        return True
    # A photograph saved with an alpha channel it does not use is still a photo.
    has_alpha = image.mode in ("RGBA", "LA", "PA")
    if has_alpha and image.getchannel("A").getextrema() != (255, 255):
        return True
    if image.mode in ("P", "1"):
        return True
    # getcolors() gives up (None) beyond maxcolors: a photograph has thousands.
    sample = image.copy()
    sample.thumbnail((200, 200))
    return sample.convert("RGB").getcolors(maxcolors=256) is not None
