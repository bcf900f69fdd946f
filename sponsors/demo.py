"""Demo sponsor organisations in every state, with sponsorships in every state, a sponsored project whose
final milestone waits for its sponsor's review, and a sponsored project its sponsor accepted and that is delivered."""
from core.cli import seeder
from projects import milestones
from projects import services as project_services
from projects.demo import make, milestones_of, recruit
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
        for handle, role in members:  # invited, and they accept
            invitation = services.invite_member(org, people[registrant], people[handle].email, role)
            services.answer_invitation(invitation, people[handle], "accept")
        if state == "archived":
            services.transition_organisation(org, admin, "archive", "The sponsorship programme has closed.")
        orgs[name] = org
    northwind, cloudbridge = orgs["Northwind Foundation"], orgs["Cloudbridge"]
    active, recruiting = projects["active"], projects["recruiting"]
    lucas, kofi, sofia, tom = people["lucas"], people["kofi"], people["sofia"], people["tom"]
    services.invite_member(cloudbridge, tom, people["amara"].email, "reviewer")  # waits on Amara's /me

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


def submit(milestone, project, member) -> None:
    milestone.project = project
    milestones.submit_deliverable(milestone, member, note="Deliverable ready for review.",
                                  link=f"https://example.org/deliverables/{milestone.id}", upload=None)


def sponsored_project(chapter, lead, member, organisation, sponsor_admin, title, summary, problem, skills, sdgs,
                      span, competencies=(), **terms):
    """A project recruited and started, sponsored (offered by the sponsor, confirmed by the lead), whose first
    milestone the lead accepted and whose final milestone the team submitted."""
    project = make(chapter, lead, title, summary, problem, skills, sdgs, ["Reporting to a sponsor"],
                   [("Pilot", span[0] + 20), ("Final report", span[1] - 5)], team=(1, 3), span=span,
                   competencies=competencies)
    recruit(project, lead, {member.handle: member}, accept=(member.handle,))
    project_services.transition_project(project, lead, "start")
    services.answer(services.offer(organisation, project, sponsor_admin, **terms), lead, "confirm")
    first, final = milestones_of(project)
    submit(first, project, member)
    milestones.review_milestone(first, lead, "accept", "Good pilot.")
    submit(final, project, member)
    return project, final


@seeder(order=45)
def seed_sponsor_reviews(world: dict) -> None:
    people, chapters, orgs = world["people"], world["chapters"], world["sponsors"]
    # Waiting: Northwind (admin sofia, reviewer noah) reviews the final milestone of Kofi's Accra project.
    sponsored_project(chapters["Accra Makers Collective"], people["kofi"], people["ines"],
                      orgs["Northwind Foundation"], people["sofia"], "Solar kiosk maintenance log",
                      "A shared log so that the district's solar phone-charging kiosks are repaired before they fail.",
                      "Kiosks stay broken for weeks because nobody knows which ones need a technician.",
                      ["Data analysis", "Python"], [7, 9], span=(-45, 30), kind="funding", amount="4000",
                      currency="GHS")
    # Delivered: Cloudbridge's admin (tom) accepted the final milestone; he endorses the work and the lead
    # (amara) delivers it in learning/demo.py, so that Priya's credential carries the endorsement.
    project, final = sponsored_project(
        chapters["Freelance Montréal"], people["amara"], people["priya"], orgs["Cloudbridge"], people["tom"],
        "Tenant rights chatbot", "A bilingual chatbot answering tenants' most common questions about their rights.",
        "The tenants' association answers the same ten questions by phone every day.",
        ["UX design", "Copywriting"], [10, 11], span=(-80, -10), kind="in_kind", in_kind_type="compute",
        description="Hosting for the chatbot for two years.",
        competencies=("relations.communication", "relations.reporting", "delivery.quality"))
    milestones.review_milestone(final, people["tom"], "accept", "Exactly what we hoped for: thank you.")
    world["projects"]["sponsored"] = project  # Tom endorses it and Amara delivers it: learning/demo.py
