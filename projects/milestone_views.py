"""Routes for milestones: plan, submit deliverables, review, download files."""
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from flask_login import current_user

from core import uploads
from core.authz import can, require
from core.errors import FieldError
from core.extensions import db, talisman
from core.security import IMAGE_FILE_POLICY
from core.forms import ConfirmForm, render_confirmation, show_field_errors
from core.pages import render_sections
from projects import bp, milestones as services, queries
from projects.forms import MilestoneForm, ReviewForm, SubmissionForm
from projects.lifecycle import MILESTONE, withdrawal_of
from projects.models import Milestone, Submission
from projects.views import project_or_404


def milestone_or_404(project_id: int, milestone_id: int) -> Milestone:
    project = project_or_404(project_id)
    milestone = db.first_or_404(select(Milestone).where(Milestone.id == milestone_id,
                                                        Milestone.project_id == project.id))
    milestone.project = project
    return milestone


def render_milestone(milestone: Milestone, submission_form=None, review_form=None, status: int = 200):
    project = milestone.project
    private = can(current_user, "deliverable.view", project)
    history = queries.history(milestone) if private else []
    if private:
        milestone.remember_history(history)
    transitions = MILESTONE.available(milestone, current_user)
    may_accept = any(t.name == "accept" for t in transitions)
    may_request = (any(t.name == "request_changes" for t in transitions)
                   and not MILESTONE.blockers(milestone, current_user, "request_changes"))
    accept_blockers = MILESTONE.blockers(milestone, current_user, "accept") if may_accept else []
    withdrawal = withdrawal_of(milestone) if any(t.name.startswith("withdraw") for t in transitions) else None
    withdraw_blockers = MILESTONE.blockers(milestone, current_user, withdrawal) if withdrawal else []
    review_form = review_form or ReviewForm()
    review_form.reviewing_for.choices = [("" if org_id is None else str(org_id), label)
                                         for org_id, label in services.review_capacities(milestone, current_user)]
    return render_template(
        "projects/milestone.html", project=project, milestone=milestone,
        history=history, private=private, transitions=transitions,
        may_review=may_request or (may_accept and not accept_blockers), may_request=may_request,
        accept_blockers=accept_blockers, withdraw_blockers=withdraw_blockers, opens_inline=uploads.opens_inline,
        submission_form=submission_form or SubmissionForm(), review_form=review_form,
        sections=render_sections("milestone", milestone=milestone, user=current_user)), status


