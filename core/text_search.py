"""Free-text matching with LIKE: the user's words are matched literally (their % and _ are not wildcards)."""
from __future__ import annotations

LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards and the escape character itself escaped by LIKE_ESCAPE."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def contains(column, text: str):
    """`column` contains `text`, case-insensitively, wildcards taken literally."""
    return column.ilike(f"%{escape_like(text)}%", escape=LIKE_ESCAPE)


def starts_with(column, text: str):
    """`column` starts with `text`, case-insensitively, wildcards taken literally."""
    return column.ilike(f"{escape_like(text)}%", escape=LIKE_ESCAPE)
