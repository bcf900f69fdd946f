"""Platform-wide routes: home page, style guide, health check, language switch."""
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from core import images, jobs, styleguide
from core.authz import require
from core.extensions import db
from core.i18n import LOCALE_COOKIE
from core.page_cache import cached_page
from core.pages import render_sections
from core.security import safe_next_url

bp = Blueprint("main", __name__)


@bp.route("/")
@cached_page
def index():
    return render_template("index.html", sections=render_sections("home", user=current_user))


@bp.route("/styleguide")
def style_guide():
    """Every component of the design system with sample data (platform admins)."""
    require(current_user, "styleguide.view")
    return render_template("styleguide.html", **styleguide.samples())


@bp.route("/images/<key>-<int:width>.webp")
def image(key: str, width: int):
    """A picture's rendition. Its address holds a random key that changes with the picture, so it is cached
    for a year and never revalidated; it is only shown where its chapter, project or member may be seen."""
    if len(key) != images.KEY_LENGTH or not all(c in "0123456789abcdef" for c in key) or width not in images.ALL_WIDTHS:
        abort(404)
    path = images.path_for(key, width)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=images.max_age(), conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.route("/healthz")
def healthz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any failure means the database is unusable
        current_app.logger.exception("Health check: database")
        checks["database"] = "error"
    healthy = checks["database"] == "ok"
    payload = {}
    if current_app.config.get("REDIS_URL"):
        # Redis down only delays background work (the outbox keeps it), so the web stays in
        # rotation: the answer is 200 with status "degraded", not 503.
        redis = jobs.redis_status()
        checks["redis"] = redis["redis"]
        payload["queue_depth"] = redis["queue_depth"]
    if healthy:
        payload["jobs_overdue"] = jobs.overdue_count()
    status = "error" if not healthy else ("ok" if all(v == "ok" for v in checks.values()) else "degraded")
    return jsonify(status=status, checks=checks, **payload), 200 if healthy else 503


@bp.route("/language", methods=["GET"])
def choose_language():
    """A visitor's choice, kept in a cookie only: choosing a language is all a forged link could do."""
    return _language_chosen(request.args, save_on_profile=False)


@bp.route("/language", methods=["POST"])
def set_language():
    """A member's choice (a CSRF-protected form), saved on the profile as well."""
    return _language_chosen(request.form, save_on_profile=True)


def _language_chosen(data, save_on_profile: bool):
    response = redirect(safe_next_url(data.get("next"), url_for("main.index")))
    locale = data.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        flash(_("That language is not available."), "danger")
        return response
    if save_on_profile and current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=current_app.config["PRODUCTION"])
    return response
