"""/me/webhooks: a member subscribes to events (the secret shown once), reads each subscription's delivery log,
re-enables one turned off after failures, or deletes it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.authz import can
from core.errors import FieldError
from core.forms import show_field_errors
from webhooks import bp, queries, services
from webhooks.forms import SubscriptionForm
from webhooks.models import WebhookSubscription
from webhooks.targets import ERRORS


def _page(form: SubscriptionForm, secret: str | None = None, status: int = 200):
    return render_template("webhooks/list.html", form=form, subscriptions=queries.subscriptions_of(current_user),
                           secret=secret, labels=services.EVENT_LABELS), status


@bp.route("/me/webhooks", methods=["GET", "POST"])
@login_required
def index():
    form = SubscriptionForm()
    if form.validate_on_submit():
        try:
            subscription, secret = services.create_subscription(current_user, form.url.data, form.events.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your webhook is created. Copy its secret now: it will not be shown again."), "success")
            return _page(SubscriptionForm(formdata=None), secret)  # shown once, in this answer only (no-store)
    return _page(form, status=400 if form.errors else 200)


def _own(subscription_id: int) -> WebhookSubscription:
    """One of the member's own subscriptions; another member's looks like none at all."""
    subscription = queries.subscription_by_id(subscription_id)
    if subscription is None or subscription.user_id != current_user.id:
        abort(404)
    return subscription


@bp.route("/me/webhooks/<int:subscription_id>")
@login_required
def detail(subscription_id: int):
    subscription = queries.subscription_by_id(subscription_id)
    if subscription is None or not can(current_user, "webhook.view", subscription):
        abort(404)
    return render_template("webhooks/detail.html", subscription=subscription, deliveries=queries.log(subscription),
                           labels=services.EVENT_LABELS, errors=ERRORS)


@bp.route("/me/webhooks/<int:subscription_id>/enable", methods=["POST"])
@login_required
def enable(subscription_id: int):
    subscription = _own(subscription_id)
    services.enable_subscription(subscription, current_user)
    flash(_("The webhook is on again."), "success")
    return redirect(url_for("webhooks.detail", subscription_id=subscription.id))


@bp.route("/me/webhooks/<int:subscription_id>/delete", methods=["POST"])
@login_required
def delete(subscription_id: int):
    subscription = _own(subscription_id)
    services.delete_subscription(subscription, current_user)
    flash(_("The webhook is deleted: nothing more is sent to it."), "info")
    return redirect(url_for("webhooks.index"))
