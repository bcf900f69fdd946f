"""Scale data for mentoring: offers of members across chapters (active, a few paused or withdrawn), with their
competencies and skills; mentorships in every state, never more open than an offer's capacity; sessions of the
active and ended ones."""
from __future__ import annotations

from datetime import timedelta

from core.scale import World, scale_generator

CODES = ["scoping.pricing", "admin.contracts", "sales.prospecting", "scoping.estimating", "admin.invoicing",
         "relations.presenting", "brand.positioning", "delivery.planning", "relations.feedback", "admin.budget"]
BIOS = ["I have freelanced for {years} years and like helping people start.",
        "Ask me about {topic}: I made every mistake already.",
        "Happy to review your work and your {topic} once a month."]
TOPICS = ["pricing", "contracts", "finding clients", "estimates", "invoices"]
CLOSED = ("declined", "withdrawn", "ended")


@scale_generator(order=75, label="Mentoring", mentor_offers=2_000, mentorships=8_000)
def generate_mentoring(world: World) -> None:
    rng, facts, sizes = world.rng, world.facts, world.sizes
    users = facts["users"]
    count = min(sizes["mentor_offers"], max(1, users - 1))
    mentors = rng.sample(range(2, users + 1), count)
    offers, competencies, skills = [], [], []
    for offer_id, user_id in enumerate(mentors, start=1):
        status = "active" if rng.random() < 0.85 else rng.choice(("paused", "withdrawn"))
        created = world.ago(rng.uniform(30, 700))
        offers.append({"id": offer_id, "user_id": user_id, "capacity": rng.randint(1, 5), "open_count": 0,
                       "status": status, "bio": rng.choice(BIOS).format(years=rng.randint(3, 20),
                                                                           topic=rng.choice(TOPICS)),
                       "created_at": created, "updated_at": created})
        for code in rng.sample(CODES, rng.randint(1, 3)):
            competencies.append({"offer_id": offer_id, "code": code})
        for skill_id in rng.sample(range(1, facts["skills"] + 1), rng.randint(0, 2)):
            skills.append({"offer_id": offer_id, "skill_id": skill_id})
    mentorships, sessions = [], []
    open_pairs: set[tuple[int, int]] = set()
    session_id = 0
    for mentorship_id in range(1, sizes["mentorships"] + 1):
        offer = offers[rng.randrange(len(offers))]
        mentee = rng.randint(2, users)
        if mentee == offer["user_id"]:
            mentee = 1 if offer["user_id"] != 1 else 2
        status = rng.choice(("requested", "active", "active", "ended", "ended", "declined", "withdrawn"))
        if status in ("requested", "active"):
            if (offer["id"], mentee) in open_pairs or offer["open_count"] >= offer["capacity"] \
                    or offer["status"] == "withdrawn":
                status = rng.choice(CLOSED)
            else:
                open_pairs.add((offer["id"], mentee))
                offer["open_count"] += 1
        asked = offer["created_at"] + timedelta(days=rng.uniform(1, 25))
        answered = asked + timedelta(days=rng.uniform(0.5, 5)) if status not in ("requested", "withdrawn") else None
        ended = answered + timedelta(days=rng.uniform(20, 120)) if status == "ended" else None
        mentorships.append({"id": mentorship_id, "offer_id": offer["id"], "mentor_id": offer["user_id"],
                            "mentee_id": mentee, "goal": f"Help with {rng.choice(TOPICS)}.", "status": status,
                            "answer_message": "Glad to help." if answered else None, "end_reason": None,
                            "created_at": asked, "answered_at": answered, "ended_at": ended})
        if status in ("active", "ended"):
            for n in range(rng.randint(1, 6)):
                session_id += 1
                day = (answered + timedelta(days=7 * (n + 1))).date()
                sessions.append({"id": session_id, "mentorship_id": mentorship_id,
                                 "logged_by_id": rng.choice((offer["user_id"], mentee)),
                                 "day": min(day, world.today), "minutes": rng.choice((30, 45, 60, 90)),
                                 "notes": "Notes of the session.", "created_at": answered + timedelta(days=7 * (n + 1))})
    world.insert("mentor_offer", offers)
    world.insert("mentor_offer_competency", competencies)
    world.insert("mentor_offer_skill", skills)
    world.insert("mentorship", mentorships)
    world.insert("mentoring_session", sessions)
