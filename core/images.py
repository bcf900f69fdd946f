"""Pictures people upload to show on the site: chapter and project covers, member avatars.

An upload is checked by content like every image (PNG, JPEG or WebP, never SVG), decoded once with a
pixel limit (a small file can declare a huge image), turned upright from its EXIF orientation, and saved
as WebP at a few widths with no metadata at all (a phone photo's EXIF carries where it was taken).
The renditions are stored under a random key and never change: a new picture gets a new key, so they
are served with far-future caching, and the `srcset` lets each browser pick the width it needs."""
from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from core import uploads
from core.errors import FieldError

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone photo
MAX_PHOTO_PIXELS = 50_000_000
WEBP_QUALITY = 80
KEY_LENGTH = 32  # hex characters


@dataclass(frozen=True)
class Kind:
    """How a kind of picture is shown: the widths stored and, for avatars, a square crop."""
    widths: tuple[int, ...]
    square: bool = False


COVER = Kind(widths=(480, 960, 1600))
AVATAR = Kind(widths=(64, 128, 256), square=True)
ALL_WIDTHS = frozenset(COVER.widths + AVATAR.widths)


@dataclass(frozen=True)
class Picture:
    """A stored picture as templates use it: its renditions and the text that replaces it."""
    key: str
    widths: tuple[int, ...]
    alt: str = ""

    @classmethod
    def of(cls, key: str | None, widths: str | None, alt: str | None = "") -> Picture | None:
        if not key or not widths:
            return None
        return cls(key, tuple(int(width) for width in widths.split()), alt or "")

    def url(self, width: int | None = None) -> str:
        return url_for("main.image", key=self.key, width=width or self.widths[-1])

    @property
    def srcset(self) -> str:
        return ", ".join(f"{self.url(width)} {width}w" for width in self.widths)


class HasCover:
    """A chapter's or project's optional cover picture, with the text that replaces it for those who
    cannot see it (required with the picture)."""
    cover_key: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    cover_widths: Mapped[str | None] = mapped_column(String(40))
    cover_alt: Mapped[str | None] = mapped_column(String(200))

    @property
    def cover(self) -> Picture | None:
        return Picture.of(self.cover_key, self.cover_widths, self.cover_alt)


def folder() -> Path:
    return uploads.upload_folder() / "images"


def path_for(key: str, width: int) -> Path:
    return folder() / key[:2] / f"{key}-{width}.webp"


def _decode(data: bytes):
    """The image decoded, refusing pictures over the pixel limit before their pixels are read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise uploads.UploadRejected(_("The image has more than %(pixels)d million pixels.",
                                               pixels=MAX_PHOTO_PIXELS // 1_000_000))
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise uploads.UploadRejected(_("The image has more than %(pixels)d million pixels.",
                                       pixels=MAX_PHOTO_PIXELS // 1_000_000)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise uploads.UploadRejected(_("The image cannot be read.")) from None
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")


def renditions(data: bytes, kind: Kind) -> dict[int, bytes]:
    """WebP files at each width of the kind the image is wide enough for (at least the smallest), with
    no EXIF, XMP or colour profile: only what a fresh image holds is written."""
    from PIL import Image, ImageOps

    image = _decode(data)
    if kind.square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
    widths = [width for width in kind.widths if width <= image.width] or [kind.widths[0]]
    files = {}
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        resized.info.clear()
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        files[width] = out.getvalue()
    return files


def store(files: dict[int, bytes]) -> tuple[str, str]:
    """Write the renditions under a new random key: (key, the widths as stored on the row)."""
    key = secrets.token_hex(KEY_LENGTH // 2)
    for width, data in files.items():
        path = path_for(key, width)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(data)
    return key, " ".join(str(width) for width in sorted(files))


def discard(key: str | None) -> None:
    if not key:
        return
    for width in ALL_WIDTHS:
        path_for(key, width).unlink(missing_ok=True)


def accept(upload: FileStorage | None, kind: Kind, field: str) -> dict[int, bytes] | None:
    """The renditions of an uploaded picture, or None when no file was sent; a refused file is an error
    on the form's `field`."""
    if upload is None or not getattr(upload, "filename", None):
        return None
    try:
        checked = uploads.check_image(upload, max_bytes=MAX_PHOTO_BYTES, max_side=None)
        return renditions(checked.data, kind)
    except uploads.UploadRejected as error:
        raise FieldError.on(field, error.message) from None


class Replacement:
    """A row's picture (`<name>_key`, `<name>_widths` and, for covers, `<name>_alt`) changed by one commit:
    the new files are removed if the commit fails, the old ones once it succeeds.

        files = images.accept(upload, images.COVER, "cover")   # before any change: may raise FieldError
        with images.Replacement(project, "cover", files, remove=remove_cover, alt=cover_alt):
            db.session.commit()
    """

    def __init__(self, row, name: str, files: dict[int, bytes] | None, *, remove: bool = False,
                 alt: str | None = None):
        self.row, self.name = row, name
        self.old_key = getattr(row, f"{name}_key")
        self.new_key = None
        if files:
            self.new_key, widths = store(files)
            self._set(self.new_key, widths)
        elif remove:
            self._set(None, None)
        if hasattr(row, f"{name}_alt"):
            setattr(row, f"{name}_alt", alt if getattr(row, f"{name}_key") else None)

    def _set(self, key, widths) -> None:
        setattr(self.row, f"{self.name}_key", key)
        setattr(self.row, f"{self.name}_widths", widths)

    def __enter__(self):
        return self

    def __exit__(self, error_type, error, traceback) -> bool:
        if error_type is not None:
            discard(self.new_key)
        elif getattr(self.row, f"{self.name}_key") != self.old_key:
            discard(self.old_key)
        return False


def max_age() -> int:
    return current_app.config.get("IMAGE_MAX_AGE", 365 * 24 * 3600)
