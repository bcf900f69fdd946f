"""URL slugs: readable, ASCII, unique in their table."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from core.extensions import db


def slugify(text: str, fallback: str = "item") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70] or fallback


def unique_slug(column, text: str, fallback: str = "item") -> str:
    """`slugify(text)`, with -2, -3… appended when `column` already holds it."""
    base = slugify(text, fallback)
    taken = set(db.session.scalars(select(column).where((column == base) | column.like(f"{base}-%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)
