"""Scale data for learning: the business competencies every project practises (2 to 6 framework codes) and
business roles on projects, each practising one to three of its project's competencies."""
from __future__ import annotations

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