@bp.route("/projects/<int:project_id>/milestones/new", methods=["GET", "POST"])
def milestone_new(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "milestone.manage", project)
    form = MilestoneForm(project=project)
    if form.validate_on_submit():
        try:
            services.add_milestone(project, current_user, title=form.title.data,
                                   description=form.description.data, due_date=form.due_date.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The milestone is added."), "success")
            return redirect(url_for("projects.detail", project_id=project.id, _anchor="milestones"))
    return render_template("projects/milestone_form.html", form=form, project=project, milestone=None), \
        400 if form.errors else 200


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>")
def milestone(project_id: int, milestone_id: int):
    return render_milestone(milestone_or_404(project_id, milestone_id))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
def milestone_edit(project_id: int, milestone_id: int):
    milestone = milestone_or_404(project_id, milestone_id)
    require(current_user, "milestone.manage", milestone.project)
    form = MilestoneForm(obj=milestone, project=milestone.project)
    if form.validate_on_submit():
        try:
            services.update_milestone(milestone, current_user, title=form.title.data,
                                      description=form.description.data, due_date=form.due_date.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The milestone is saved."), "success")
            return redirect(url_for("projects.detail", project_id=project_id, _anchor="milestones"))
    return render_template("projects/milestone_form.html", form=form, project=milestone.project,
                           milestone=milestone), 400 if form.errors else 200


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/delete", methods=["GET", "POST"])
def milestone_delete(project_id: int, milestone_id: int):
    """Deleting a milestone asks for confirmation on a page of its own."""
    milestone = milestone_or_404(project_id, milestone_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        services.delete_milestone(milestone, current_user)
        flash(_("The milestone is deleted."), "info")
        return redirect(url_for("projects.detail", project_id=project_id, _anchor="milestones"))
    if request.method == "POST":
        abort(400)  # only the token is sent: a forged or stale request
    services.check_deletable(milestone, current_user)
    return render_confirmation(
        form, heading=_("Delete the milestone “%(title)s”?", title=milestone.title),
        explanation=_("The milestone leaves the project's plan for good."),
        action=url_for("projects.milestone_delete", project_id=project_id, milestone_id=milestone_id),
        button=_("Delete this milestone"),
        back=url_for("projects.milestone_edit", project_id=project_id, milestone_id=milestone_id))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/move", methods=["POST"])
def milestone_move(project_id: int, milestone_id: int):
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    services.move_milestone(milestone_or_404(project_id, milestone_id), current_user, direction)
    return redirect(url_for("projects.detail", project_id=project_id, _anchor="milestones"))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/submit", methods=["POST"])
def milestone_submit(project_id: int, milestone_id: int):
    milestone = milestone_or_404(project_id, milestone_id)
    require(current_user, "milestone.submit", milestone)
    form = SubmissionForm()
    if not form.validate():
        return render_milestone(milestone, submission_form=form, status=400)
    try:
        services.submit_deliverable(milestone, current_user, note=form.note.data, link=form.link.data,
                                    upload=form.file.data)
    except uploads.UploadRejected as error:
        form.file.errors.append(error.message)
        return render_milestone(milestone, submission_form=form, status=400)
    flash(_("Your deliverable is submitted for review."), "success")
    return redirect(url_for("projects.milestone", project_id=project_id, milestone_id=milestone_id))


INVALID = object()


def chosen_capacity():
    """The review's capacity as posted: services.CHOOSE when none is sent, None for "as the chapter's lead",
    an organisation id, or INVALID."""
    raw = request.form.get("reviewing_for")
    if raw is None:
        return services.CHOOSE
    if raw == "":
        return None
    return int(raw) if raw.isdigit() and len(raw) <= 18 else INVALID


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/review", methods=["POST"])
def milestone_review(project_id: int, milestone_id: int):
    milestone = milestone_or_404(project_id, milestone_id)
    require(current_user, "milestone.review", milestone)
    form = ReviewForm()
    decision = request.form.get("decision")
    valid = form.validate()
    if decision == "request_changes" and not form.comment.data:
        form.comment.errors = [*form.comment.errors, _("Say what needs to change.")]
        valid = False
    reviewing_for = chosen_capacity()
    if reviewing_for is INVALID:
        form.reviewing_for.errors = [*form.reviewing_for.errors, _("Choose whom you review for.")]
        valid = False
    if not valid:
        return render_milestone(milestone, review_form=form, status=400)
    services.review_milestone(milestone, current_user, decision, form.comment.data, reviewing_for)
    flash(_("Your review is saved."), "success")
    return redirect(url_for("projects.milestone", project_id=project_id, milestone_id=milestone_id))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/withdraw", methods=["POST"])
def milestone_withdraw(project_id: int, milestone_id: int):
    services.withdraw_submission(milestone_or_404(project_id, milestone_id), current_user)
    flash(_("Your submission is withdrawn: the milestone waits for a new one."), "info")
    return redirect(url_for("projects.milestone", project_id=project_id, milestone_id=milestone_id))


@bp.route("/projects/<int:project_id>/submissions/<int:submission_id>/file")
@talisman(content_security_policy=IMAGE_FILE_POLICY)  # nothing in a file runs, loads or frames anything
def download(project_id: int, submission_id: int):
    """A deliverable's file: images and PDFs open in the browser, sandboxed; every other type downloads."""
    project = project_or_404(project_id)
    require(current_user, "deliverable.view", project)
    submission = db.first_or_404(select(Submission).join(Submission.milestone).where(
        Submission.id == submission_id, Milestone.project_id == project.id, Submission.file_key.is_not(None)))
    path = uploads.path_for(submission.file_key)
    if not path.exists():
        abort(404)
    response = send_file(path, as_attachment=not uploads.opens_inline(submission.file_type),
                         download_name=uploads.clean_name(submission.file_name),
                         mimetype=uploads.MIME_TYPES.get(submission.file_type, "application/octet-stream"))
    response.headers["Cache-Control"] = "no-store"  # private to the team, its leads and sponsors
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
