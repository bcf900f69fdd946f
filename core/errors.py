"""Domain errors and the one set of error handlers that answers in HTML or JSON."""
from __future__ import annotations

from typing import Callable

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.extensions import db
from core.security import safe_next_url

# Parts of the site that answer errors in a format of their own, by path prefix (the JSON API answers RFC 9457
# problems): each answerer takes the error and returns a response. Registered by the package that owns the prefix.
ANSWERERS: dict[str, Callable] = {}


def answer_errors_under(prefix: str, answerer: Callable) -> None:
    """Let `answerer(error)` answer every error raised under `prefix` (a path such as "/api/")."""
    ANSWERERS[prefix] = answerer


def _answerer():
    for prefix, answerer in ANSWERERS.items():
        if request.path.startswith(prefix):
            return answerer
    return None


class DomainError(Exception):
    """A rule said no; `message` is a sentence the user can act on."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FieldError(DomainError):
    """Rules about form fields failed: {field name: message}; views show each next to its field."""

    status = 400

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(str(message) for message in errors.values()))
        self.errors = errors

    @classmethod
    def on(cls, field: str, message: str) -> "FieldError":
        """The error of a single field."""
        return cls({field: message})


class TransitionRefused(DomainError):
    """A workflow transition is not allowed from the current state, or a guard failed."""


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json" or request.path.endswith(".json")


def _title(code: int) -> str:
    return {
        400: _("Bad request"), 403: _("Not allowed"), 404: _("Page not found"),
        405: _("Method not allowed"), 413: _("Too large"), 429: _("Too many requests"),
    }.get(code, _("Something went wrong"))


def _message(code: int) -> str:
    return {
        400: _("The request could not be understood. If you submitted a form, reload it and try again."),
        403: _("You do not have permission to do that."),
        404: _("We could not find that page. It may have moved, or it may be private."),
        405: _("That address does not accept this kind of request."),
        413: _("What you sent is larger than this site accepts."),
        429: _("You have tried too many times. Please wait a minute and try again."),
    }.get(code, _("An unexpected error happened on our side. It has been logged; please try again later."))


def handle_http_error(error: HTTPException):
    if answerer := _answerer():
        return answerer(error)
    code = error.code or 500
    if code == 403 and not current_user.is_authenticated and not wants_json():
        flash(_("Please sign in to continue."), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if wants_json():
        return jsonify(error=_title(code), message=_message(code)), code
    return render_template("errors/error.html", code=code, title=_title(code), message=_message(code)), code


def handle_csrf_error(error: CSRFError):
    """A form's token is missing, expired (after WTF_CSRF_TIME_LIMIT) or from another session: say so and how to
    go on, rather than a bare "bad request"."""
    if answerer := _answerer():
        return answerer(error)
    message = _("This form has expired or was opened in another session. Go back, reload the page and "
                "submit it again.")
    if wants_json():
        return jsonify(error=_title(400), message=message), 400
    return render_template("errors/error.html", code=400, title=_title(400), message=message), 400


def handle_domain_error(error: DomainError):
    db.session.rollback()  # a refused action changes nothing
    if answerer := _answerer():
        return answerer(error)
    if wants_json():
        return jsonify(error=_title(error.status), message=error.message), error.status
    flash(error.message, "danger")
    return redirect(safe_next_url(request.form.get("next") or request.referrer, url_for("main.index")))


def handle_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("Unhandled error")
    if answerer := _answerer():
        return answerer(error)
    if wants_json():
        return jsonify(error=_title(500), message=_message(500)), 500
    return render_template("errors/error.html", code=500, title=_title(500), message=_message(500)), 500


def register(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
