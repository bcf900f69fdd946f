"""What makes a password too easy to guess: refused wherever a password is set (registration, the
create-admin command, later the password forms), with the reason shown next to the field."""
from __future__ import annotations

import string
import unicodedata
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common_passwords.txt"
SEQUENCES = (string.digits, string.ascii_lowercase, "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop",
             "qsdfghjklm", "wxcvbn")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def _is_sequence(text: str) -> bool:
    """Runs of a keyboard row or of the alphabet or digits, forwards or backwards ("1234567890", "jihgf")."""
    if len(text) < 4:
        return False
    for row in SEQUENCES:
        for line in (row, row[::-1]):
            cycled = line * 3
            if text in cycled:
                return True
    return False


def _plain(text: str) -> str:
    """Without accents: "Zoé" and "zoe" are the same guess."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def password_problem(password: str, *, email: str = "", handle: str = "", name: str = "") -> str | None:
    """Why `password` is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    folded = password.casefold()
    if not folded.strip():
        return _("A password cannot be only spaces.")
    if len(set(folded)) < 4 or _is_sequence(folded) or _is_sequence(folded.strip()):
        return _("This password is too easy to guess: avoid repeated characters and sequences.")
    if folded in common_passwords():
        return _("This password is one of the most common ones. Please choose another.")
    letters = "".join(c for c in _plain(folded) if c.isalnum())
    own = {_plain(part.casefold()) for part in (email, email.split("@")[0], handle, name.replace(" ", "")) if part}
    own_words = {"".join(c for c in word if c.isalnum()) for word in own}
    if _plain(folded) in own or letters in own_words or letters.rstrip(string.digits) in own_words:
        return _("Your password must not be your email, handle or name.")
    return None
