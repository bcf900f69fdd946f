"""Tokens and calls for the API tests: a real client sends no cookie and no CSRF token."""
from __future__ import annotations

from api import services
from api.models import SCOPES


def token_for(user, scopes=SCOPES, days: int = 30) -> str:
    """A new personal access token of `user`; its secret."""
    return services.create_token(user, "tests", list(scopes), days)[1]


def call(client, method: str, url: str, token: str | None = None, json=None, headers: dict | None = None):
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return client.open(url, method=method, json=json, headers=sent, csrf=False)
