"""Demo credentials: every delivered demo project's team holds its credentials, and one is revoked."""
from sqlalchemy import select

from core.cli import seeder
from core.extensions import db
from credentials.models import Credential
from projects import services as project_services
from projects.demo import make, recruit, work
from projects.models import Project

REVOCATION_REASON = ("Issued by mistake: this member left the team before the final milestone and the "
                     "chapter's leads corrected the team list after delivery.")


def deliver_extra_project(world: dict) -> Project:
    """A second delivered project (Toronto), so that portfolios show credentials from several projects."""
    p, toronto = world["people"], world["chapters"]["Toronto Freelance Guild"]
    project = make(toronto, p["priya"], "Newsletter for a tenants' association",
                   "A monthly bilingual newsletter and mailing list for the Parkdale tenants' association.",
                   "Tenants miss meetings and rights workshops because news travels only by posters.",
                   ["Copywriting", "Marketing", "Project management"], [11, 16],
                   ["Writing for a community audience", "Running an editorial calendar"],
                   [("Reader survey", -40), ("First issue", -20)], team=(1, 3), span=(-50, -2))
    recruit(project, p["priya"], p, accept=("kofi",))
    project_services.transition_project(project, p["priya"], "start")
    work(project, p["kofi"], p["priya"], ["accepted", "accepted"])
    project_services.transition_project(project, p["priya"], "deliver")
    return project


@seeder(order=60)
def seed_credentials(world: dict) -> None:
    """Issue what every delivered project is owed (the delivery job normally has), then revoke one."""
    from credentials.issuing import issue_for_project, revoke_credential

    deliver_extra_project(world)
    delivered = db.session.scalars(select(Project.id).where(Project.status == "delivered").order_by(Project.id)).all()
    for project_id in delivered:
        issue_for_project(project_id)  # idempotent: a no-op where the delivery job already issued
    db.session.commit()
    revoked = db.session.scalar(select(Credential).join(Credential.recipient)
                                .where(Credential.project_id == delivered[0])
                                .order_by(Credential.id.desc()).limit(1))
    revoke_credential(revoked, world["people"]["admin"], REVOCATION_REASON)
    world["credentials"] = {"delivered_projects": delivered, "revoked": revoked}
