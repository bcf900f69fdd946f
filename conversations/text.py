"""Message text: what is refused (empty, overlong, control characters), the @mentions it holds, and its HTML
(escaped, line breaks kept, web links made clickable with rel="nofollow ugc")."""
from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from conversations.models import MAX_MESSAGE_LENGTH

# Letters, digits, - and _ as in handles (accounts.forms); not preceded by a word character, so an email
# address (ana@example.org) is not a mention.
MENTION = re.compile(r"(?<![\w@])@([a-z0-9_-]{3,30})(?![\w-])", re.IGNORECASE)
# http(s) links up to whitespace or a character that cannot end a link in running text.
LINK = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?…»”’)]}"
# Direction overrides and isolates reorder what the reader sees ("Trojan source"); refused like control characters.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_MENTIONS = 10


def normalised(text: str) -> str:
    """Line ends as \\n, surrounding blank space trimmed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def problem(text: str) -> str | None:
    """What is wrong with a message's text (an untranslated key for the form to word), or None."""
    if not text:
        return "empty"
    if len(text) > MAX_MESSAGE_LENGTH:
        return "long"
    for char in text:
        if char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS:
            return "control"
    return None


def mentions(text: str) -> list[str]:
    """The handles mentioned, lowercased, in order, each once."""
    return list(dict.fromkeys(m.lower() for m in MENTION.findall(text or "")))


def _split_link(candidate: str) -> tuple[str, str]:
    """A link found in text, less the punctuation that ends the sentence around it (a closing bracket is kept
    when the link opened one)."""
    end = len(candidate)
    while end and candidate[end - 1] in TRAILING:
        if candidate[end - 1] == ")" and candidate[:end].count("(") >= candidate[:end].count(")"):
            break
        end -= 1
    return candidate[:end], candidate[end:]


def _linked(text: str) -> str:
    out, position = [], 0
    for match in LINK.finditer(text):
        url, rest = _split_link(match.group(0))
        out.append(str(escape(text[position:match.start()])))
        if not url.split("://", 1)[1]:  # "https://" alone is not a link
            out.append(str(escape(url)))
        else:
            out.append(f'<a href="{escape(url)}" rel="nofollow ugc noopener" target="_blank">{escape(url)}</a>')
        out.append(str(escape(rest)))
        position = match.end()
    out.append(str(escape(text[position:])))
    return "".join(out)


def render(text: str) -> Markup:
    """The message as HTML: every character escaped, http(s) links clickable, @mentions marked, paragraphs and
    line breaks kept."""
    # Mentions are marked in the escaped text outside the links' own markup.
    parts = re.split(r"(<a [^>]*>.*?</a>)", _linked(text))
    html = "".join(part if part.startswith("<a ") else MENTION.sub(r'<strong class="mention">\g<0></strong>', part)
                   for part in parts)
    paragraphs = [p.replace("\n", "<br>\n") for p in re.split(r"\n{2,}", html)]
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs))


def excerpt(text: str, length: int = 280) -> str:
    """The start of a message for notifications and emails, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[:length - 1].rstrip() + "…"
