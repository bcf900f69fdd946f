"""A project's milestones, for its team and reviewers: submit a deliverable, review it (accept or request
changes). The services and the milestone workflow of the milestone's page decide who may, and when."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from api import bp, http, schemas
from api.application_views import project_or_404
from api.auth import requires
from core.extensions import db
from projects import milestones as services
from projects.models import Milestone


def _milestone(project_id: int, milestone_id: int) -> Milestone:
    """The milestone of a project the caller may see (the project page's rule), or 404."""
    project = project_or_404(project_id)
    milestone = db.session.scalar(select(Milestone).where(Milestone.id == milestone_id,
                                                          Milestone.project_id == project.id))
    if milestone is None:
        abort(404, message=_("No such milestone."))
    milestone.project = project
    return milestone


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/submission", methods=["POST"],
          tags=["Milestones"])
@requires("manage")
@bp.arguments(schemas.SubmissionIn)
@bp.response(201, schemas.SubmissionOut)
@http.answers(404, "No such project or milestone.")
@http.answers(409, "A rule says no (the project is not active, the milestone waits for review…).")
@http.answers(422, "Invalid input.")
def submit_milestone(data: dict, project_id: int, milestone_id: int):
    """A team member hands in a deliverable (a note and a link) for review, as on the milestone's page."""
    milestone = _milestone(project_id, milestone_id)
    submission = services.submit_deliverable(milestone, current_user, note=data["note"], link=data["link"],
                                             upload=None)
    submission.milestone = milestone
    return submission


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/review", methods=["POST"],
          tags=["Milestones"])
@requires("manage")
@bp.arguments(schemas.ReviewIn)
@bp.response(200, schemas.ReviewOut)
@http.answers(404, "No such project or milestone.")
@http.answers(409, "A rule says no (nothing waits for review, the final milestone is the sponsor's…).")
@http.answers(422, "Invalid input.")
def review_milestone(data: dict, project_id: int, milestone_id: int):
    """Accept the submitted deliverable, or request changes (with a comment): for the chapter's leads and the
    reviewers of the project's confirmed sponsors, as on the milestone's page."""
    milestone = _milestone(project_id, milestone_id)
    reviewing_for = data["reviewing_for"] if "reviewing_for" in data else services.CHOOSE
    result = services.review_milestone(milestone, current_user, data["decision"], data.get("comment"), reviewing_for)
    result.milestone = milestone
    return result
