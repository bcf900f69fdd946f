"""Binding the API to the app: the OpenAPI document's settings, the blueprint and its hooks, errors as problems."""
from __future__ import annotations

from flask import Flask

from api import auth, bp, http, oauth_server, oauth_views, pages, rest
from core.authz import EmailNotVerified
from core.errors import answer_errors_under
from core.extensions import csrf, limiter
from core.security import CookielessSessions

API_VERSION = "1.0.0"
SETTINGS = {
    "API_TITLE": "Chapterhouse API",
    "API_VERSION": API_VERSION,
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": "The open API of Chapterhouse: list recruiting projects, let members apply with "
                                "their own account, and show the credentials they earn. Errors are RFC 9457 "
                                "problems; lists are paged by cursor (`Link: <…>; rel=\"next\"`).",
                 "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        "servers": [{"url": "/"}],
    },
}

_hooks_added = False


def init_app(app: Flask) -> None:
    global _hooks_added
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    if not _hooks_added:  # blueprints are module-level: hooks and limits are set on them once
        bp.before_request(auth.authenticate)
        bp.after_request(auth.note_token_use)
        bp.after_request(http.add_cors)
        bp.after_request(http.add_vary)
        # accounts answers this one app-wide with its page; under /api/ it is a problem like any other.
        bp.register_error_handler(EmailNotVerified, http.answer_error)
        limiter.limit(auth.rate_limit, key_func=auth.rate_key)(bp)
        _hooks_added = True
    # The API reads no cookie (a token or nothing): no session, no language cookie, nothing to vary on.
    app.config["COOKIELESS_PREFIXES"] = (*app.config.get("COOKIELESS_PREFIXES", ()), bp.url_prefix + "/")
    if not isinstance(app.session_interface, CookielessSessions):
        app.session_interface = CookielessSessions(app.session_interface)
    rest.init_app(app)
    rest.spec.components.security_scheme("bearerAuth", auth.BEARER_AUTH)
    rest.spec.components.security_scheme("oauth2", auth.OAUTH2)
    for status, description in ((401, "No usable token: missing, unknown, expired or revoked."),
                                (403, "The token lacks the scope, or the member may not do this.")):
        rest.spec.components.response("Unauthorized" if status == 401 else "Forbidden", {
            "description": description,
            "content": {http.PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}})
    rest.register_blueprint(bp)
    csrf.exempt(bp)  # the session cookie is never read under /api/ (api/auth.py): nothing to forge
    app.register_blueprint(pages)
    answer_errors_under("/api/", http.answer_error)
    oauth_server.init_app(app)
    # The token and revocation endpoints authenticate the client (secret or PKCE), never a cookie: no CSRF token.
    csrf.exempt(oauth_views.oauth_token)
    csrf.exempt(oauth_views.oauth_revoke)
    answer_errors_under("/oauth/token", oauth_views.oauth_error)
    answer_errors_under("/oauth/revoke", oauth_views.oauth_error)
