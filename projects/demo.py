"""Demo projects in every state, with applications, teams and milestones in every state."""
from datetime import date, timedelta

from sqlalchemy import select

from chapters.demo import give_cover
from core.cli import seeder
from core.extensions import db
from projects import milestones, services
from projects.models import Milestone, Project

TODAY = date.today()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def make(chapter, lead, title, summary, problem, skills, sdgs, outcomes, plan, team=(2, 4), span=(-60, 60),
         competencies=()):
    project = services.create_project(
        chapter, lead, title=title, summary=summary, problem=problem, learning_outcomes="\n".join(outcomes),
        team_min=team[0], team_max=team[1], start_date=days(span[0]), end_date=days(span[1]),
        skills=skills, sdgs=sdgs, competencies=list(competencies))
    for name, due in plan:
        milestones.add_milestone(project, lead, title=name, description=f"{name}: agreed scope and deliverable.",
                                 due_date=days(due))
    return project


def recruit(project, lead, people, accept=(), decline=(), pending=()):
    services.transition_project(project, lead, "open")
    for handle in (*accept, *decline, *pending):
        services.apply_to_project(project, people[handle], "I would love to help: this matches what I want to "
                                  "learn and I can give a few hours a week.", None)
    applications = {a.user.handle: a for a in services.pending_applications(project)}
    for handle in accept:
        services.decide_application(applications[handle], lead, "accept", "Welcome aboard!")
    for handle in decline:
        services.decide_application(applications[handle], lead, "decline", "The team is complete for now.")


def milestones_of(project):
    return list(db.session.scalars(db.select(Milestone).where(Milestone.project_id == project.id)
                                   .order_by(Milestone.position)))


def work(project, member, lead, outcomes):
    """Drive each milestone to the state listed: accepted, submitted, changes_requested or planned."""
    for milestone, outcome in zip(milestones_of(project), outcomes):
        milestone.project = project
        if outcome == "planned":
            continue
        milestones.submit_deliverable(milestone, member, note="Deliverable ready for review.",
                                      link="https://example.org/deliverables/" + str(milestone.id), upload=None)
        if outcome in ("accepted", "changes_requested"):
            decision = "accept" if outcome == "accepted" else "request_changes"
            milestones.review_milestone(milestone, lead, decision,
                                        "Great work." if outcome == "accepted" else "Please add the sources.")


