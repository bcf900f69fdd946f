"""Scale data for events: chapters' past and upcoming events of every kind, RSVPs going, waiting and not going
(never more going than places), attendance marked on past events; demo days with presenting projects of their
chapter, their teams invited, and "Presented at …" in the feeds of those that took place."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from core.extensions import db
from core.scale import World, scale_generator

KINDS = ("workshop", "meetup", "fireside_chat", "demo_day")
TITLES = {"workshop": "Workshop: {topic}", "meetup": "Monthly meetup", "fireside_chat": "Fireside chat: {topic}",
          "demo_day": "Demo day"}
TOPICS = ["pricing your work", "contracts", "finding clients", "estimating", "invoicing", "presenting to clients"]
CODES = ["scoping.pricing", "admin.contracts", "sales.prospecting", "scoping.estimating", "admin.invoicing",
         "relations.presenting"]
ZONES = ["Europe/Paris", "America/Toronto", "Africa/Accra", "Europe/Berlin", "Asia/Kolkata", "America/Sao_Paulo"]


@scale_generator(order=70, label="Events", events=10_000, rsvps=100_000)
def generate_events(world: World) -> None:
    rng, facts, sizes = world.rng, world.facts, world.sizes
    chapters, members = facts["chapters"], facts["chapter_members"]
    active = [cid for cid, status in enumerate(facts["chapter_status"], start=1) if status == "active"]
    count = sizes["events"]
    per_event = max(1, sizes["rsvps"] // count)
    events, competencies, rsvps = [], [], []
    presenting, invitations, feed = [], [], []
    presentable: dict[int, list] = {}
    for plan in facts.get("projects", []):
        if plan.status in ("active", "delivered") and plan.team:
            presentable.setdefault(plan.chapter_id, []).append(plan)
    activity_id = world.connection.execute(
        select(func.coalesce(func.max(db.metadata.tables["project_activity"].c.id), 0))).scalar()
    rsvp_id = 0
    for event_id in range(1, count + 1):
        chapter_id = 1 if event_id <= 40 else rng.choice(active)  # the first chapter gets a long list of events
        kind = KINDS[event_id % len(KINDS)] if event_id <= len(KINDS) else rng.choice(KINDS)  # every kind, always
        topic = rng.randrange(len(TOPICS))
        starts = world.now + timedelta(days=rng.uniform(-400, 90), hours=rng.randint(8, 20))
        past = starts < world.now
        online = rng.random() < 0.3
        # One event in four is popular: more members want to come than it has places (a waiting list).
        capacity = max(2, per_event // 3) if event_id % 4 == 1 else rng.randint(5, 60)
        cancelled = rng.random() < 0.05
        people = list(dict.fromkeys(rng.choices(members[chapter_id] or [1], k=per_event)))
        going = 0
        for user_id in people:
            rsvp_id += 1
            wanted = rng.random() < 0.85
            status = "not_going" if not wanted else "going" if going < capacity else "waiting"
            going += status == "going"
            rsvps.append({"id": rsvp_id, "event_id": event_id, "user_id": user_id, "status": status,
                          "waiting_since": starts - timedelta(days=rng.uniform(1, 10)) if status == "waiting" else None,
                          "attended": (rng.random() < 0.8) if past and status == "going" and not cancelled else None,
                          "created_at": starts - timedelta(days=rng.uniform(2, 30)),
                          "updated_at": starts - timedelta(days=1)})
        events.append({
            "id": event_id, "chapter_id": chapter_id, "kind": kind,
            "title": TITLES[kind].format(topic=TOPICS[topic]), "description": "An event of the chapter's members.",
            "mode": "online" if online else "in_person", "address": "" if online else f"{event_id} Main Street",
            "online_url": f"https://meet.example.org/e{event_id}" if online else "",
            "starts_at": starts, "ends_at": starts + timedelta(hours=rng.choice((1, 2, 3))),
            "timezone": rng.choice(ZONES), "capacity": capacity, "going_count": going,
            "status": "cancelled" if cancelled else "scheduled",
            "cancel_reason": "The venue was not available." if cancelled else None,
            "created_by_id": facts["chapter_leads"][chapter_id], "created_at": starts - timedelta(days=30),
            "updated_at": starts - timedelta(days=30), "reminded_at": starts - timedelta(hours=20) if past else None,
            "sequence": 0, "presentations_recorded_at": None})
        if kind == "workshop":
            competencies.append({"event_id": event_id, "code": CODES[topic]})
        candidates = presentable.get(chapter_id, [])
        if kind == "demo_day" and candidates:
            pick = random.Random(event_id)  # not world.rng: the other events stay as they were for a given seed
            shown = pick.sample(candidates, min(len(candidates), pick.randint(1, 3)))
            held = events[-1]["ends_at"] + timedelta(hours=1) < world.now and not cancelled
            events[-1]["presentations_recorded_at"] = events[-1]["ends_at"] + timedelta(hours=1) if held else None
            invited = set()
            for plan in shown:
                presenting.append({"event_id": event_id, "project_id": plan.id})
                for user_id in plan.team:
                    if user_id not in invited:
                        invited.add(user_id)
                        invitations.append({"event_id": event_id, "user_id": user_id, "project_id": plan.id,
                                            "role": "team", "invited_at": starts - timedelta(days=30)})
                if held:
                    activity_id += 1
                    feed.append({"id": activity_id, "project_id": plan.id, "actor_id": None, "verb": "presented",
                                 "params": {"actor": "", "event": events[-1]["title"], "event_id": event_id},
                                 "created_at": events[-1]["ends_at"] + timedelta(hours=1)})
    world.insert("event", events)
    world.insert("event_competency", competencies)
    world.insert("rsvp", rsvps)
    world.insert("event_project", presenting)
    world.insert("event_invitation", invitations)
    world.insert("project_activity", feed)
