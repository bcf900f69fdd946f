"""Two-factor sign-in pages: set it up or turn it off (/me/two-factor), and the second step of signing in."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from accounts import bp, sessions, two_factor
from accounts.forms import DisableTwoFactorForm, TwoFactorCodeForm
from accounts.models import User
from core.authz import require
from core.errors import FieldError
from core.extensions import db, limiter
from core.forms import show_field_errors

# What an admin who must set up two-factor sign-in may still open (production only).
SETUP_ENDPOINTS = {"accounts.two_factor_settings", "accounts.logout", "static", "main.set_language",
                   "main.choose_language"}


@bp.route("/me/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_settings():
    require(current_user, "account.two_factor", current_user)
    if current_user.has_two_factor:
        return render_template("accounts/two_factor.html", form=DisableTwoFactorForm(),
                               codes_left=two_factor.recovery_codes_left(current_user))
    form = TwoFactorCodeForm()
    secret = two_factor.pending_secret()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(current_user, form.code.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("accounts/two_factor_codes.html", codes=codes)
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret,
                           qr=two_factor.qr_svg(current_user, secret)), 400 if form.errors else 200


@bp.route("/me/two-factor/disable", methods=["POST"])
@login_required
def two_factor_disable():
    require(current_user, "account.two_factor", current_user)
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(current_user, form.password.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Two-factor sign-in is off."), "info")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/two_factor.html", form=form,
                           codes_left=two_factor.recovery_codes_left(current_user)), 400


def _pending_user_key() -> str:
    pending = two_factor.pending_sign_in()
    return f"two-factor:{pending['user'] if pending else request.remote_addr}"


@bp.route("/auth/two-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"], key_func=_pending_user_key)
def two_factor_sign_in():
    """The second step of signing in, after the password."""
    pending = two_factor.pending_sign_in()
    user = db.session.get(User, pending["user"]) if pending else None
    if user is None or user.is_suspended or not user.has_two_factor:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        if two_factor.check_second_step(user, form.code.data):
            sessions.sign_in(user, remember=pending["remember"])  # a new session: the pending state goes with it
            flash(_("You are signed in."), "success")
            return redirect(pending["next"])
        form.code.errors.append(_("This code is not right, or it was used already."))
    return render_template("accounts/two_factor_sign_in.html", form=form), 400 if form.errors else 200


@bp.before_app_request
def admins_set_up_two_factor():
    """In production a platform admin uses two-factor sign-in: until they set it up, every page leads there."""
    if (current_app.config["PRODUCTION"] and current_user.is_authenticated and current_user.is_admin
            and not current_user.has_two_factor and request.endpoint not in SETUP_ENDPOINTS):
        flash(_("Platform administrators must use two-factor sign-in: set it up to go on."), "warning")
        return redirect(url_for("accounts.two_factor_settings"))
