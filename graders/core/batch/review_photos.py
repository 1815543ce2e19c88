"""The photos and PDFs a student handed in (handwritten derivations), shown on their dashboard page for review.

A raster image is embedded as a `data:` URI only when its first bytes prove its type (PNG, JPEG, GIF,
WebP, BMP): the page names the type, never the student, so nothing handed in can run as a script or
HTML (the dashboard's CSP allows `img-src data:` and nothing else). Anything else (a PDF, HEIC, TIFF,
an image the browser cannot show, or one over the size cap) is copied next to the page under a name
we choose (`<n><suffix>`) and linked. Read from the unit's bytes (the cache keeps reports only).
"""
from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from graders.core.archive import check_entry
from graders.core.batch.collect import LIMITS, Unit

PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".heic", ".heif", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".pdf")
MAX_PHOTOS = 4  # per student: a review needs the work, not every picture of it
MAX_EMBED_BYTES = 8 * 2**20
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
          (b"GIF89a", "image/gif"), (b"BM", "image/bmp"))


@dataclass(frozen=True)
class Photo:
    """One handed-in file for the review: its name as handed in, and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def image_type(data: bytes) -> str | None:
    """The raster image type the bytes start with (None: not one a browser shows from a data: URI)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((mime for magic, mime in _MAGIC if data.startswith(magic)), None)


def _is_photo(name: str) -> bool:
    path = PurePosixPath(name)
    return path.suffix.lower() in PHOTO_SUFFIXES and not path.name.startswith("._")


def _from_zip(data: bytes) -> list[Photo]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = []
            for info in archive.infolist()[:LIMITS.max_files]:
                if info.is_dir() or not _is_photo(info.filename):
                    continue
                check_entry(info, LIMITS)
                found.append(Photo(info.filename, archive.read(info)))
                if len(found) == MAX_PHOTOS:
                    break
            return found
    except Exception:  # noqa: BLE001 - a zip that cannot be read again shows no photo; its row says why
        return []


def handed_in_photos(unit: Unit) -> list[Photo]:
    """The photos and PDFs in a unit (and in the single zip it may be), at most MAX_PHOTOS, in name order."""
    found = [Photo(name, data) for name, data in sorted(unit.files.items()) if _is_photo(name)]
    for name, data in sorted(unit.files.items()):
        if name.lower().endswith(".zip"):
            found += _from_zip(data)
    return found[:MAX_PHOTOS]


def photo_entries(photos: list[Photo], folder: str) -> tuple[list[dict[str, str]], dict[str, bytes]]:
    """What a student page shows for each photo, and the files to write next to it (relative path -> bytes).

    `folder` is the page's own folder for linked files (e.g. `files/<page key>`), relative to the page."""
    entries, files = [], {}
    for n, photo in enumerate(photos, start=1):
        mime = image_type(photo.data)
        if mime and len(photo.data) <= MAX_EMBED_BYTES:
            uri = f"data:{mime};base64," + base64.b64encode(photo.data).decode("ascii")
            entries.append({"name": photo.name, "src": uri, "href": ""})
        else:
            path = f"{folder}/{n}{photo.suffix}"
            files[path] = photo.data
            entries.append({"name": photo.name, "src": "", "href": quote(path)})
    return entries, files
