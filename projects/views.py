"""Routes for discovery, the project page, the project form, transitions, applications and the team."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from chapters.models import Chapter
from core.authz import can, require
from core.extensions import db
from core.errors import FieldError, TransitionRefused
from core.forms import (ReasonForm, RequiredReasonForm, for_members, posted, render_confirmation,
                        show_field_errors)
from core.page_cache import cached_page
from core.pages import render_sections
from core.integers import page_number
from projects import activity, bp, queries, services, timeline
from projects.forms import (ApplicationForm, DecisionForm, DiscoveryForm, JoinTeamForm, ProjectEditForm, ProjectForm,
                            TeamRoleForm)
from projects.lifecycle import APPLICATION, MILESTONE, PROJECT
from projects.models import Project


def project_or_404(project_id: int, *options) -> Project:
    project = db.get_or_404(Project, project_id, options=options)
    if not can(current_user, "project.view", project):
        abort(404)  # drafts are invisible, not forbidden
    return project


def status_labels() -> dict:
    return {state: PROJECT.label(state) for state in PROJECT.states}


def page_arg() -> int:
    return page_number()


@bp.route("/projects/")
@cached_page
def index():
    form = DiscoveryForm(request.args, skills=queries.skill_choices(), status_labels=status_labels())
    valid = form.validate()
    filters = queries.Filters(**form.filters()) if valid else queries.Filters()
    page = queries.discover(filters, page=page_arg())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("projects/index.html", form=form, page=page, search_args=args,
                           text_count_cap=queries.TEXT_COUNT_CAP), 200 if valid else 400


@bp.route("/chapters/<slug>/projects/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    chapter = db.first_or_404(select(Chapter).where(Chapter.slug == slug))
    require(current_user, "project.create", chapter)
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            project = services.create_project(chapter, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The project is saved as a draft. Plan its milestones, then open recruiting."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/form.html", form=form, chapter=chapter, project=None), \
        400 if form.errors else 200


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "project.edit", project)
    form = ProjectEditForm(obj=project)
    if request.method == "GET":
        form.skills.data = [skill.label for skill in project.skills]
        form.sdgs.data = project.sdgs
        form.competencies.data = project.competency_codes
    if form.validate_on_submit():
        try:
            services.update_project(project, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The project is saved."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/form.html", form=form, chapter=project.chapter, project=project), \
        400 if form.errors else 200


@bp.route("/projects/<int:project_id>")
@cached_page
def detail(project_id: int):
    project = project_or_404(project_id, *queries.WITH_TAGS_JOINED, queries.WITH_SPONSOR_FLAG)
    milestones, team = queries.milestones(project), queries.team(project)
    project.remember_milestones(milestones)
    project.remember_team(current_user, team)
    accepted = sum(1 for m in milestones if m.status == "accepted")
    transitions = PROJECT.available(project, current_user)
    my_application = queries.application_of(project, current_user)
    project.remember_application(current_user, my_application)
    to_review, to_submit = waiting_for_viewer(milestones)
    return render_template(
        "projects/detail.html", project=project, team=team, milestones=milestones,
        accepted=accepted, timeline=timeline.layout(milestones, date.today(), project.start_date, project.end_date),
        feed=queries.recent_activity(project), describe=activity.describe, transitions=transitions,
        blockers={t.name: PROJECT.blockers(project, current_user, t.name) for t in transitions},
        my_application=my_application, today=date.today(),
        application_actions=[t for t in APPLICATION.available(my_application, current_user) if t.name == "withdraw"]
        if my_application else [],
        role_form=for_members(TeamRoleForm),
        join_form=JoinTeamForm() if can(current_user, "project.join", project) else None,
        to_review=to_review, to_submit=to_submit,
        sections=render_sections("project", project=project, user=current_user))


def waiting_for_viewer(milestones) -> tuple[list, list]:
    """The milestones the viewer may act on now, as the milestone workflow declares them: deliverables to
    review (its "accept" transition) and milestones to submit work for ("submit"). Only these two transitions
    are asked about, so that the page runs no query per milestone (withdrawing would read each submission)."""
    review, submit = MILESTONE.transition("accept"), MILESTONE.transition("submit")
    to_review, to_submit = [], []
    for milestone in milestones:
        # The permissions first, whatever the state: the page then runs the same statements (a reviewer's
        # organisations, remembered) however many milestones wait for review.
        may_review, may_submit = can(current_user, review.perm, milestone), can(current_user, submit.perm, milestone)
        state = MILESTONE.state_of(milestone)
        if may_review and state in review.source_states:
            to_review.append(milestone)
        elif may_submit and state in submit.source_states:
            to_submit.append(milestone)
    return to_review, to_submit


# Transitions confirmed on a page of their own (GET shows it, its form POSTs the transition), with their words.
CONFIRMED = {"cancel"}


def confirm_cancel(project: Project, form):
    return render_confirmation(
        form, heading=_("Cancel “%(title)s”?", title=project.title),
        explanation=_("The team, the chapter's leads and the pending applicants are told, and nothing more can "
                      "happen on the project. Say why: the reason is shown on the project and kept in the audit log."),
        action=url_for("projects.transition", project_id=project.id, name="cancel"),
        button=_("Cancel the project"), back=url_for("projects.detail", project_id=project.id))


@bp.route("/projects/<int:project_id>/transitions/<name>", methods=["GET", "POST"])
def transition(project_id: int, name: str):
    project = project_or_404(project_id)
    if request.method == "GET":
        if name not in CONFIRMED:
            abort(404)
        require(current_user, PROJECT.transition(name).perm, project)
        if name not in [t.name for t in PROJECT.available(project, current_user)]:
            raise TransitionRefused(str(PROJECT.wrong_state) % {"state": PROJECT.label(project.status)})
        return confirm_cancel(project, RequiredReasonForm())
    if name in CONFIRMED:
        require(current_user, PROJECT.transition(name).perm, project)
        form = RequiredReasonForm()
        if not form.validate():
            return confirm_cancel(project, form)
    else:
        form = posted(ReasonForm)
    services.transition_project(project, current_user, name, form.reason.data)
    flash(_("The project is now %(status)s.", status=PROJECT.label(project.status)), "success")
    return redirect(url_for("projects.detail", project_id=project.id))


@bp.route("/projects/<int:project_id>/apply", methods=["GET", "POST"])
@login_required
def apply(project_id: int):
    project = project_or_404(project_id)
    if not can(current_user, "project.apply", project):  # the rule decided; say why when it is the member's own doing
        if can(current_user, "project.join", project):
            flash(_("You lead this project's chapter: join its team directly instead of applying."), "info")
            return redirect(url_for("projects.detail", project_id=project.id, _anchor="join"))
        if project.has_member(current_user) or project.has_applied(current_user):
            flash(_("You are already on this project's team.") if project.has_member(current_user)
                  else _("You have already applied to this project."), "info")
            return redirect(url_for("projects.detail", project_id=project.id))
    require(current_user, "project.apply", project)
    form = ApplicationForm()
    if form.validate_on_submit():
        services.apply_to_project(project, current_user, form.motivation.data, form.portfolio_url.data)
        flash(_("Your application is sent. The chapter's leads will answer it."), "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/apply.html", form=form, project=project), 400 if form.errors else 200


def decisions_open(application) -> list[str]:
    """The decisions the current user may make on an application now (workflow permission and guards)."""
    return [t.name for t in APPLICATION.available(application, current_user)
            if t.name in ("accept", "decline") and not APPLICATION.blockers(application, current_user, t.name)]


@bp.route("/projects/<int:project_id>/applications")
def applications(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "application.list", project)
    page = queries.applications(project, page=page_arg())
    return render_template("projects/applications.html", project=project, page=page, form=DecisionForm(),
                           decisions={a.id: decisions_open(a) for a in page.items},
                           applicant_sections=render_sections("applicant", project=project, applications=page.items,
                                                              user=current_user))


@bp.route("/projects/<int:project_id>/applications/<int:application_id>/<decision>", methods=["POST"])
def decide(project_id: int, application_id: int, decision: str):
    project = project_or_404(project_id)
    application = queries.application_by_id(project, application_id) or abort(404)
    if decision == "withdraw":
        services.withdraw_application(application, current_user)
        flash(_("Your application is withdrawn."), "info")
        return redirect(url_for("projects.detail", project_id=project.id))
    form = posted(DecisionForm)
    services.decide_application(application, current_user, decision, form.message.data)
    flash(_("The application is %(status)s.", status=APPLICATION.label(application.status)), "success")
    return redirect(url_for("projects.applications", project_id=project.id))


@bp.route("/projects/<int:project_id>/team/join", methods=["POST"])
def team_join(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "project.join", project)
    form = posted(JoinTeamForm)
    services.join_team(project, current_user, form.role.data)
    flash(_("You are on the team."), "success")
    return redirect(url_for("projects.detail", project_id=project.id, _anchor="team"))


@bp.route("/projects/<int:project_id>/team/<int:member_id>/role", methods=["POST"])
def team_role(project_id: int, member_id: int):
    project = project_or_404(project_id)
    require(current_user, "team.manage", project)
    form = posted(TeamRoleForm)
    services.set_team_role(project, current_user, member_id, form.role.data)
    flash(_("The role is changed."), "success")
    return redirect(url_for("projects.detail", project_id=project.id, _anchor="team"))


@bp.route("/projects/<int:project_id>/team/<int:member_id>/remove", methods=["GET", "POST"])
def team_remove(project_id: int, member_id: int):
    """Removing someone from the team asks for confirmation and a reason on a page of its own."""
    project = project_or_404(project_id)
    require(current_user, "team.manage", project)
    place = queries.current_place(project, member_id) or abort(404)
    require(current_user, "team_member.remove", place)
    form = RequiredReasonForm()
    if request.method == "POST" and form.validate():
        services.remove_member(project, current_user, member_id, form.reason.data)
        flash(_("The member is removed from the team."), "info")
        return redirect(url_for("projects.detail", project_id=project.id, _anchor="team"))
    return render_confirmation(
        form, heading=_("Remove %(name)s from “%(title)s”?", name=place.user.name, title=project.title),
        explanation=_("They leave the team and receive no credential for this project. Say why: the reason is "
                      "kept in the audit log."),
        action=url_for("projects.team_remove", project_id=project.id, member_id=member_id),
        button=_("Remove from the team"), back=url_for("projects.detail", project_id=project.id, _anchor="team"))


@bp.route("/projects/<int:project_id>/team/leave", methods=["POST"])
def team_leave(project_id: int):
    project = project_or_404(project_id)
    services.leave_team(project, current_user)
    flash(_("You have left the team."), "info")
    return redirect(url_for("projects.detail", project_id=project.id))
