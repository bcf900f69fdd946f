"""The badge image (pure): an accessible SVG naming the project and the chapter.

It is embedded in each credential's achievement `image` as a data: URI and served as the
badge image of the public credential page. Text is XML-escaped and long titles wrap on
word boundaries (at most three lines, the last one shortened with an ellipsis).
"""
from __future__ import annotations

import base64
import functools
import io
import textwrap
from xml.sax.saxutils import escape

LINE_WIDTH = 22
MAX_LINES = 3
CHAPTER_WIDTH = 30  # the chapter line's smaller type fits more characters


def _lines(title: str) -> list[str]:
    lines = textwrap.wrap(" ".join(title.split()), LINE_WIDTH, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: LINE_WIDTH - 1].rstrip() + "…"
    return lines


def badge_svg(project_title: str, chapter_name: str) -> str:
    """A 240×240 SVG badge with a <title> and <desc> for screen readers."""
    lines = _lines(project_title)
    chapter = textwrap.shorten(" ".join(chapter_name.split()), CHAPTER_WIDTH, placeholder="…")
    first_y = 112 - (len(lines) - 1) * 11
    title_text = "".join(
        f'<tspan x="120" y="{first_y + index * 22}">{escape(line)}</tspan>' for index, line in enumerate(lines))
    label = escape(f"{project_title} — {chapter_name}")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240" '
        'role="img" aria-labelledby="badge-title badge-desc">'
        f'<title id="badge-title">{label}</title>'
        f'<desc id="badge-desc">{escape(chapter_name)}</desc>'
        '<circle cx="120" cy="120" r="114" fill="#0b3d5c" stroke="#f2b134" stroke-width="8"/>'
        '<circle cx="120" cy="120" r="98" fill="none" stroke="#ffffff" stroke-width="2" stroke-dasharray="4 6"/>'
        '<text font-family="Helvetica, Arial, sans-serif" font-size="18" font-weight="700" fill="#ffffff" '
        f'text-anchor="middle">{title_text}</text>'
        '<text font-family="Helvetica, Arial, sans-serif" font-size="13" fill="#f2b134" text-anchor="middle" '
        f'x="120" y="{first_y + len(lines) * 22 + 14}">{escape(chapter)}</text>'
        '</svg>'
    )


def badge_data_uri(project_title: str, chapter_name: str) -> str:
    """The badge as a data: URI (base64), for the achievement's `image.id`."""
    encoded = base64.b64encode(badge_svg(project_title, chapter_name).encode()).decode("ascii")
    return "data:image/svg+xml;base64," + encoded


# Social sites (LinkedIn, Facebook, X) show no SVG previews: the page's og:image is this PNG card instead,
# 1200×630 as they recommend, drawn with the same colours and words as the badge.
CARD_SIZE = (1200, 630)
NAVY, GOLD, WHITE = "#0b3d5c", "#f2b134", "#ffffff"


def badge_png(project_title: str, chapter_name: str, caption: str) -> bytes:
    """A PNG share card: the badge's circle, the project title, the chapter and a caption."""
    from PIL import Image, ImageDraw, ImageFont  # only this route needs Pillow

    image = Image.new("RGB", CARD_SIZE, NAVY)
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 105, 480, 525), outline=GOLD, width=18)
    draw.ellipse((96, 141, 444, 489), outline=WHITE, width=3)
    draw.line((190, 320, 250, 385, 360, 250), fill=GOLD, width=30, joint="curve")  # a check mark
    title_font = ImageFont.load_default(size=52)
    lines = textwrap.wrap(" ".join(project_title.split()), 26)[:4] or [""]
    top = 315 - len(lines) * 33
    for index, line in enumerate(lines):
        draw.text((540, top + index * 66), line, font=title_font, fill=WHITE)
    small = ImageFont.load_default(size=32)
    draw.text((540, top + len(lines) * 66 + 24), textwrap.shorten(chapter_name, 48, placeholder="…"),
              font=small, fill=GOLD)
    draw.text((540, 560), caption, font=ImageFont.load_default(size=26), fill=WHITE)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


BADGE_PNG_SIZE = 512


def badge_square_png(project_title: str, chapter_name: str) -> bytes:
    """The badge as a 512×512 PNG (the credential's top-level `image`): wallets that show no SVG show this."""
    from PIL import Image, ImageDraw, ImageFont

    size = BADGE_PNG_SIZE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=NAVY, outline=GOLD, width=16)
    draw.ellipse((42, 42, size - 42, size - 42), outline=WHITE, width=3)
    title_font = ImageFont.load_default(size=38)
    lines = _lines(project_title)
    top = 238 - (len(lines) - 1) * 23
    for index, line in enumerate(lines):
        draw.text((size / 2, top + index * 46), line, font=title_font, fill=WHITE, anchor="mm")
    chapter = textwrap.shorten(" ".join(chapter_name.split()), CHAPTER_WIDTH, placeholder="…")
    draw.text((size / 2, top + len(lines) * 46 + 20), chapter, font=ImageFont.load_default(size=27), fill=GOLD,
              anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


@functools.lru_cache(maxsize=4)
def issuer_logo_png(issuer_name: str) -> bytes:
    """The issuer's image (Profile `image`): its initial in the badge's colours, 256×256."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 250, 250), fill=NAVY, outline=GOLD, width=12)
    draw.text((128, 132), (issuer_name.strip() or "C")[0].upper(), font=ImageFont.load_default(size=150),
              fill=WHITE, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
