"""Uploaded files (deliverables, logos): checked by name and content, stored outside static under a random name."""
from __future__ import annotations

import io
import json
import os
import secrets
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from core.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 1024 * 1024
# A small file can declare a huge image that decoding would blow up (a 48 KB PNG of 20,000 × 20,000):
MAX_IMAGE_SIDE = 4096  # pixels, for images shown on the site (logos)
MAX_DELIVERABLE_PIXELS = 50_000_000  # for deliverables that are images (a 24-megapixel photo passes)
IMAGE_TYPES = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}  # extension → detected type
BINARY_TYPES = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg", "zip": "zip"}
TEXT_TYPES = {"csv", "md", "txt"}
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty archive
ALLOWED = sorted(set(BINARY_TYPES) | TEXT_TYPES | {"ipynb"})
MIME_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
              "webp": "image/webp", "zip": "application/zip", "csv": "text/csv", "md": "text/markdown",
              "txt": "text/plain", "ipynb": "application/x-ipynb+json", "gif": "image/gif"}
# Shown in the browser (Content-Disposition: inline, under the sandboxing file CSP); every other type downloads.
INLINE_TYPES = frozenset({"pdf", "png", "jpg", "jpeg", "webp", "gif"})


def opens_inline(file_type: str | None) -> bool:
    """Whether a stored file of this type is shown in the browser rather than downloaded."""
    return file_type in INLINE_TYPES


class UploadRejected(DomainError):
    status = 400


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    data: bytes


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_notebook(data: bytes) -> bool:
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(notebook, dict) and "cells" in notebook and "nbformat" in notebook


def _is_zip(data: bytes) -> bool:
    """A zip archive from its first byte: it starts with an entry (or is an empty archive) and its
    directory reads. `zipfile.is_zipfile` alone only looks for an end record, which any file can end with."""
    if not data.startswith(ZIP_STARTS):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return False
    return True


def _content_matches(extension: str, data: bytes) -> bool:
    if extension in BINARY_TYPES:
        if BINARY_TYPES[extension] == "zip":
            return _is_zip(data)
        kind = filetype.guess(data)
        return kind is not None and kind.extension == BINARY_TYPES[extension]
    if extension == "ipynb":
        return _is_notebook(data)
    return _is_text(data)


def clean_name(name: str | None) -> str:
    """A file name fit to store and to send back in a header: its last path part, without control or
    bidirectional formatting characters (CR, LF, U+202E...), whitespace runs collapsed, at most 255
    characters; "file" when nothing is left."""
    base = os.path.basename((name or "").replace("\\", "/"))
    printable = "".join(c if unicodedata.category(c)[0] not in "CZ" else " " for c in base)
    return " ".join(printable.split())[:255] or "file"


def _name_and_extension(upload: FileStorage) -> tuple[str, str]:
    name = clean_name(upload.filename)
    return name, name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read(upload: FileStorage, max_bytes: int, too_large: str) -> bytes:
    """The file's bytes, reading at most one byte past the limit; refused when too large or empty."""
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(too_large)
    if not data:
        raise UploadRejected(_("The file is empty."))
    return data


def check(upload: FileStorage) -> CheckedFile:
    """Refuse a file that is too large, of a type not allowed, or whose content is not what its name says."""
    name, extension = _name_and_extension(upload)
    if extension not in ALLOWED:
        raise UploadRejected(_("Files of this type are not accepted. Allowed: %(types)s.", types=", ".join(ALLOWED)))
    data = _read(upload, MAX_UPLOAD_BYTES, _("The file is larger than 10 MB."))
    if not _content_matches(extension, data):
        raise UploadRejected(_("The file's content does not match its .%(extension)s name.", extension=extension))
    if extension in IMAGE_TYPES:
        size = _image_size(data)
        if size is None or size[0] * size[1] > MAX_DELIVERABLE_PIXELS:
            raise UploadRejected(_("The image has more than %(pixels)d million pixels.",
                                   pixels=MAX_DELIVERABLE_PIXELS // 1_000_000))
    return CheckedFile(name, extension, data)


def check_image(upload: FileStorage, max_bytes: int = MAX_IMAGE_BYTES,
                max_side: int | None = MAX_IMAGE_SIDE) -> CheckedFile:
    """Refuse an image that is not a PNG, JPEG or WebP by its name and by its content (never SVG, which can
    carry scripts), larger than `max_bytes` (1 MB unless said) or, when `max_side` is given, wider or
    taller than that. The extension stored is the one the content shows."""
    name, extension = _name_and_extension(upload)
    if extension not in IMAGE_TYPES:
        raise UploadRejected(_("Upload a PNG, JPEG or WebP image."))
    data = _read(upload, max_bytes, _("The image is larger than %(megabytes)d MB.",
                                      megabytes=max_bytes // (1024 * 1024)))
    kind = filetype.guess(data)
    if kind is None or kind.extension != IMAGE_TYPES[extension]:
        raise UploadRejected(_("The file's content does not match its .%(extension)s name.", extension=extension))
    if max_side is not None:
        size = _image_size(data)
        if size is None or max(size) > max_side:
            raise UploadRejected(_("The image is larger than %(side)d × %(side)d pixels.", side=max_side))
    return CheckedFile(name, kind.extension, data)


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height read from the image's header, without decoding its pixels; None for an image so
    large that Pillow calls it a decompression bomb."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    except (UnidentifiedImageError, OSError, ValueError):
        raise UploadRejected(_("The image cannot be read.")) from None


def upload_folder() -> Path:
    return Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")


def path_for(key: str) -> Path:
    return upload_folder() / key[:2] / key


def store(checked: CheckedFile) -> str:
    """Write the file under a random name and return that name (the key)."""
    key = secrets.token_hex(16)
    path = path_for(key)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(checked.data)
    return key


def discard(key: str) -> None:
    path_for(key).unlink(missing_ok=True)
