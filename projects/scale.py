"""Scale data for projects, consistent with their lifecycles (SPEC §2): projects in every state with skills
and SDG impacts; applications whose accepted ones are exactly the team (team_size counts them, active and
delivered teams reach team_min); milestones whose states follow the project's (all accepted when
delivered), with submissions, reviews, the activity feed, notifications and the audit log."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from core.scale import World, scale_generator
from projects.models import STATUS_RANK

STATES = ("draft", "recruiting", "active", "delivered", "cancelled")
# A platform some years in: half its projects delivered, so that teams earned the default 50,000 credentials.
STATE_WEIGHTS = (5, 17, 18, 50, 10)

VERBS = ["Build", "Redesign", "Map", "Launch", "Audit", "Translate", "Automate", "Document", "Measure", "Open up"]
THINGS = ["volunteer scheduler", "donation tracker", "bilingual website", "open data portal", "booking system",
          "impact report", "inventory app", "newsletter", "accessibility audit", "training kit",
          "fundraising campaign", "mapping survey", "bookkeeping workflow", "mentoring programme",
          "member directory", "video series", "price guide", "repair register", "food rescue app", "helpline"]
CLIENTS = ["a food bank", "a women's shelter", "the community garden", "a youth football club", "the repair café",
           "a refugee welcome centre", "a literacy charity", "the public library", "a housing co-op",
           "a small farmers' association", "a disability rights group", "the neighbourhood clinic",
           "a climate action group", "a music school", "an animal rescue"]
PROBLEMS = ["Everything runs on paper and phone calls; half the requests are lost.",
            "Volunteers do not know where they are needed, so shifts go unfilled.",
            "The organisation cannot show funders what its work achieves.",
            "The current tools are inaccessible and leak visitors' data.",
            "Nobody has time to keep the information up to date."]
OUTCOMES = ["Scoping work with a client", "Estimating and pricing a fixed-scope project",
            "Running a client workshop", "Writing a service offer", "Working with public data",
            "Handling sensitive client data", "Saying no to a client", "Presenting results to a public client"]
MILESTONES = ["Discovery interviews", "Scope and quote", "Prototype", "User testing", "First release",
              "Training session", "Handover", "Impact report"]
CANCEL_REASONS = ["The client found a ready-made tool.", "The team could not meet the schedule.",
                  "Funding for the client's programme ended."]


@dataclass
class Plan:
    """One project as generated: what later rows (and the sponsors generator) need to know."""

    id: int
    chapter_id: int
    lead: int
    status: str
    title: str
    created: object
    team: list[int] = field(default_factory=list)


def spread(total: int, slots: int, rng, minimum: int = 0) -> list[int]:
    """`slots` random counts, each at least `minimum`, summing to `total` (or to slots × minimum if larger)."""
    if slots == 0:
        return []
    total = max(total, slots * minimum)
    counts = [total // slots] * slots
    for index in rng.sample(range(slots), total % slots):
        counts[index] += 1
    for index in range(slots):
        move = rng.randint(0, max(0, counts[index] - minimum) // 2)
        counts[index] -= move
        counts[rng.randrange(slots)] += move
    return counts


class Ids:
    """Consecutive ids per table."""

    def __init__(self):
        self.last: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


@scale_generator(order=30, label="Projects", projects=20_000, applications=300_000, milestones=80_000,
                 notifications=200_000)
def generate_projects(world: World) -> None:
    rng, facts, sizes = world.rng, world.facts, world.sizes
    open_chapters = [cid for cid, status in enumerate(facts["chapter_status"], start=1) if status == "active"]
    plans = [Plan(id=pid, chapter_id=(cid := rng.choice(open_chapters)), lead=facts["chapter_leads"][cid],
                  status=rng.choices(STATES, weights=STATE_WEIGHTS)[0], title="", created=None)
             for pid in range(1, sizes["projects"] + 1)]
    for plan in plans:
        plan.title = f"{rng.choice(VERBS)} a {rng.choice(THINGS)} for {rng.choice(CLIENTS)}"
        plan.created = world.ago(rng.uniform(20, 900))
    published = [plan for plan in plans if plan.status != "draft"]
    per_project = dict(zip((p.id for p in published), spread(sizes["applications"], len(published), rng)))
    milestone_counts = spread(sizes["milestones"], len(plans), rng, minimum=1)
    ids, rows = Ids(), Rows()

    world.insert("project", (project_row(world, plan, rows, per_project.get(plan.id, 0)) for plan in plans))
    world.insert("project_skill", ({"project_id": plan.id, "skill_id": skill}
                                   for plan in plans
                                   for skill in rng.sample(range(1, facts["skills"] + 1), rng.randint(1, 4))))
    world.insert("project_impact", ({"project_id": plan.id, "sdg": sdg}
                                    for plan in plans for sdg in rng.sample(range(1, 18), rng.randint(1, 3))))
    world.insert("application", (row for plan in published
                                 for row in applications(world, plan, rows, ids)))
    world.insert("team_member", rows.team)
    world.insert("milestone", (row for plan, count in zip(plans, milestone_counts)
                               for row in milestones(world, plan, rows, ids, count)))
    world.insert("submission", rows.submissions)
    world.insert("review", rows.reviews)
    world.insert("project_activity", activity(world, plans, ids))
    world.insert("notification", notifications(world, rows, plans, sizes["notifications"]))
    world.insert("audit_event", rows.audit)
    facts.update(projects=plans)
    member = next((user for plan in plans if plan.status == "active" for user in plan.team), None)
    if member:
        facts["sign_ins"].append((f"{facts['handles'][member - 1]}@example.org", "member of an active team"))


class Rows:
    """Rows collected while generating parents, inserted after them."""

    def __init__(self):
        self.team: list[dict] = []
        self.submissions: list[dict] = []
        self.reviews: list[dict] = []
        self.audit: list[dict] = []
        self.decided: list[tuple[int, int, str]] = []  # (applicant, project id, decision)
        self.team_size: dict[int, int] = {}
        self.people: dict[int, list[int]] = {}  # applicants of each project, the team first

    def audit_event(self, actor, entity_type, entity_id, action, from_state, to_state, at, reason=None):
        self.audit.append({"id": len(self.audit) + 1, "created_at": at, "actor_id": actor,
                           "entity_type": entity_type, "entity_id": entity_id, "action": action,
                           "from_state": from_state, "to_state": to_state, "reason": reason})


def team_size_for(plan: Plan, rng, team_min: int, team_max: int, applicants: int) -> int:
    if plan.status == "draft":
        return 0
    if plan.status in ("active", "delivered"):
        return min(rng.randint(team_min, team_max), applicants)
    return min(rng.randint(0, team_max - 1 if plan.status == "recruiting" else team_max), applicants)


def project_row(world: World, plan: Plan, rows: Rows, applicants: int) -> dict:
    rng = world.rng
    team_min = rng.randint(2, 4)
    team_max = team_min + rng.randint(2, 6)
    if plan.status in ("active", "delivered"):
        applicants = max(applicants, team_min)  # nobody starts a project below its minimum team
    people = applicants_for(world, plan, applicants) if plan.status != "draft" else []
    size = team_size_for(plan, rng, team_min, team_max, len(people))
    rows.team_size[plan.id], rows.people[plan.id] = size, people
    start = (plan.created + timedelta(days=rng.randint(7, 40))).date()
    changed = plan.created + timedelta(days=rng.uniform(1, 20))
    for action, before, after in transitions(plan.status):
        rows.audit_event(plan.lead, "project", plan.id, action, before, after, changed,
                         rng.choice(CANCEL_REASONS) if action == "cancel" else None)
    client = plan.title.split(" for ", 1)[1]
    return {"id": plan.id, "chapter_id": plan.chapter_id, "title": plan.title,
            "summary": f"Freelancers of the chapter {plan.title[0].lower()}{plan.title[1:]}: a real client, "
                       f"a fixed scope, and mentoring on pricing and delivery.",
            "problem": f"For {client}: {rng.choice(PROBLEMS)}",
            "learning_outcomes": "\n".join(rng.sample(OUTCOMES, 2)),
            "team_min": team_min, "team_max": team_max, "team_size": size, "start_date": start,
            "end_date": start + timedelta(days=rng.randint(30, 180)), "status": plan.status,
            "status_rank": STATUS_RANK[plan.status],
            "cancel_reason": rng.choice(CANCEL_REASONS) if plan.status == "cancelled" else None,
            "created_by_id": plan.lead, "created_at": plan.created, "status_changed_at": changed}


def transitions(status: str) -> list[tuple[str, str, str]]:
    """The project transitions that led to `status` (a cancelled project was cancelled while recruiting)."""
    path = {"draft": [], "recruiting": [("open", "draft", "recruiting")],
            "active": [("open", "draft", "recruiting"), ("start", "recruiting", "active")],
            "delivered": [("open", "draft", "recruiting"), ("start", "recruiting", "active"),
                          ("deliver", "active", "delivered")],
            "cancelled": [("open", "draft", "recruiting"), ("cancel", "recruiting", "cancelled")]}
    return path[status]


def applicants_for(world: World, plan: Plan, count: int) -> list[int]:
    """`count` distinct members, from the project's chapter first; never its lead."""
    rng = world.rng
    local = [user for user in world.facts["chapter_members"][plan.chapter_id] if user != plan.lead]
    people = rng.sample(local, min(count, len(local)))
    chosen = set(people) | {plan.lead}
    while len(people) < count and len(chosen) < world.facts["users"]:
        user = rng.randint(1, world.facts["users"])
        if user not in chosen:
            chosen.add(user)
            people.append(user)
    return people


