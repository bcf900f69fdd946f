"""Demo and scale data for OAuth: one registered partner (Freelance Hub) that Lucas has authorized, and at
scale a few dozen clients with tokens for one member in a hundred."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from api import oauth_services
from api.oauth_models import OAuthToken
from core.audit import utcnow
from core.cli import seeder, sign_ins
from core.extensions import db
from core.scale import World, scale_generator

DEMO_REDIRECT_URI = "http://127.0.0.1:8765/callback"
_made: dict[str, str] = {}


@seeder(order=91)
def seed_oauth_client(world: dict) -> None:
    admin, lucas = world["people"]["admin"], world["people"]["lucas"]
    client, secret = oauth_services.register_client(
        admin, "Freelance Hub (demo)", "https://freelancehub.example",
        [DEMO_REDIRECT_URI, "https://freelancehub.example/oauth/callback"], ["read", "apply"], confidential=True)
    # Lucas authorized it a while ago: it shows on his /me/apps page (the token itself is no one's to use).
    now = utcnow()
    db.session.add(OAuthToken(client_id=client.id, user_id=lucas.id, scopes="read apply", created_at=now,
                              access_token_hash=hashlib.sha256(b"demo-oauth-access").hexdigest(),
                              refresh_token_hash=hashlib.sha256(b"demo-oauth-refresh").hexdigest(),
                              expires_at=now + timedelta(hours=1), refresh_expires_at=now + timedelta(days=30)))
    db.session.commit()
    _made.update(client_id=client.client_id, secret=secret)
    world["oauth_client"] = client


@sign_ins
def demo_client() -> list[str]:
    if "secret" not in _made:
        return []
    return ["OAuth client of Freelance Hub (demo; README, \"OAuth for partners\"):",
            f"  client_id={_made['client_id']}  client_secret={_made['secret']}  redirect_uri={DEMO_REDIRECT_URI}"]


@scale_generator(order=91, label="OAuth clients and tokens", oauth_clients=40, oauth_tokens=2_000)
def generate_oauth(world: World) -> None:
    rng, users = world.rng, world.facts["users"]
    clients = world.sizes["oauth_clients"]

    def client_rows():
        for client_id in range(1, clients + 1):
            created = world.ago(rng.uniform(30, 400))
            yield {"id": client_id, "client_id": f"scale-client-{client_id}", "name": f"Partner {client_id}",
                   "homepage": f"https://partner{client_id}.example",
                   "redirect_uris": f"https://partner{client_id}.example/callback", "scopes": "read apply manage",
                   "secret_hash": hashlib.sha256(f"scale-client-secret-{client_id}".encode()).hexdigest(),
                   "created_at": created, "created_by_id": 1,
                   "disabled_at": created + timedelta(days=20) if client_id % 10 == 0 else None}

    def token_rows():
        for token_id in range(1, world.sizes["oauth_tokens"] + 1):
            created = world.ago(rng.uniform(0, 60))
            yield {"id": token_id, "client_id": rng.randint(1, clients), "user_id": rng.randint(2, users),
                   # Not the hash of any token anyone holds: scale tokens are for sizes, not for use.
                   "access_token_hash": hashlib.sha256(f"scale-oauth-access-{token_id}".encode()).hexdigest(),
                   "refresh_token_hash": hashlib.sha256(f"scale-oauth-refresh-{token_id}".encode()).hexdigest(),
                   "scopes": rng.choice(("read", "read apply", "read apply manage")), "created_at": created,
                   "expires_at": created + timedelta(hours=1), "refresh_expires_at": created + timedelta(days=30),
                   "last_used_at": None, "revoked_at": created + timedelta(hours=2) if rng.random() > 0.8 else None}

    world.insert("oauth_client", client_rows())
    world.insert("oauth_token", token_rows())
