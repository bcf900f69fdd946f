"""The member's own data: profile, applications and notifications. Every write is the service the HTML
page calls, with the token's member as the actor."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from accounts import notifications, services as account_services
from accounts.models import Notification
from api import bp, http, schemas
from api.auth import requires
from core.authz import can
from core.errors import FieldError
from core.extensions import db
from core.forms import country_choices
from projects import services as project_services
from projects.models import Application, Project


@bp.route("/me", tags=["Me"])
@requires("read")
@bp.response(200, schemas.Me)
def me():
    """The token's member: their profile as they see it on /me/edit."""
    return current_user


@bp.route("/me", methods=["PATCH"], tags=["Me"])
@requires("manage")
@bp.arguments(schemas.ProfileUpdate)
@bp.response(200, schemas.Me)
@http.answers(422, "Invalid input.")
def update_me(changes: dict):
    """Change the profile fields sent; those left out keep their value."""
    user = current_user
    if "country" in changes and changes["country"] not in {choice.value for choice in country_choices()}:
        raise FieldError.on("country", _("Choose a country from the list."))
    current = {"name": user.name, "city": user.city, "country": user.country, "bio": user.bio,
               "locale": user.locale or "en", "profile_hidden": user.profile_hidden,
               "skills": [skill.name for skill in user.skills]}
    account_services.update_profile(user, **{**current, **changes})
    return user


def _my_applications():
    return (select(Application).join(Application.project).options(contains_eager(Application.project))
            .where(Application.user_id == current_user.id)
            .order_by(Application.created_at.desc(), Application.id.desc()))


@bp.route("/me/applications", tags=["Me"])
@requires("read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.ApplicationOut(many=True),
             headers={"Link": {"description": "The next page: `<…>; rel=\"next\"`.", "schema": {"type": "string"}}})
@http.answers(400, "A cursor that is not ours.")
def my_applications(cursor: str | None = None, limit: int = 20):
    """The member's applications, newest first."""
    try:
        page = http.keyset_page(_my_applications(), (Application.created_at, Application.id),
                                lambda a: (a.created_at, a.id), (datetime, int), cursor, limit)
    except http.BadCursor as error:
        abort(400, message=str(error))
    return http.paged(page, page.items)


@bp.route("/me/applications", methods=["POST"], tags=["Me"])
@requires("apply")
@bp.arguments(schemas.ApplicationIn)
@bp.response(201, schemas.ApplicationOut)
@http.answers(404, "No such project.")
@http.answers(409, "A rule says no (already applied, not recruiting…).")
@http.answers(422, "Invalid input.")
def apply(data: dict):
    """Apply to a recruiting project, as on its page."""
    project = db.session.get(Project, data["project_id"])
    if project is None or not can(current_user, "project.view", project):  # as the project page does
        abort(404, message=_("No such project."))
    return project_services.apply_to_project(project, current_user, data["motivation"], data.get("portfolio_url"))


def _my_application(application_id: int) -> Application:
    application = db.session.scalar(select(Application).options(contains_eager(Application.project))
                                    .join(Application.project)
                                    .where(Application.id == application_id, Application.user_id == current_user.id))
    if application is None:  # someone else's application looks like none at all
        abort(404, message=_("No such application."))
    return application


@bp.route("/me/applications/<int:application_id>/withdraw", methods=["POST"], tags=["Me"])
@requires("apply")
@bp.response(200, schemas.ApplicationOut)
@http.answers(404, "No such application of yours.")
@http.answers(409, "It can no longer be withdrawn.")
def withdraw(application_id: int):
    """Withdraw one of the member's pending applications."""
    application = _my_application(application_id)
    project_services.withdraw_application(application, current_user)
    return application


@bp.route("/me/notifications", tags=["Me"])
@requires("read")
@bp.arguments(schemas.NotificationFilters, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.NotificationOut(many=True),
             headers={"Link": {"description": "The next page: `<…>; rel=\"next\"`.", "schema": {"type": "string"}}})
@http.answers(400, "A cursor that is not ours.")
def my_notifications(cursor: str | None = None, limit: int = 20, unread: bool = False):
    """The member's notifications, newest first, in their language."""
    query = (select(Notification).where(Notification.user_id == current_user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    if unread:
        query = query.where(Notification.read_at.is_(None))
    try:
        page = http.keyset_page(query, (Notification.created_at, Notification.id), lambda n: (n.created_at, n.id),
                                (datetime, int), cursor, limit)
    except http.BadCursor as error:
        abort(400, message=str(error))
    for note in page.items:
        note.message = notifications.message(note)
    return http.paged(page, page.items)


@bp.route("/me/notifications/read", methods=["POST"], tags=["Me"])
@requires("manage")
@bp.arguments(schemas.MarkRead)
@bp.response(200, schemas.Marked)
@http.answers(422, "Invalid input.")
def mark_read(data: dict):
    """Mark the notifications named (or all of them) as read; returns how many changed."""
    ids = data.get("ids")
    if ids is None:
        return {"marked": notifications.mark_read(current_user)}
    return {"marked": sum(notifications.mark_read(current_user, note_id) for note_id in ids)}
