"""Scale data for sponsors: organisations with an admin and reviewers, and sponsorships whose states follow
the lifecycle (offers and requests are still open only on recruiting or active projects, and only for
active organisations; the other side answered each decided one)."""
from __future__ import annotations

from datetime import timedelta

from core.scale import World, scale_generator
from core.slugs import slugify

PREFIXES = ["Northwind", "Bright", "Open", "Blue", "Common", "Civic", "Green", "Harbour", "Summit", "Kind",
            "Lumen", "River", "Atlas", "Maple", "Baobab", "Cedar", "Pioneer", "Horizon", "Unity", "Tide"]
SUFFIXES = ["Foundation", "Trust", "Labs", "Cloud", "Bank", "Cooperative", "Fund", "Studio", "Data", "Works"]
CURRENCIES = ("EUR", "USD", "CAD", "GBP", "XOF", "INR", "BRL")
IN_KIND = ("compute", "data", "mentoring", "venue", "other")


@scale_generator(order=40, label="Sponsors", organisations=2_000, sponsorships=10_000)
def generate_sponsors(world: World) -> None:
    rng, facts, sizes = world.rng, world.facts, world.sizes
    count, users = sizes["organisations"], facts["users"]
    statuses = rng.choices(("active", "pending", "archived"), weights=(90, 6, 4), k=count)
    statuses[0] = "active"
    admins: dict[int, int] = {}
    members: list[dict] = []
    organisations = []
    for org_id in range(1, count + 1):
        name = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES)} {org_id}"
        people = rng.sample(range(2, users + 1), min(users - 1, rng.randint(1, 3)))
        admins[org_id] = people[0]
        for position, user in enumerate(people):
            members.append({"id": len(members) + 1, "organisation_id": org_id, "user_id": user,
                            "role": "admin" if position == 0 else "reviewer", "joined_at": world.ago(rng.uniform(1, 600))})
        organisations.append({
            "id": org_id, "slug": f"{slugify(name)}", "name": name, "website": f"https://{slugify(name)}.example.org",
            "description": f"{name} supports freelance teams that work for their communities.",
            "contact_email": f"partners@{slugify(name)}.example.org", "status": statuses[org_id - 1],
            "created_by_id": people[0], "created_at": world.ago(rng.uniform(200, 1200))})
    world.insert("sponsor_organisation", organisations)
    world.insert("sponsor_member", members)

    active = [org_id for org_id, status in enumerate(statuses, start=1) if status == "active"]
    projects = [plan for plan in facts["projects"] if plan.status != "draft"]
    audit_id = world.counts.get("audit_event", 0)

    def sponsorships():
        nonlocal audit_id
        for sponsorship_id in range(1, sizes["sponsorships"] + 1):
            plan, org_id = rng.choice(projects), rng.choice(active)
            status = status_for(rng, plan.status)
            initiated_by = {"offered": "sponsor", "requested": "chapter"}.get(status) or rng.choice(("sponsor", "chapter"))
            creator = admins[org_id] if initiated_by == "sponsor" else plan.lead
            other = plan.lead if initiated_by == "sponsor" else admins[org_id]
            created = plan.created + timedelta(days=rng.uniform(2, 40))
            decided = created + timedelta(days=rng.uniform(1, 10)) if status not in ("offered", "requested") else None
            funding = rng.random() < 0.7
            if decided:
                audit_id += 1
                audit.append({"id": audit_id, "created_at": decided, "actor_id": creator if status == "withdrawn" else other,
                                    "entity_type": "sponsorship", "entity_id": sponsorship_id,
                                    "action": {"confirmed": "confirm", "declined": "decline", "withdrawn": "withdraw"}[status],
                                    "from_state": "offered" if initiated_by == "sponsor" else "requested",
                                    "to_state": status, "reason": None})
            yield {"id": sponsorship_id, "project_id": plan.id, "organisation_id": org_id,
                   "kind": "funding" if funding else "in_kind",
                   "amount_minor": rng.choice((25_000, 50_000, 100_000, 250_000, 1_000_000)) if funding else None,
                   "currency": rng.choice(CURRENCIES) if funding else None,
                   "in_kind_type": None if funding else rng.choice(IN_KIND),
                   "description": "Funding for the team's time." if funding else "Help in kind for the project.",
                   "status": status, "initiated_by": initiated_by, "created_by_id": creator,
                   "decided_by_id": (creator if status == "withdrawn" else other) if decided else None,
                   "created_at": created, "decided_at": decided}

    audit: list[dict] = []
    if projects and active:
        world.insert("sponsorship", sponsorships())
        world.insert("audit_event", audit)
    reviewer = next(m for m in members if m["role"] == "admin")["user_id"]
    facts["sign_ins"].append((f"{facts['handles'][reviewer - 1]}@example.org", "admin of a sponsor organisation"))


def status_for(rng, project_status: str) -> str:
    """Open proposals only where they can still be answered (recruiting or active projects)."""
    if project_status in ("recruiting", "active"):
        return rng.choices(("confirmed", "offered", "requested", "declined", "withdrawn"), weights=(50, 15, 10, 15, 10))[0]
    return rng.choices(("confirmed", "declined", "withdrawn"), weights=(60, 25, 15))[0]
