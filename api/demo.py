"""Demo data for the API: Lucas (a lead, a member elsewhere) holds a token to try it with, and an old one
he revoked."""
from __future__ import annotations

from api import services
from core.cli import seeder, sign_ins

_made: dict[str, str] = {}


@seeder(order=90)
def seed_tokens(world: dict) -> None:
    lucas = world["people"]["lucas"]
    token, secret = services.create_token(lucas, "Freelance Hub (demo)", ["read", "apply", "manage"], 30)
    old, _ = services.create_token(lucas, "Old script", ["read"], 7)
    services.revoke_token(old, lucas)
    _made["secret"] = secret
    world["api_token"] = token


@sign_ins
def demo_token() -> list[str]:
    if "secret" not in _made:
        return []
    return ["API token of lucas@example.org (read, apply, manage; see /api/docs):", f"  {_made['secret']}"]
