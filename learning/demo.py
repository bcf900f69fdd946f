"""Demo business roles on the open projects (their competencies are chosen in projects/demo.py), team members'
learning goals and their attestations."""
from sqlalchemy import select

from accounts.models import User
from chapters.queries import leads
from core.cli import seeder
from core.extensions import db
from learning import queries, services
from learning.models import GoalAttestation, LearningGoal

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


# --- Learning goals and attestations (issue 21 items 3 and 5) ---------------------------------------------

ACTIVE_GOALS = {"ines": (["admin.budget", "relations.reporting"], "budget_keeper"),
                "tom": (["relations.communication", "delivery.time"], "reporting_lead")}
# The delivered project's goals and what its lead attested before delivery (written as history: the project
# was delivered by the projects seeder, before this one runs).
DELIVERED_GOALS = {"priya": [("sales.discovery", "demonstrated", "Led the discovery interviews with the food bank "
                                                                 "and turned them into a clear brief."),
                             ("scoping.estimating", "practised", "Estimated the scheduler's milestones with "
                                                                 "help; the second estimate was close.")],
                   "noah": [("relations.presenting", "demonstrated", "Presented the scheduler to the food bank's "
                                                                     "board and answered every question.")]}


@seeder(order=36)
def seed_learning_goals(world: dict) -> None:
    """Goals on the active project (Ines holds the budget role and has one goal attested; Tom waits), and
    attested goals on the delivered one; Ines has not picked goals on the recruiting project yet (/me asks)."""
    people = {user.handle: user for user in db.session.scalars(select(User))}
    active = world["projects"]["active"]
    roles = {role.kind: role for role in queries.roles_of(active)}
    for handle, (codes, kind) in ACTIVE_GOALS.items():
        services.set_goals(active, people[handle], codes=codes, role_id=roles[kind].id)
    lead = leads(active.chapter)[0].user
    ines = queries.current_place(active, people["ines"])
    goal = next(goal for goal in queries.goals_of_place(ines) if goal.code == "admin.budget")
    services.attest(goal, lead, level="demonstrated",
                    note="Kept the clinic's budget to the euro and explained it to the association.")

    delivered = world["projects"]["delivered"]
    attester = leads(delivered.chapter)[0].user
    for handle, goals in DELIVERED_GOALS.items():
        place = queries.current_place(delivered, people[handle])
        for code, level, note in goals:
            goal = LearningGoal(team_member_id=place.id, project_id=delivered.id, code=code)
            db.session.add(goal)
            db.session.flush()
            db.session.add(GoalAttestation(goal_id=goal.id, level=level, note=note, attested_by_id=attester.id))
    db.session.commit()
