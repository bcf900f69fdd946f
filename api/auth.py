"""Who calls the API: a personal access token, or an OAuth access token a partner app holds, in the Authorization header (never the session cookie,
never the query string), the scopes each operation needs, and the rate-limit key of each caller."""
from __future__ import annotations

import functools
from copy import deepcopy
import hashlib
from typing import Callable

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import abort

from api import http, services
from api.models import SCOPES
from core.audit import utcnow
from core.extensions import login_manager

TOKEN = "api_token"
QUERY_TOKEN_NAMES = ("access_token", "token", "api_key")
OAUTH2 = {"type": "oauth2",
          "description": "A partner platform registered by an administrator asks the member's consent "
                         "(authorization code with PKCE S256), then sends the access token as a bearer token.",
          "flows": {"authorizationCode": {"authorizationUrl": "/oauth/authorize", "tokenUrl": "/oauth/token",
                                          "refreshUrl": "/oauth/token",
                                          "scopes": {"read": "Read the member's profile, applications and "
                                                             "notifications.",
                                                     "apply": "Apply to projects and withdraw applications.",
                                                     "manage": "Edit the profile, mark notifications read, decide "
                                                               "applications to projects the member leads."}}}}
BEARER_AUTH = {"type": "http", "scheme": "bearer",
               "description": "A personal access token created on /me/tokens: `Authorization: Bearer chp_…`."}


def _refuse(status: int, detail: str, error: str, scope: str | None = None):
    challenge = f'Bearer realm="api", error="{error}"' + (f', scope="{scope}"' if scope else "")
    abort(status, message=detail, headers={"WWW-Authenticate": challenge})


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _refuse(401, _("Send the token as: Authorization: Bearer <token>."), "invalid_request")
    return secret.strip()


def authenticate() -> None:
    """Before every API request: the caller is the token's member, or a visitor without a token. The session
    cookie is never read, so a page open in a browser cannot make calls in its member's name (no CSRF)."""
    g._login_user = login_manager.anonymous_user()  # Flask-Login will not load the session's user
    g.pop(TOKEN, None)
    if any(name in request.args for name in QUERY_TOKEN_NAMES):
        abort(400, message=_("Tokens are not accepted in the address (they end up in logs): send it in the "
                             "Authorization header."))
    secret = _bearer_secret()
    if secret is None:
        return
    token = services.token_for_secret(secret)
    if token is None or not token.is_usable(utcnow()) or token.user.is_suspended or token.user.deleted_at:
        _refuse(401, _("This token is unknown, expired or revoked."), "invalid_token")
    setattr(g, TOKEN, token)
    g._login_user = token.user


def note_token_use(response):
    token = g.get(TOKEN)
    if token is not None:
        services.note_use(token)
    return response


def requires(scope: str) -> Callable:
    """The operation needs a token with `scope`: 401 without a usable token, 403 without the scope.
    Put it right under the route so that it is checked before the input is."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = g.get(TOKEN)
            if token is None:
                _refuse(401, _("This operation needs a personal access token (create one on /me/tokens)."),
                        "invalid_token")
            if scope not in token.scope_list:
                _refuse(403, _("This token lacks the %(scope)s scope.", scope=scope), "insufficient_scope", scope)
            return view(*args, **kwargs)

        wrapper._apidoc = apidoc = deepcopy(getattr(view, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": [scope]}, {"oauth2": [scope]}]
        manual.setdefault("responses", {}).update({
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"}, **http.RATE_LIMITED})
        wrapper.api_scope = scope
        return wrapper
    return decorator


def rate_key() -> str:
    """Each token has its own allowance (keyed by its hash: no query needed); calls without one share
    their address's."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer ") and header[7:].strip():
        return "api-token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "api-ip:" + get_remote_address()


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]