def applications(world: World, plan: Plan, rows: Rows, ids: Ids):
    rng = world.rng
    size, people = rows.team_size[plan.id], rows.people.pop(plan.id)
    for position, user in enumerate(people):
        if position < size:
            status = "accepted"
        elif plan.status == "recruiting":
            status = rng.choices(("pending", "declined", "withdrawn"), weights=(60, 25, 15))[0]
        else:
            status = rng.choices(("declined", "withdrawn"), weights=(70, 30))[0]
        created = plan.created + timedelta(days=rng.uniform(1, 15))
        decided = created + timedelta(days=rng.uniform(0.1, 5)) if status in ("accepted", "declined") else None
        application_id = ids.next("application")
        if decided:
            rows.decided.append((user, plan.id, status))
            rows.audit_event(plan.lead, "application", application_id, "accept" if status == "accepted" else
                             "decline", "pending", status, decided)
        if status == "accepted":
            plan.team.append(user)
            rows.team.append({"id": ids.next("team_member"), "project_id": plan.id, "user_id": user,
                              "role": "task_lead" if position == 0 else rng.choice(("contributor",) * 4 + ("mentor",)),
                              "joined_at": decided, "left_at": None, "removal_reason": None})
        yield {"id": application_id, "project_id": plan.id, "user_id": user,
               "motivation": "I would love to help: this matches what I want to learn and I can give a few "
                             "hours a week.",
               "portfolio_url": f"https://example.org/portfolio/{user}" if rng.random() < 0.4 else None,
               "status": status, "decision_message": "Welcome aboard!" if status == "accepted" else None,
               "decided_by_id": plan.lead if decided else None, "decided_at": decided, "created_at": created,
               "version": 2 if status != "pending" else 1}


