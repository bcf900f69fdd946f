"""Demo sponsor organisations in every state, with sponsorships in every state."""
from core.cli import seeder
from sponsors import services

# (registrant, name, website, final state, other members (handle, role), description)
ORGANISATIONS = [
    ("sofia", "Northwind Foundation", "https://northwind.example.org", "active", [("noah", "reviewer")],
     "A family foundation funding digital tools for community organisations in Canada and West Africa."),
    ("tom", "Cloudbridge", "https://cloudbridge.example.com", "active", [],
     "A hosting company that gives compute credits and mentoring to civic technology projects."),
    ("ines", "Fondation Lumière", None, "pending", [],
     "Une fondation d'entreprise qui souhaite financer des projets associatifs portés par des indépendants."),
    ("kofi", "Old Sponsor Ltd", None, "archived", [],
     "A sponsor that supported the first chapters in 2023 and has since closed its programme."),
]


@seeder(order=40)
def seed_sponsors(world: dict) -> None:
    people, projects = world["people"], world["projects"]
    admin = people["admin"]
    orgs = {}
    for registrant, name, website, state, members, description in ORGANISATIONS:
        org = services.register_organisation(people[registrant], name=name, website=website,
                                             description=description,
                                             contact_email=f"sponsors@{name.split()[0].lower()}.example.org")
        if state in ("active", "archived"):
            services.transition_organisation(org, admin, "approve")
        for handle, role in members:
            services.add_member(org, people[registrant], handle, role)
        if state == "archived":
            services.transition_organisation(org, admin, "archive", "The sponsorship programme has closed.")
        orgs[name] = org
    northwind, cloudbridge = orgs["Northwind Foundation"], orgs["Cloudbridge"]
    active, recruiting = projects["active"], projects["recruiting"]
    lucas, kofi, sofia, tom = people["lucas"], people["kofi"], people["sofia"], people["tom"]

    confirmed = services.offer(northwind, active, sofia, kind="funding", amount="2500", currency="CAD")
    services.answer(confirmed, lucas, "confirm")
    requested = services.request_sponsorship(active, cloudbridge, lucas, kind="in_kind", in_kind_type="venue",
                                             description="A meeting room for the monthly clinics.")
    services.answer(requested, tom, "confirm")
    services.offer(cloudbridge, recruiting, tom, kind="in_kind", in_kind_type="compute",
                   description="Hosting credits for the open data portal for one year.")  # offered
    declined = services.offer(northwind, recruiting, sofia, kind="in_kind", in_kind_type="mentoring",
                              description="Two hours a month of mentoring on data publishing.")
    services.answer(declined, kofi, "decline")
    services.request_sponsorship(recruiting, northwind, kofi, kind="funding", amount="1200.50",
                                 currency="EUR")  # requested
    withdrawn = services.request_sponsorship(active, northwind, lucas, kind="funding", amount="300",
                                             currency="EUR")
    services.answer(withdrawn, lucas, "withdraw")
    world["sponsors"] = orgs
