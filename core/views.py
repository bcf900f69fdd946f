"""Platform-wide routes: home page, health check, language switch."""
from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from core.extensions import db
from core.pages import render_sections
from core.security import safe_next_url

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("index.html", sections=render_sections("home", user=current_user))


@bp.route("/healthz")
def healthz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any failure means the database is unusable
        current_app.logger.exception("Health check: database")
        checks["database"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "error", checks=checks), 200 if healthy else 503


@bp.route("/language", methods=["POST"])
def set_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        flash(_("That language is not available."), "danger")
    else:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next"), url_for("main.index")))
