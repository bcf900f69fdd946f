"""Demo chapters in several cities and countries, in every state, with leads and members."""
import io
import random

from chapters import services
from core import images
from core.cli import seeder
from core.extensions import db

# (proposer, name, city, country, final state, co-leads, members, description)
CHAPTERS = [
    ("amara", "Freelance Montréal", "Montréal", "CA", "active", ["sofia"], ["priya", "noah", "lucas"],
     "Independent designers, developers and consultants of Montréal who team up on projects for local non-profits."),
    ("lucas", "Lyon Indépendants", "Lyon", "FR", "active", [], ["ines", "tom"],
     "Freelancers in Lyon learning pricing, contracts and delivery by building tools for associations."),
    ("kofi", "Accra Makers Collective", "Accra", "GH", "active", [], ["ines", "tom", "priya"],
     "A chapter for Accra's freelance data analysts and developers working on civic data projects."),
    ("priya", "Toronto Freelance Guild", "Toronto", "CA", "active", ["noah"], ["kofi"],
     "Toronto freelancers who run pro-bono sprints for community organisations and mentor newcomers."),
    ("tom", "Berlin Solo Collective", "Berlin", "DE", "pending", [], [],
     "A proposed chapter for Berlin's solo developers and designers interested in open-source civic tech."),
    ("ines", "Dakar Freelances", "Dakar", "SN", "pending", [], [],
     "Un chapitre proposé pour les indépendants de Dakar : communication, photo et projets associatifs."),
    ("noah", "Old Vancouver Circle", "Vancouver", "CA", "archived", [], [],
     "A chapter that ran from 2022 to 2024 and has since merged into the Toronto Freelance Guild."),
]


@seeder(order=20)
def seed_chapters(world: dict) -> None:
    people = world["people"]
    admin = people["admin"]
    for proposer, name, city, country, state, co_leads, members, description in CHAPTERS:
        chapter = services.propose_chapter(people[proposer], name=name, city=city, country=country,
                                           description=description)
        if state in ("active", "archived"):
            services.transition_chapter(chapter, admin, "approve")
        for handle in co_leads + members:
            services.join_chapter(chapter, people[handle])
        for handle in co_leads:
            services.set_member_role(chapter, people[proposer], people[handle].id, "co_lead")
        if state == "archived":
            services.transition_chapter(chapter, admin, "archive", "Merged into another chapter.")
        world.setdefault("chapters", {})[name] = chapter


# Deep enough for white text on top, and distinct from one another.
COVER_COLOURS = [("#0b3d91", "#3a7bd5"), ("#0f5132", "#2e9e6a"), ("#7a2e0e", "#d9822b"), ("#4a1d6b", "#9b59b6"),
                 ("#114b5f", "#1a936f"), ("#6b0f1a", "#b91372")]


def drawn_cover(seed: int) -> bytes:
    """A picture for the demo data, which ships no photos: a gradient in one of the palettes with a few
    soft circles, different for each seed."""
    from PIL import Image, ImageDraw, ImageOps

    rng = random.Random(seed)
    start, end = COVER_COLOURS[seed % len(COVER_COLOURS)]
    size = (1600, 900)
    gradient = Image.linear_gradient("L").rotate(rng.choice((45, 90, 135)), expand=False).resize(size)
    picture = ImageOps.colorize(gradient, start, end).convert("RGBA")
    overlay = Image.new("RGBA", size)
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        x, y, radius = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(80, 360)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randrange(18, 60)))
    out = io.BytesIO()
    Image.alpha_composite(picture, overlay).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def give_cover(row, seed: int, alt: str) -> None:
    row.cover_key, row.cover_widths = images.store(images.renditions(drawn_cover(seed), images.COVER))
    row.cover_alt = alt


@seeder(order=21)
def seed_chapter_covers(world: dict) -> None:
    for seed, chapter in enumerate(world["chapters"].values()):
        if chapter.status == "active":
            give_cover(chapter, seed, f"Circles of light over a gradient, the colours of {chapter.name}")
    db.session.commit()
