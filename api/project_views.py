"""Projects: the public list with every filter of /projects/, and one project with its milestones."""
from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from flask_smorest import abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from api import bp, http, schemas
from core.authz import can
from core.extensions import db
from projects import queries
from projects.models import Project

LIST_KEY = (Project.status_rank, Project.created_at, Project.id)


def bad_cursor(error: http.BadCursor):
    abort(400, message=str(error))


@bp.route("/projects", tags=["Projects"])
@http.public
@bp.arguments(schemas.ProjectFilters, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.ProjectSummary(many=True),
             headers={"Link": {"description": "The next page: `<…>; rel=\"next\"`.", "schema": {"type": "string"}}})
@http.answers(400, "A cursor that is not ours.")
def project_list(cursor: str | None = None, limit: int = 20, **filters):
    """Published projects, recruiting first, newest first, filtered as on /projects/."""
    query = queries.discovery_query(queries.Filters(**filters))
    try:
        page = http.keyset_page(query, LIST_KEY, lambda p: (p.status_rank, p.created_at, p.id),
                                (int, datetime, int), cursor, limit)
    except http.BadCursor as error:
        bad_cursor(error)
    return http.paged(page, page.items)


def visible_project(project_id: int) -> Project:
    """The project with its chapter and tags, or 404 when it does not exist or the caller may not see it (the
    project page's rule, project.view)."""
    project = db.session.scalar(select(Project).join(Project.chapter)
                                .options(contains_eager(Project.chapter), *queries.WITH_TAGS_JOINED)
                                .where(Project.id == project_id))
    if project is None or not can(current_user, "project.view", project):
        abort(404, message="No such project.")
    return project


@bp.route("/projects/<int:project_id>", tags=["Projects"])
@http.public
@bp.response(200, schemas.Project)
@http.answers(404, "No such project, or it is a draft.")
def project_detail(project_id: int):
    """One project: its fields, team size and its milestones' public fields."""
    project = visible_project(project_id)
    project.remember_milestones(queries.milestones(project))
    return project
