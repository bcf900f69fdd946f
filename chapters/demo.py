"""Demo chapters in several cities and countries, in every state, with leads and members."""
from chapters import services
from core.cli import seeder

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
