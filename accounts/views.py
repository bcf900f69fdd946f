"""Routes for registration, sign-in, the dashboard and profiles."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer

from accounts import bp, notifications, services, sessions, two_factor
from accounts.forms import LoginForm, ProfileForm, RegisterForm
from accounts.models import Notification, User
from core.authz import can
from core.errors import FieldError
from core.extensions import db, limiter
from core.forms import show_field_errors
from core.integers import page_number, posted_id
from core.page_cache import cached_page
from core.pages import render_sections
from core.security import safe_next_url


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def submitted_email() -> str:
    """Sign-in attempts also count per account, whatever address (or forged X-Forwarded-For) they come from."""
    return "account:" + (request.form.get("email") or "").strip().lower()


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_member(
                name=form.name.data, handle=form.handle.data, email=form.email.data,
                password=form.password.data, city=form.city.data, country=form.country.data,
                skills=form.skills.data, locale=request.accept_languages.best_match(["en", "fr"]))
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("We have sent an email to %(email)s. Open it, then sign in here.", email=form.email.data), "info")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(login_account_limit, key_func=submitted_email, methods=["POST"])
def login():
    next_url = safe_next_url(request.args.get("next"), url_for("accounts.dashboard"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            if user.has_two_factor:  # the password was right; the code finishes signing in
                two_factor.start_sign_in(user, form.remember.data, next_url)
                return redirect(url_for("accounts.two_factor_sign_in"))
            sessions.sign_in(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(next_url)
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.route("/auth/logout", methods=["POST"])
def logout():
    sessions.sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/me")
@login_required
def dashboard():
    return render_template("accounts/dashboard.html", sections=render_sections("dashboard", user=current_user))


@bp.route("/me/edit", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():  # GET and HEAD show the stored profile
        form.skills.data = [s.label for s in current_user.skills]
        form.locale.data = current_user.locale or "en"
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user, name=form.name.data, city=form.city.data, country=form.country.data,
                skills=form.skills.data, bio=form.bio.data, locale=form.locale.data,
                profile_hidden=form.profile_hidden.data, avatar=form.avatar.data,
                remove_avatar=form.remove_avatar.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/edit.html", form=form), 400 if form.errors else 200


@bp.route("/u/<handle>")
@cached_page
def profile(handle: str):
    user = db.session.scalar(select(User).where(User.handle == handle.lower())
                             .options(*(undefer(attr) for attr in sessions.LOADED_WITH_PROFILE)))
    if user is None or not can(current_user, "user.view_profile", user):
        abort(404)  # a hidden profile looks like no profile at all
    is_self = current_user.is_authenticated and current_user.id == user.id
    return render_template("accounts/profile.html", user=user, is_self=is_self,
                           sections=render_sections("profile", user=user))


@bp.route("/notifications")
@login_required
def notification_list():
    page = notifications.recent(current_user, page=page_number())
    return render_template("accounts/notifications.html", page=page, message=notifications.message,
                           quote=notifications.quote)


@bp.route("/me/notifications/<int:notification_id>/open")
@login_required
def notification_open(notification_id: int):
    """The link of a notification, in the list and in emails: opening it marks it read."""
    note = db.get_or_404(Notification, notification_id)
    return redirect(notifications.open_notification(current_user, note, url_for("accounts.notification_list")))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read():
    notification_id = posted_id("id")
    notifications.mark_read(current_user, notification_id)
    if notification_id is not None:
        target = request.form.get("next")
        return redirect(safe_next_url(target, url_for("accounts.notification_list")))
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("accounts.notification_list"))


@bp.app_context_processor
def unread_notifications():
    """The unread count shown in the navigation (one query, signed-in pages only)."""
    if current_user.is_authenticated:
        return {"unread_notifications": current_user.unread_notifications}
    return {"unread_notifications": 0}
