"""Scale data for chapters: communities in every city, each with a lead, often a co-lead, and members
who live there."""
from __future__ import annotations

from core.scale import World, scale_generator
from core.slugs import slugify

NAMES = ["Freelance {city}", "{city} Independents", "{city} Makers Collective", "{city} Freelance Guild",
         "{city} Design Circle", "{city} Data Collective", "{city} Solo Workers", "{city} Civic Tech Freelancers",
         "{city} Creative Freelancers", "{city} Impact Studio"]
ADMIN = 1  # accounts/scale.py: user 1 is the platform admin
DESCRIPTION = ("Freelancers of {city} who team up on social-impact projects for local organisations, "
               "and learn pricing, scoping and delivery by doing.")


def chapter_names(rng, cities, weights, count):
    """`count` distinct (name, city index) pairs, more chapters in bigger cities."""
    seen, names = set(), []
    while len(names) < count:
        index = rng.choices(range(len(cities)), weights=weights)[0]
        city = cities[index][0]
        name = rng.choice(NAMES).format(city=city)
        if name in seen:
            name = f"{name} {sum(1 for n in seen if n.startswith(name)) + 1}"
        seen.add(name)
        names.append((name, index))
    return names


@scale_generator(order=20, label="Chapters", chapters=1_000)
def generate_chapters(world: World) -> None:
    rng, count = world.rng, world.sizes["chapters"]
    cities = world.facts["cities"]
    names = chapter_names(rng, cities, world.facts["city_weights"], count)
    statuses = rng.choices(("active", "pending", "archived"), weights=(92, 5, 3), k=count)
    statuses[0] = "active"
    by_city: dict[int, list[int]] = {}
    for chapter_id, (_, city_index) in enumerate(names, start=1):
        by_city.setdefault(city_index, []).append(chapter_id)

    members: dict[int, list[int]] = {chapter_id: [] for chapter_id in range(1, count + 1)}
    for user_id, home in enumerate(world.facts["homes"], start=1):
        local = by_city.get(home)
        if rng.random() < 0.92:
            members[rng.choice(local) if local else rng.randint(1, count)].append(user_id)
        if rng.random() < 0.2:
            other = rng.randint(1, count)
            if user_id not in members[other][-3:]:
                members[other].append(user_id)
    leads = {}
    for chapter_id, people in members.items():
        people[:] = list(dict.fromkeys(people))  # one membership per member and chapter
        if not people:
            people.append(rng.randint(1, world.facts["users"]))
        if people[0] == ADMIN and len(people) > 1:  # the platform admin leads no chapter: a lead is a lead
            people.append(people.pop(0))
        leads[chapter_id] = people[0]

    def chapters():
        for chapter_id, (name, city_index) in enumerate(names, start=1):
            city, country = cities[city_index]
            yield {"id": chapter_id, "slug": f"{slugify(name)}-{chapter_id}", "name": name, "city": city,
                   "country": country, "description": DESCRIPTION.format(city=city),
                   "status": statuses[chapter_id - 1], "proposed_by_id": leads[chapter_id],
                   "created_at": world.ago(rng.uniform(400, 1600))}

    def memberships():
        membership_id = 0
        for chapter_id, people in members.items():
            for position, user_id in enumerate(people):
                membership_id += 1
                role = "lead" if position == 0 else "co_lead" if position == 1 and len(people) > 8 else "member"
                yield {"id": membership_id, "chapter_id": chapter_id, "user_id": user_id, "role": role,
                       "joined_at": world.ago(rng.uniform(1, 400))}

    world.insert("chapter", chapters())
    world.insert("chapter_membership", memberships())
    world.facts.update(chapters=count, chapter_status=statuses, chapter_members=members, chapter_leads=leads,
                       chapter_names=[name for name, _ in names])
    world.facts["sign_ins"].append((f"{world.facts['handles'][leads[1] - 1]}@example.org", f"lead of {names[0][0]}"))
