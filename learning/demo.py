"""Demo business roles on the open projects (their competencies are chosen in projects/demo.py), team members'
learning goals and their attestations; the two delivered projects are delivered here, once their goals are
attested, and the sponsored one after its sponsor's endorsement."""
from datetime import timedelta

from sqlalchemy import select

from accounts.models import User
from chapters.queries import leads
from core.cli import seeder
from core.extensions import db
from learning import queries, services
from learning.models import GoalAttestation, LearningGoal
from projects import services as project_services

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
# The scheduler's goals and what its lead attested before delivery (written as history: its milestones were all
# accepted by the projects seeder; deliver_scheduler delivers it next).
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


@seeder(order=37)
def deliver_scheduler(world: dict) -> None:
    """Amara delivers the food bank scheduler once every goal of its team is attested (the delivery guard asks
    for it): the delivery job issues credentials that carry each member's goals, hours and evidence."""
    project = world["projects"]["delivered"]
    project_services.transition_project(project, leads(project.chapter)[0].user, "deliver")


# The sponsored chatbot (sponsors/demo.py): Priya's goals, hours and reflection, Amara's attestations, then
# Tom (Cloudbridge, who accepted the final milestone) endorses the work before Amara delivers it.
CHATBOT_GOALS = [("relations.communication", "demonstrated",
                  "Kept the association informed every week and turned their feedback into changes."),
                 ("delivery.quality", "practised", "Tested the answers with tenants; the second round was cleaner.")]
ENDORSEMENT = ("Priya's chatbot now answers most of the tenants' questions before they call us: clear, careful "
               "work, explained to our volunteers at every step.")


@seeder(order=46)
def seed_sponsored_delivery(world: dict) -> None:
    from learning import evidence
    from learning.evidence_demo import _milestones, _submissions

    people, project = world["people"], world["projects"]["sponsored"]
    priya, amara, tom = people["priya"], people["amara"], people["tom"]
    services.set_goals(project, priya, codes=[code for code, _level, _note in CHATBOT_GOALS], role_id=None)
    place = queries.current_place(project, priya)
    goals = {goal.code: goal for goal in queries.goals_of_place(place)}
    for code, level, note in CHATBOT_GOALS:
        services.attest(goals[code], amara, level=level, note=note)
    start = evidence.project_start(project)
    for n, milestone in enumerate(_milestones(project)):
        for day, hours, note in ((start + timedelta(days=3 + 20 * n), "3", "Interviews with the association"),
                                 (start + timedelta(days=10 + 20 * n), "4.5", "Built and tested the answers")):
            evidence.log_time(milestone, priya, day=day, hours=hours, note=note)
        for submission in _submissions(milestone):
            reflection = evidence.reflect(
                submission, priya, did="I wrote the chatbot's answers with the association's volunteers.",
                learned="Tenants ask the same question in many ways: testing with them found the gaps.",
                differently="I would agree on the tone of the answers with the client before writing them.")
            evidence.set_public(reflection, priya, n == 0)
    services.endorse(queries.endorsement_subject(project), tom, text=ENDORSEMENT)
    project_services.transition_project(project, amara, "deliver")
