"""Demo business roles on the open projects (their competencies are chosen in projects/demo.py)."""
from chapters.queries import leads
from core.cli import seeder
from learning import services

ROLES = {
    "active": [("budget_keeper", None, ["admin.budget", "admin.invoicing"]),
               ("reporting_lead", None, ["relations.reporting", "relations.communication"]),
               ("other", "Workshop promoter", ["brand.content"])],
    "recruiting": [("sponsor_liaison", None, ["sales.pitching", "relations.presenting"]),
                   ("proposal_writer", None, ["scoping.proposal"]),
                   ("delivery_planner", None, ["delivery.planning", "relations.reporting"])],
    "shelter": [("other", "Client-care lead", ["relations.feedback", "delivery.change"])],
}


@seeder(order=35)
def seed_business_roles(world: dict) -> None:
    """The leads name business roles on the active, the recruiting and the shelter's projects."""
    for key, roles in ROLES.items():
        project = world["projects"][key]
        lead = leads(project.chapter)[0].user
        for kind, name, codes in roles:
            services.add_role(project, lead, kind=kind, name=name, competencies=codes)