def milestone_states(plan: Plan, count: int, rng) -> list[str]:
    if plan.status == "delivered":
        return ["accepted"] * count
    if plan.status in ("draft", "recruiting"):
        return ["planned"] * count
    done = rng.randint(0, count - 1)
    if plan.status == "cancelled":
        return ["accepted"] * done + ["planned"] * (count - done)
    current = rng.choice(("planned", "submitted", "changes_requested"))
    return ["accepted"] * done + [current] + ["planned"] * (count - done - 1)


def milestones(world: World, plan: Plan, rows: Rows, ids: Ids, count: int):
    rng = world.rng
    start = plan.created + timedelta(days=10)
    for position, status in enumerate(milestone_states(plan, count, rng), start=1):
        milestone_id = ids.next("milestone")
        due = start + timedelta(days=14 * position)
        submitted = accepted = None
        if status != "planned":
            submitted = deliverables(world, plan, rows, ids, milestone_id, status, due)
            accepted = submitted + timedelta(days=2) if status == "accepted" else None
        yield {"id": milestone_id, "project_id": plan.id, "position": position,
               "title": MILESTONES[(position - 1) % len(MILESTONES)],
               "description": "Agreed scope and deliverable, reviewed by the chapter's leads.",
               "due_date": due.date(), "status": status, "submitted_at": submitted, "accepted_at": accepted,
               "accepted_by_id": plan.lead if accepted else None, "created_at": plan.created}


