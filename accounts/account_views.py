"""Routes for a member's own account: verifying the address, passwords, the address itself, sessions.

Links from emails open a page that changes nothing (a mail scanner may fetch them); its button posts.
A link that is altered, expired, used or meant for another account answers 400 with a page that says so.
"""
from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from accounts import account_services as services
from accounts import bp, sessions
from accounts.forms import ButtonForm, ChangeEmailForm, ChangePasswordForm, ResetPasswordForm, ResetRequestForm
from accounts.tokens import InvalidToken
from core.authz import EmailNotVerified, require
from core.errors import FieldError, wants_json
from core.extensions import limiter
from core.forms import show_field_errors
from core.security import safe_next_url

LINKS = {
    "verify": (_l("This confirmation link does not work"),
               _l("It has expired, was changed on the way, was already used, or was sent to an address the "
                  "account no longer has. Nothing was changed. Signed in, you can ask for a new link.")),
    "reset": (_l("This password link does not work"),
              _l("It has expired (links work for one hour), was changed on the way, or was already used. "
                 "Nothing was changed. You can ask for a new one.")),
    "email": (_l("This address link does not work"),
              _l("It has expired, was changed on the way, was already used, or was made for another account "
                 "than the one signed in. Nothing was changed. You can ask for a new one on your security page.")),
}


def invalid_link(kind: str):
    title, message = LINKS[kind]
    return render_template("accounts/link_invalid.html", title=title, message=message, kind=kind), 400


def config_limit(name: str):
    return lambda: current_app.config[name]


def submitted_address() -> str:
    """Reset requests also count per address, whoever sends them."""
    return "reset:" + (request.form.get("email") or "").strip().lower()


def signed_in_member() -> str:
    return f"member:{current_user.get_id()}"


@bp.app_errorhandler(EmailNotVerified)
def email_not_verified(error):
    message = _("Please verify your email address first: open the link we sent to %(email)s, or ask for a new "
                "one below.", email=current_user.email)
    if wants_json():
        return jsonify(error=_("Not allowed"), message=message), 403
    return render_template("accounts/verify_needed.html", message=message, hide_verify_banner=True), 403


@bp.route("/auth/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    try:
        user = services.user_for_verification(token, current_user)
    except InvalidToken:
        return invalid_link("verify")
    form = ButtonForm()
    if form.validate_on_submit():
        services.verify_email(token, current_user)
        flash(_("Thank you: your email address is verified."), "success")
        return redirect(url_for("accounts.dashboard" if current_user.is_authenticated else "accounts.login"))
    return render_template("accounts/verify_email.html", form=form, email=user.email)


@bp.route("/auth/verify/send", methods=["POST"])
@login_required
@limiter.limit(config_limit("VERIFY_RESEND_RATE_LIMIT"), key_func=signed_in_member)
def resend_verification():
    services.send_verification(current_user)
    flash(_("We have sent a new link to %(email)s. It works for 7 days.", email=current_user.email), "info")
    return redirect(safe_next_url(request.form.get("next"), url_for("accounts.security")))


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit(config_limit("RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(config_limit("RESET_ACCOUNT_RATE_LIMIT"), key_func=submitted_address, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account uses %(email)s, we have sent it a link to choose a new password. The link works "
                "for one hour.", email=form.email.data), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_reset(token)
    except InvalidToken:
        return invalid_link("reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            if current_user.is_authenticated:
                sessions.sign_out()
            flash(_("Your password is changed and every session is signed out. Sign in with the new password."),
                  "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/me/security")
@login_required
def security():
    return render_template("accounts/security.html", form=ButtonForm())


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
@limiter.limit(config_limit("LOGIN_ACCOUNT_RATE_LIMIT"), key_func=signed_in_member, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            sessions.sign_in(current_user._get_current_object())  # this session goes on, with the new version
            flash(_("Your password is changed. Every other session and remembered device is signed out."),
                  "success")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/me/email", methods=["GET", "POST"])
@login_required
@limiter.limit(config_limit("LOGIN_ACCOUNT_RATE_LIMIT"), key_func=signed_in_member, methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.current_password.data, form.email.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("We have sent a link to %(email)s. Open it within 24 hours, signed in, to confirm the new "
                    "address; until then your address stays %(current)s.",
                    email=form.email.data, current=current_user.email), "info")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/change_email.html", form=form), 400 if form.errors else 200


@bp.route("/me/email/confirm/<token>", methods=["GET", "POST"])
@login_required
def confirm_email_change(token: str):
    try:
        new = services.new_address(token, current_user)
    except InvalidToken:
        return invalid_link("email")
    form, error = ButtonForm(), None
    if form.validate_on_submit():
        try:
            services.confirm_email_change(token, current_user)
        except FieldError as refused:
            error = refused.errors["email"]
        else:
            flash(_("Your email address is now %(email)s.", email=new), "success")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/confirm_email.html", form=form, new_email=new, error=error), \
        409 if error else 200


@bp.route("/me/security/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    require(current_user, "account.sign_out_everywhere")
    services.sign_out_everywhere(current_user)
    sessions.sign_out()
    flash(_("You are signed out everywhere, on this device too."), "info")
    return redirect(url_for("main.index"))
