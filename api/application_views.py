"""A project's applications, for the chapter's leads: list them and decide (accept or decline)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from api import bp, http, schemas
from api.auth import requires
from core.authz import can, require
from core.extensions import db
from projects import queries, services
from projects.models import Application, Project


def project_or_404(project_id: int) -> Project:
    """The project, or 404 when it does not exist or the caller may not see it (its page's rule)."""
    project = db.session.get(Project, project_id)
    if project is None or not can(current_user, "project.view", project):
        abort(404, message=_("No such project."))
    return project


@bp.route("/projects/<int:project_id>/applications", tags=["Leads"])
@requires("read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.ProjectApplication(many=True),
             headers={"Link": {"description": "The next page: `<…>; rel=\"next\"`.", "schema": {"type": "string"}}})
@http.answers(400, "A cursor that is not ours.")
@http.answers(404, "No such project.")
def project_applications(project_id: int, cursor: str | None = None, limit: int = 20):
    """The project's applications, newest first: for the chapter's leads."""
    project = project_or_404(project_id)
    require(current_user, "application.list", project)
    query = (select(Application).join(Application.user).options(contains_eager(Application.user))
             .where(Application.project_id == project.id)
             .order_by(Application.created_at.desc(), Application.id.desc()))
    try:
        page = http.keyset_page(query, (Application.created_at, Application.id), lambda a: (a.created_at, a.id),
                                (datetime, int), cursor, limit)
    except http.BadCursor as error:
        abort(400, message=str(error))
    return http.paged(page, page.items)


@bp.route("/projects/<int:project_id>/applications/<int:application_id>/decision", methods=["POST"],
          tags=["Leads"])
@requires("manage")
@bp.arguments(schemas.Decision)
@bp.response(200, schemas.ProjectApplication)
@http.answers(404, "No such project or application.")
@http.answers(409, "A rule says no (already decided, team full…).")
@http.answers(422, "Invalid input.")
def decide(data: dict, project_id: int, application_id: int):
    """Accept (the applicant joins the team) or decline an application, with an optional message."""
    project = project_or_404(project_id)
    application = queries.application_by_id(project, application_id)
    if application is None:
        abort(404, message=_("No such application."))
    services.decide_application(application, current_user, data["decision"], data.get("message"))
    return db.session.scalar(select(Application).options(joinedload(Application.user), joinedload(Application.project))
                             .where(Application.id == application.id))