def deliverables(world: World, plan: Plan, rows: Rows, ids: Ids, milestone_id: int, status: str, due):
    """Submissions and reviews that lead to `status`; returns when the last submission was made."""
    rng = world.rng
    rounds = ["changes_requested"] if rng.random() < 0.25 else []
    rounds += {"accepted": ["accepted"], "changes_requested": ["changes_requested"], "submitted": [None]}[status]
    if rng.random() < 0.1:  # a submission taken back by its author before review, then handed in again
        rounds.insert(len(rounds) - 1, "withdrawn")
    at = due - timedelta(days=len(rounds) * 3)
    for decision in rounds:
        submission_id = ids.next("submission")
        author = rng.choice(plan.team) if plan.team else plan.lead
        rows.submissions.append({
            "id": submission_id, "milestone_id": milestone_id, "author_id": author,
            "note": "Deliverable ready for review.", "link": f"https://example.org/deliverables/{submission_id}",
            "file_name": None, "file_key": None, "file_size": None, "file_type": None, "created_at": at,
            "withdrawn_at": at + timedelta(days=1) if decision == "withdrawn" else None})
        if decision == "withdrawn":
            reviewed = "changes_requested" in rounds[:rounds.index("withdrawn")]
            rows.audit_event(author, "milestone", milestone_id,
                             "withdraw_resubmission" if reviewed else "withdraw", "submitted",
                             "changes_requested" if reviewed else "planned", at + timedelta(days=1))
        elif decision:
            rows.reviews.append({"id": ids.next("review"), "milestone_id": milestone_id,
                                 "submission_id": submission_id, "reviewer_id": plan.lead, "decision": decision,
                                 "comment": "Great work." if decision == "accepted" else "Please add the sources.",
                                 "created_at": at + timedelta(days=1)})
            rows.audit_event(plan.lead, "milestone", milestone_id, "accept" if decision == "accepted" else
                             "request_changes", "submitted", decision, at + timedelta(days=1))
        submitted, at = at, at + timedelta(days=3)
    return submitted


def activity(world: World, plans: list[Plan], ids: Ids):
    """The feed: created, each transition, and each member who joined."""
    for plan in plans:
        lead_name = "a chapter lead"
        yield {"id": ids.next("project_activity"), "project_id": plan.id, "actor_id": plan.lead,
               "verb": "created", "params": {"actor": lead_name}, "created_at": plan.created}
        for offset, (action, _, _) in enumerate(transitions(plan.status), start=1):
            params = {"actor": lead_name, **({"reason": CANCEL_REASONS[0]} if action == "cancel" else {})}
            yield {"id": ids.next("project_activity"), "project_id": plan.id, "actor_id": plan.lead,
                   "verb": action, "params": params, "created_at": plan.created + timedelta(days=offset * 5)}
        for user in plan.team:
            yield {"id": ids.next("project_activity"), "project_id": plan.id, "actor_id": user, "verb": "joined",
                   "params": {"member": world.facts["handles"][user - 1]},
                   "created_at": plan.created + timedelta(days=3)}


def notifications(world: World, rows: Rows, plans: list[Plan], count: int):
    """Decisions told to applicants and status changes told to teams, most of them read."""
    rng, titles = world.rng, {plan.id: plan for plan in plans}
    teams = [(user, plan) for plan in plans if plan.status in ("active", "delivered", "cancelled")
             for user in plan.team]
    for notification_id in range(1, count + 1):
        if rows.decided and (not teams or rng.random() < 0.6):
            user, project_id, decision = rng.choice(rows.decided)
            plan = titles[project_id]
            kind, params = "application_decided", {"project": plan.title, "decision": decision}
        elif teams:
            user, plan = rng.choice(teams)
            kind, params = "project_status_changed", {"project": plan.title, "status": plan.status}
        else:
            return
        created = plan.created + timedelta(days=rng.uniform(1, 30))
        yield {"id": notification_id, "user_id": user, "kind": kind, "actor_id": plan.lead,
               "url": f"/projects/{plan.id}", "params": params, "created_at": created,
               "read_at": created + timedelta(hours=5) if rng.random() < 0.7 else None, "emailed_at": created}
