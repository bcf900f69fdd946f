"""Scale data for the API: personal access tokens of one member in fifty, some revoked or expired."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from core.scale import World, scale_generator

SCOPE_SETS = ("read", "read apply", "read apply manage", "read manage")


@scale_generator(order=90, label="API tokens", tokens=2_000)
def generate_tokens(world: World) -> None:
    rng, users = world.rng, world.facts["users"]

    def tokens():
        for token_id in range(1, world.sizes["tokens"] + 1):
            created = world.ago(rng.uniform(1, 400))
            fate = rng.random()
            yield {"id": token_id, "user_id": rng.randint(2, users), "name": f"Integration {token_id}",
                   # Not the hash of any token anyone holds: scale tokens are for sizes, not for use.
                   "token_hash": hashlib.sha256(f"scale-token-{token_id}".encode()).hexdigest(), "hint": "scale0",
                   "scopes": rng.choice(SCOPE_SETS), "created_at": created,
                   "expires_at": created + timedelta(days=rng.choice((30, 90, 365))),
                   "last_used_at": created + timedelta(days=rng.uniform(0, 30)) if fate < 0.7 else None,
                   "revoked_at": created + timedelta(days=rng.uniform(1, 60)) if fate > 0.9 else None}

    world.insert("access_token", tokens())
