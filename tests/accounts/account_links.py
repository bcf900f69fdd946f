"""Helpers for the account-link tests: read a link out of a real email, alter a token."""
from __future__ import annotations

import re

BASE = "http://127.0.0.1:5000"


def link_in(msg, path: str) -> str:
    """The path of the first link in `msg`'s plain text that starts with `path` (checked in the HTML too)."""
    text = msg.get_body(("plain",)).get_content()
    match = re.search(re.escape(BASE + path) + r"[^\s]+", text)
    assert match, f"no {path} link in:\n{text}"
    assert match.group(0) in msg.get_body(("html",)).get_content()
    return match.group(0).removeprefix(BASE)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def altered(url: str) -> str:
    """The same link with its signature's last characters changed."""
    return url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
