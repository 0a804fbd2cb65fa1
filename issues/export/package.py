"""The ZIP handed to the mailer: the e-mail HTML, the plain text and the images."""

import io
import posixpath
import zipfile

from django.core.files.storage import default_storage

# Fixed, so that the same export always gives the same bytes.
_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def local_images(snapshot: dict) -> list[str]:
    """The e-mail renditions the snapshot uses, by name in the default storage."""
    images = [snapshot["publication"]["banner"]]
    for section in snapshot["sections"]:
        images.append(section["image"])
        images.extend(item["image"] for item in section["items"])
    names = []
    for image in images:
        if image and image["file"] and image["file"] not in names:
            names.append(image["file"])
    return names


def build_zip(*, basename: str, html: str, text: str, images: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, f"{basename}.html", html.encode())
        _add(archive, f"{basename}.txt", text.encode())
        for name in images:
            if not default_storage.exists(name):
                continue
            with default_storage.open(name, "rb") as image:
                # Already compressed: stored as they are.
                _add(
                    archive,
                    f"images/{posixpath.basename(name)}",
                    image.read(),
                    zipfile.ZIP_STORED,
                )
    return out.getvalue()


def _add(archive, name: str, data: bytes, compression=zipfile.ZIP_DEFLATED) -> None:
    info = zipfile.ZipInfo(name, date_time=_DATE_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
