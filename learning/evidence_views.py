"""Routes for learning evidence: time entries on milestones, a member's hours, reflections on deliverables."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from accounts.models import User
from core.authz import is_member, require
from core.errors import FieldError
from core.extensions import db
from core.forms import posted, show_field_errors
from learning import bp, evidence, evidence_queries as queries
from learning.evidence_forms import ReflectionForm, TimeEntryForm, VisibilityForm
from learning.models import hours_of
from projects.milestone_views import milestone_or_404
from projects.views import project_or_404


def milestone_url(milestone, anchor: str | None = None) -> str:
    return url_for("projects.milestone", project_id=milestone.project_id, milestone_id=milestone.id, _anchor=anchor)


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/time", methods=["GET", "POST"])
def time_log(project_id: int, milestone_id: int):
    """The member's own entries on a milestone and the form to log more."""
    milestone = milestone_or_404(project_id, milestone_id)
    require(current_user, "learning.log_time", milestone.project)
    form = TimeEntryForm()
    if form.validate_on_submit():
        try:
            evidence.log_time(milestone, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your time is logged."), "success")
            return redirect(milestone_url(milestone, "time"))
    entries = queries.entries_of(milestone.project, current_user.id, milestone)
    return render_template("learning/time_log.html", project=milestone.project, milestone=milestone, form=form,
                           entries=entries, total=sum(e.minutes for e in entries)), 400 if form.errors else 200


def entry_or_404(project_id: int, entry_id: int):
    project = project_or_404(project_id)
    return queries.entry_by_id(project, entry_id) or abort(404)


@bp.route("/projects/<int:project_id>/time/<int:entry_id>/edit", methods=["GET", "POST"])
def time_edit(project_id: int, entry_id: int):
    entry = entry_or_404(project_id, entry_id)
    require(current_user, "learning.edit_time", entry)
    form = TimeEntryForm(data={"day": entry.day, "hours": str(entry.hours), "note": entry.note}
                         if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            evidence.update_time(entry, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The time entry is saved."), "success")
            return redirect(url_for("learning.time_log", project_id=project_id, milestone_id=entry.milestone_id))
    return render_template("learning/time_edit.html", project=entry.project, entry=entry, form=form), \
        400 if form.errors else 200


@bp.route("/projects/<int:project_id>/time/<int:entry_id>/delete", methods=["POST"])
def time_delete(project_id: int, entry_id: int):
    entry = entry_or_404(project_id, entry_id)
    require(current_user, "learning.edit_time", entry)
    posted(FlaskForm)  # the CSRF token only
    milestone_id = entry.milestone_id
    evidence.delete_time(entry, current_user)
    flash(_("The time entry is deleted."), "info")
    return redirect(url_for("learning.time_log", project_id=project_id, milestone_id=milestone_id))


@bp.route("/projects/<int:project_id>/time/members/<int:user_id>")
def member_time(project_id: int, user_id: int):
    """One member's hours on a project, milestone by milestone: for them, the chapter's leads and mentors."""
    project = project_or_404(project_id)
    require(current_user, "learning.view_time", evidence.TimeOf(project, user_id))
    member = db.get_or_404(User, user_id)
    entries = queries.entries_of(project, user_id)
    return render_template("learning/member_time.html", project=project, member=member, entries=entries,
                           total=sum(e.minutes for e in entries))


def own_submission(milestone):
    """The member's submission to reflect on (?submission=<id>, else their latest), with its reflection."""
    pairs = queries.own_submissions(milestone, current_user)
    wanted = request.args.get("submission", "")
    if wanted:
        pairs = [pair for pair in pairs if str(pair[0].id) == wanted]
    if not pairs:
        abort(404)
    return pairs[0]


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/reflection", methods=["GET", "POST"])
def reflection(project_id: int, milestone_id: int):
    """Write (or edit) the reflection on a deliverable one submitted."""
    milestone = milestone_or_404(project_id, milestone_id)
    if not is_member(current_user):
        abort(403)  # visitors are asked to sign in; members without a submission here find nothing (404)
    submission, existing = own_submission(milestone)
    require(current_user, "learning.reflect", submission)
    form = ReflectionForm(obj=existing)
    if form.validate_on_submit():
        try:
            evidence.reflect(submission, current_user, reflection=existing, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your reflection is saved."), "success")
            return redirect(milestone_url(milestone, "reflections"))
    return render_template("learning/reflection_form.html", project=milestone.project, milestone=milestone,
                           submission=submission, reflection=existing, form=form), 400 if form.errors else 200


def reflection_or_404(project_id: int, reflection_id: int):
    project = project_or_404(project_id)
    return queries.reflection_by_id(project, reflection_id) or abort(404)


@bp.route("/projects/<int:project_id>/reflections/<int:reflection_id>")
def reflection_detail(project_id: int, reflection_id: int):
    found = reflection_or_404(project_id, reflection_id)
    require(current_user, "learning.view_reflection", found)
    return render_template("learning/reflection.html", project=found.project, reflection=found,
                           visibility_form=VisibilityForm())


@bp.route("/projects/<int:project_id>/reflections/<int:reflection_id>/visibility", methods=["POST"])
def reflection_visibility(project_id: int, reflection_id: int):
    found = reflection_or_404(project_id, reflection_id)
    require(current_user, "learning.publish_reflection", found)
    form = posted(VisibilityForm)
    if form.public.data not in ("0", "1"):
        abort(400)
    evidence.set_public(found, current_user, form.public.data == "1")
    flash(_("Your reflection is public.") if found.public else _("Your reflection is private."), "success")
    return redirect(url_for("learning.reflection_detail", project_id=project_id, reflection_id=reflection_id))


@bp.app_template_filter("hours")
def hours_filter(minutes: int | None) -> str:
    """Minutes as hours in the reader's language: 90 → "1.5" (English), "1,5" (French)."""
    return format_decimal(hours_of(minutes), format="#,##0.##")
