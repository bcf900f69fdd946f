"""Scale data for learning: the business competencies every project practises (2 to 6 framework codes) and
business roles on projects, each practising one to three of its project's competencies."""
from __future__ import annotations

from datetime import timedelta

from core.scale import World, scale_generator
from learning import framework
from learning.models import ROLE_KINDS

CODES = sorted(framework.codes())


@scale_generator(order=35, label="Learning", business_roles=15_000)
def generate_learning(world: World) -> None:
    rng, plans = world.rng, world.facts["projects"]
    practised = {plan.id: rng.sample(CODES, rng.randint(2, 6)) for plan in plans}
    world.insert("project_competency", ({"project_id": pid, "code": code}
                                        for pid, codes in practised.items() for code in codes))
    roles, role_codes = [], []
    kinds_used: dict[int, set[str]] = {}
    for role_id in range(1, world.sizes["business_roles"] + 1):
        plan = rng.choice(plans)
        used = kinds_used.setdefault(plan.id, set())
        kind = rng.choice([k for k in ROLE_KINDS if k != "other" and k not in used] or ["other"])
        used.add(kind)
        name = f"Role {role_id}" if kind == "other" else None
        roles.append({"id": role_id, "project_id": plan.id, "kind": kind, "name": name, "holder_id": None,
                      "created_at": plan.created})
        codes = practised[plan.id]
        role_codes.extend({"role_id": role_id, "project_id": plan.id, "code": code}
                          for code in rng.sample(codes, rng.randint(1, min(3, len(codes)))))
    world.insert("project_business_role", roles)
    world.insert("business_role_competency", role_codes)


# --- Learning goals and attestations (issue 21 items 3 and 5) ---------------------------------------------

LEVEL_WEIGHTS = (("demonstrated", 5), ("practised", 4), ("not_shown", 1))


@scale_generator(order=36, label="Learning goals")
def generate_goals(world: World) -> None:
    """Most current team members of published projects pick one to three of their project's competencies;
    every goal of a delivered project is attested (by a mentor on the team, else the chapter's lead, never the
    goal's owner), and some of an active project's."""
    from sqlalchemy import select

    from learning.models import LEVELS
    from projects.models import ProjectCompetency, TeamMember

    rng, plans = world.rng, {plan.id: plan for plan in world.facts["projects"]}
    practised: dict[int, list[str]] = {}
    for project_id, code in world.connection.execute(select(ProjectCompetency.project_id, ProjectCompetency.code)
                                                     .order_by(ProjectCompetency.project_id, ProjectCompetency.code)):
        practised.setdefault(project_id, []).append(code)
    places = world.connection.execute(select(TeamMember.id, TeamMember.project_id, TeamMember.user_id,
                                             TeamMember.role).where(TeamMember.left_at.is_(None))
                                      .order_by(TeamMember.id)).all()
    mentors: dict[int, list[int]] = {}
    for _id, project_id, user_id, role in places:
        if role == "mentor":
            mentors.setdefault(project_id, []).append(user_id)
    levels, weights = zip(*LEVEL_WEIGHTS)
    assert set(levels) == set(LEVELS)
    goals, attestations = [], []
    for place_id, project_id, user_id, _role in places:
        plan, codes = plans[project_id], practised.get(project_id)
        others = [m for m in mentors.get(project_id, ()) if m != user_id]
        attester = rng.choice(others) if others else plan.lead
        if not codes or plan.status in ("draft", "cancelled") or attester == user_id or rng.random() < 0.2:
            continue  # (a lead on their own team, without a mentor to attest them, picks no goal here)
        for code in rng.sample(codes, rng.randint(1, min(3, len(codes)))):
            goal_id = len(goals) + 1
            goals.append({"id": goal_id, "team_member_id": place_id, "project_id": project_id, "code": code,
                          "created_at": plan.created})
            if plan.status == "delivered" or (plan.status == "active" and rng.random() < 0.4):
                attestations.append({"id": len(attestations) + 1, "goal_id": goal_id,
                                     "level": rng.choices(levels, weights)[0], "note": "Seen in the team's work.",
                                     "attested_by_id": attester,
                                     "created_at": world.now})
    world.insert("learning_goal", goals)
    world.insert("goal_attestation", attestations)


# --- Sponsors' endorsements (issue 21 item 5; credentials/scale.py signs them before the credentials) -------

ENDORSED_SHARE = 0.6
ENDORSEMENTS = [
    "The team delivered what it promised, on time, and explained every choice to our volunteers.",
    "Clear reporting, a fair budget and a result our members use every week.",
    "A professional team: we would sponsor their next project without hesitation.",
]


@scale_generator(order=45, label="Endorsements")
def generate_endorsements(world: World) -> None:
    """Most delivered projects with a confirmed sponsor are endorsed by a member of that organisation, a few
    hours before delivery (so the team's credentials carry it). Left unsigned here: signed in bulk with the
    credentials. No review is linked: scale reviews are the chapters' leads'."""
    from sqlalchemy import select

    from projects.models import Project
    from sponsors.models import SponsorMember, Sponsorship

    rng = world.rng
    confirmed = world.connection.execute(
        select(Project.id, Project.status_changed_at, Sponsorship.organisation_id, SponsorMember.user_id)
        .join(Sponsorship, Sponsorship.project_id == Project.id)
        .join(SponsorMember, SponsorMember.organisation_id == Sponsorship.organisation_id)
        .where(Project.status == "delivered", Sponsorship.status == "confirmed")
        .order_by(Project.id, Sponsorship.id, SponsorMember.id)).all()
    by_project: dict[int, list] = {}
    for row in confirmed:
        by_project.setdefault(row.id, []).append(row)
    rows = []
    for project_id, candidates in by_project.items():
        if rng.random() >= ENDORSED_SHARE:
            continue
        chosen = rng.choice(candidates)
        rows.append({"id": len(rows) + 1, "project_id": project_id, "review_id": None,
                     "organisation_id": chosen.organisation_id, "author_id": chosen.user_id,
                     "text": rng.choice(ENDORSEMENTS), "uuid": None, "document": None,
                     "created_at": chosen.status_changed_at - timedelta(hours=rng.uniform(2, 72))})
    world.insert("project_endorsement", rows)