@seeder(order=30)
def seed_projects(world: dict) -> None:
    p, chapters = world["people"], world["chapters"]
    montreal, lyon = chapters["Freelance Montréal"], chapters["Lyon Indépendants"]
    accra, toronto = chapters["Accra Makers Collective"], chapters["Toronto Freelance Guild"]

    delivered = make(montreal, p["amara"], "Food bank volunteer scheduler",
                     "A simple scheduling tool so the Plateau food bank can fill its volunteer shifts.",
                     "Shifts are coordinated by phone and half of them go unfilled.",
                     ["UX design", "Python", "Project management"], [2, 1], ["Scoping work with a client",
                     "Estimating and pricing a fixed-scope project"], [("Discovery interviews", -50),
                     ("Prototype", -30), ("Launch", -10)], team=(2, 3), span=(-70, -5),
                     competencies=("sales.discovery", "scoping.requirements", "scoping.estimating",
                                   "delivery.planning", "relations.presenting"))
    recruit(delivered, p["amara"], p, accept=("priya", "noah"))
    services.transition_project(delivered, p["amara"], "start")
    work(delivered, p["priya"], p["amara"], ["accepted"] * 3)  # delivered by learning/demo.py, goals attested

    active = make(lyon, p["lucas"], "Bookkeeping clinic for associations",
                  "Monthly clinics where freelancers help small associations set up honest bookkeeping.",
                  "Volunteer treasurers struggle with accounting rules and lose grants over it.",
                  ["Bookkeeping", "Facilitation", "Copywriting"], [8, 16, 17],
                  ["Running a client workshop", "Writing a service offer"],
                  [("Needs survey", -40), ("Workshop kit", -15), ("First clinic", -3), ("Follow-up report", 25)],
                  competencies=("admin.budget", "admin.invoicing", "relations.communication",
                                "relations.reporting", "delivery.time", "brand.content"))
    recruit(active, p["lucas"], p, accept=("ines", "tom"))
    services.join_team(active, p["lucas"], "mentor")  # a lead joins their own team directly
    services.transition_project(active, p["lucas"], "start")
    work(active, p["ines"], p["lucas"], ["accepted", "changes_requested", "submitted", "planned"])
    # A draft handed in too early and taken back before review: it stays in the history, marked withdrawn.
    follow_up = milestones_of(active)[3]
    follow_up.project = active
    milestones.submit_deliverable(follow_up, p["ines"], note="First draft of the report, sent too early.",
                                  link="https://example.org/deliverables/draft", upload=None)
    milestones.withdraw_submission(follow_up, p["ines"])

    recruiting = make(accra, p["kofi"], "Open map of Accra water points",
                      "Map and publish the state of public water points with residents and the district office.",
                      "Nobody knows which public taps work; residents walk kilometres for nothing.",
                      ["Data analysis", "Mapping", "Python"], [6, 11], ["Working with public data",
                      "Presenting results to a public client"], [("Field survey", 20), ("Open data release", 50)],
                      span=(0, 70), competencies=("sales.pitching", "scoping.proposal", "delivery.planning",
                                                  "relations.reporting", "relations.presenting",
                                                  "admin.compliance"))
    recruit(recruiting, p["kofi"], p, accept=("ines",), decline=("tom",), pending=("priya",))

    make(montreal, p["amara"], "Pricing toolkit for newcomer freelancers",
         "A bilingual toolkit that helps newly arrived freelancers price their services.",
         "Newcomers underprice their work by 30 to 50 %.", ["Pricing", "Copywriting"], [8, 10],
         ["Researching a market", "Pricing your own services"], [("Interviews", 30)], span=(10, 90),
         competencies=("brand.positioning", "scoping.pricing", "sales.negotiation", "admin.invoicing"))

    shelter = make(toronto, p["priya"], "Accessible website for a women's shelter",
                   "Rebuild the shelter's website so it is fast, accessible and safe to visit.",
                   "The current site fails basic accessibility checks and leaks visitors' data to trackers.",
                   ["Accessibility", "Web design", "JavaScript"], [5, 16], ["Auditing accessibility",
                   "Handling sensitive client data"], [("Audit", 15), ("New site", 60)], span=(5, 75),
                   competencies=("brand.portfolio", "delivery.quality", "delivery.change",
                                 "relations.feedback", "admin.contracts", "admin.compliance"))
    recruit(shelter, p["priya"], p, pending=("kofi", "tom", "sofia"))
    withdrawn = next(a for a in services.pending_applications(shelter) if a.user.handle == "sofia")
    services.withdraw_application(withdrawn, p["sofia"])

    cancelled = make(lyon, p["lucas"], "Repair café booking system",
                     "Online booking for the neighbourhood repair café.",
                     "Queues of two hours discourage visitors.", ["Web design"], [12],
                     ["Saying no to a client"], [("Booking prototype", 10)], competencies=("sales.negotiation",))
    services.transition_project(cancelled, p["lucas"], "cancel", "The repair café found a ready-made tool.")
    world["projects"] = {"delivered": delivered, "active": active, "recruiting": recruiting, "shelter": shelter}


@seeder(order=31)
def seed_project_covers(world: dict) -> None:
    """Covers on most projects of the active chapters (some stay without, as real ones do)."""
    projects = db.session.scalars(select(Project).order_by(Project.id)).all()
    for seed, project in enumerate(projects):
        if project.status != "draft" and seed % 4 != 3:
            give_cover(project, seed + 10, "Circles of light over a gradient, the project's colours")
    db.session.commit()
