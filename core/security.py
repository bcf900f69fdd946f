"""Security headers (Talisman), safe redirects."""
from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import current_app, request
from flask.sessions import SessionInterface
from flask_login import current_user

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


# Files served to be shown as images (a logo, a badge): nothing in them may run, load or frame anything,
# whoever opens one directly.
IMAGE_FILE_POLICY = {"default-src": "'none'", "script-src": "'none'", "frame-ancestors": "'none'", "sandbox": ""}


def init_security(app, talisman) -> None:
    production = app.config["PRODUCTION"]
    app.after_request(keep_private_pages_out_of_caches)
    talisman.init_app(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        force_https=production,
        strict_transport_security=production,
        session_cookie_secure=production,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )


PRIVATE_PREFIXES = ("/me", "/admin", "/auth", "/notifications")


def keep_private_pages_out_of_caches(response):
    """`Cache-Control: no-store` on every response made for a signed-in member (unless it is marked public,
    like a credential's JSON) and on the account pages: no browser or proxy keeps a copy of them."""
    private_path = request.path.startswith(PRIVATE_PREFIXES)
    if private_path or (current_user.is_authenticated and not response.cache_control.public):
        response.headers["Cache-Control"] = "no-store"
    return response


def reads_cookies() -> bool:
    """Whether the current request may read its cookies: not under the `COOKIELESS_PREFIXES` (the token API,
    whose answers must not depend on a browser's cookies, nor vary on them)."""
    return not request.path.startswith(tuple(current_app.config.get("COOKIELESS_PREFIXES", ())))


class CookielessSessions(SessionInterface):
    """The app's session interface, except under the `COOKIELESS_PREFIXES`: there the session is a null one,
    never loaded from the cookie and never saved (so no Set-Cookie and no `Vary: Cookie`)."""

    def __init__(self, inner: SessionInterface):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def open_session(self, app, request_):
        if request_.path.startswith(tuple(app.config.get("COOKIELESS_PREFIXES", ()))):
            return None  # Flask makes a null session
        return self.inner.open_session(app, request_)

    def save_session(self, app, session, response):
        return self.inner.save_session(app, session, response)


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Only a path that starts with exactly one "/" and whose own parse has no scheme and no host is
    kept: browsers read "http:/evil", "//evil", "/\\evil" or "/%09/evil" as other sites. Control,
    whitespace and backslash characters are refused anywhere, also percent-encoded."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    decoded = unquote(target)
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in decoded) or "\\" in decoded:
        return None
    if decoded.startswith("//") or decoded.startswith("/ ") or target.startswith("/ "):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def safe_next_url(target: str | None, fallback: str) -> str:
    """Where to send someone after an action: `target` when it is a path on this site, else `fallback`.
    A full URL of this very site (a Referer) counts as its path."""
    if target and not target.startswith("/"):
        parts = urlsplit(target)
        host = urlsplit(request.host_url)
        if (parts.scheme, parts.netloc) == (host.scheme, host.netloc):
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        else:
            return fallback
    return local_path(target) or fallback
