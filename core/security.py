"""Security headers (Talisman), safe redirects."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import request

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


def safe_next_url(target: str | None, fallback: str) -> str:
    """Return `target` when it points at this site (same scheme and host), else `fallback`."""
    if not target:
        return fallback
    if target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    host = urlsplit(request.host_url)
    resolved = urlsplit(urljoin(request.host_url, target))
    if resolved.scheme in ("http", "https") and resolved.netloc == host.netloc:
        return target
    return fallback
