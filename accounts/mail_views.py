"""Routes for notification preferences and the one-click unsubscribe link of emails."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from accounts import bp, notifications
from accounts.forms import NotificationPreferencesForm, UnsubscribeForm
from accounts.mail import InvalidToken, read_unsubscribe_token
from accounts.notifications import DIGEST
from accounts.models import User
from core.extensions import csrf, db


@bp.route("/me/notifications", methods=["GET", "POST"])
@login_required
def notification_preferences():
    kinds = sorted(notifications.KINDS.values(), key=lambda k: str(k.label).casefold())
    current = notifications.preferences(current_user)
    form = NotificationPreferencesForm.for_kinds(
        kinds, data={NotificationPreferencesForm.field_name(k.name): current[k.name] for k in kinds})
    if form.validate_on_submit():
        notifications.save_preferences(current_user, form.choices_by_kind())
        flash(_("Your notification preferences are saved."), "success")
        return redirect(url_for("accounts.notification_preferences"))
    return render_template("accounts/notification_preferences.html", form=form), 400 if form.errors else 200


def _token_target(token: str):
    try:
        user_id, kind = read_unsubscribe_token(token)
    except InvalidToken:
        return None, None
    user = db.session.get(User, user_id)
    if user is None or (kind != DIGEST and kind not in notifications.KINDS):
        return None, None
    return user, kind


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST unsubscribes,
    from the page's button or from a mail client's List-Unsubscribe-Post one-click request."""
    user, kind = _token_target(token)
    if user is None:
        return render_template("accounts/unsubscribe_invalid.html"), 400
    label = _("daily digest emails") if kind == DIGEST else notifications.KINDS[kind].label
    form = UnsubscribeForm()
    if request.method == "POST":
        notifications.unsubscribe(user, kind)
        return render_template("accounts/unsubscribe.html", done=True, label=label, form=form)
    return render_template("accounts/unsubscribe.html", done=False, label=label, form=form)
