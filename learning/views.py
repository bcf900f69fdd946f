"""Routes for the business-skills framework pages and a project's business roles."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from core.authz import require
from core.errors import FieldError
from core.forms import posted, show_field_errors
from core.integers import page_number
from core.page_cache import cached_page
from learning import bp, framework, queries, services
from learning.forms import AttestationForm, BusinessRoleForm, EndorsementForm, GoalsForm
from projects.views import project_or_404


@bp.route("/learning/")
@cached_page
def index():
    return render_template("learning/index.html", framework=framework, shown=queries.shown_counts(),
                           recruiting=queries.recruiting_counts())


@bp.route("/learning/<code>")
@cached_page
def detail(code: str):
    competency = framework.competency(code) or abort(404)
    return render_template("learning/detail.html", framework=framework, competency=competency,
                           area=framework.AREAS_BY_CODE[competency.area],
                           shown=queries.shown_counts().get(code, 0),
                           page=queries.recruiting_projects(code, page=page_number()))


def role_form(project, **kwargs) -> BusinessRoleForm:
    form = BusinessRoleForm(**kwargs)
    form.competencies.choices = [(code, framework.label(code))
                                 for code in queries.framework_order(project.competency_codes)]
    return form


@bp.route("/projects/<int:project_id>/roles", methods=["GET", "POST"])
def roles(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "project.manage_roles", project)
    form = role_form(project)
    if form.validate_on_submit():
        try:
            services.add_role(project, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The business role is added."), "success")
            return redirect(url_for("learning.roles", project_id=project.id))
    return render_template("learning/roles.html", project=project, form=form, roles=queries.roles_of(project),
                           label=framework.label), 400 if form.errors else 200


@bp.route("/projects/<int:project_id>/roles/<int:role_id>", methods=["GET", "POST"])
def role_edit(project_id: int, role_id: int):
    project = project_or_404(project_id)
    require(current_user, "project.manage_roles", project)
    role = queries.role_by_id(project, role_id) or abort(404)
    form = role_form(project, obj=role)
    if not form.is_submitted():
        form.competencies.data = queries.codes_of(role)
    if form.validate_on_submit():
        try:
            services.update_role(role, project, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The business role is saved."), "success")
            return redirect(url_for("learning.roles", project_id=project.id))
    return render_template("learning/role_form.html", project=project, role=role, form=form), \
        400 if form.errors else 200


@bp.route("/projects/<int:project_id>/roles/<int:role_id>/delete", methods=["POST"])
def role_delete(project_id: int, role_id: int):
    project = project_or_404(project_id)
    require(current_user, "project.manage_roles", project)
    role = queries.role_by_id(project, role_id) or abort(404)
    posted(FlaskForm)  # the CSRF token only
    services.remove_role(role, project, current_user)
    flash(_("The business role is removed."), "info")
    return redirect(url_for("learning.roles", project_id=project.id))


# --- Learning goals and attestations (issue 21 items 3 and 5) ---------------------------------------------

def goals_form(project, member, roles, **kwargs) -> GoalsForm:
    form = GoalsForm(**kwargs)
    form.goals.choices = [(code, framework.label(code)) for code in queries.framework_order(project.competency_codes)]
    form.role.choices = [("", _("No business role"))] + [
        (str(role.id), role.label) for role in roles if role.holder_id in (None, member.id)]
    return form


@bp.route("/projects/<int:project_id>/goals", methods=["GET", "POST"])
def goals(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "learning.set_goals", project)
    member = queries.current_place(project, current_user)
    roles = queries.roles_of(project)
    current = queries.goals_of_place(member)
    form = goals_form(project, member, roles)
    if not form.is_submitted():
        form.goals.data = [goal.code for goal in current]
        form.role.data = next((str(role.id) for role in roles if role.holder_id == member.id), "")
    if form.validate_on_submit():
        try:
            services.set_goals(project, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your learning goals are saved."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    held = next((role for role in roles if role.holder_id == member.id), None)
    return render_template("learning/goals.html", project=project, form=form, goals=current, role=held,
                           roles=[role for role in roles if role.holder_id in (None, member.id)],
                           label=framework.label), 400 if form.errors else 200


def attestation_form(goal, **kwargs) -> AttestationForm:
    """Prefixed by the goal, so that the page's several forms have distinct field ids. The token is the app's
    (CSRFProtect checks every POST's `csrf_token`), so the prefixed form does not ask for its own."""
    return AttestationForm(prefix=f"goal-{goal.id}", meta={"csrf": False}, **kwargs)


def attestation_forms(team) -> dict[int, AttestationForm]:
    """An empty form per goal not attested yet, each with its own prefix (the page holds several)."""
    return {goal.id: attestation_form(goal, formdata=None)
            for _member, member_goals in team for goal in member_goals if goal.attestation is None}


def render_attestations(project, team, forms, status: int = 200):
    return render_template("learning/attestations.html", project=project, team=team, forms=forms,
                           label=framework.label), status


@bp.route("/projects/<int:project_id>/attestations")
def attestations(project_id: int):
    project = project_or_404(project_id)
    require(current_user, "learning.view_attestations", project)
    team = queries.team_goals(project)
    return render_attestations(project, team, attestation_forms(team))


@bp.route("/projects/<int:project_id>/attestations/<int:goal_id>", methods=["POST"])
def attest(project_id: int, goal_id: int):
    project = project_or_404(project_id)
    goal = queries.goal_by_id(project, goal_id) or abort(404)
    require(current_user, "learning.attest", goal)
    form = attestation_form(goal)
    if form.validate_on_submit():
        try:
            services.attest(goal, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The attestation is recorded."), "success")
            return redirect(url_for("learning.attestations", project_id=project.id) + f"#member-{goal.team_member_id}")
    team = queries.team_goals(project)
    forms = attestation_forms(team)
    forms[goal.id] = form
    return render_attestations(project, team, forms, 400)


@bp.route("/projects/<int:project_id>/endorsement", methods=["GET", "POST"])
def endorsement(project_id: int):
    project = project_or_404(project_id)
    subject = queries.endorsement_subject(project)
    require(current_user, "learning.endorse", subject)
    form = EndorsementForm()
    if form.validate_on_submit():
        try:
            services.endorse(subject, current_user, text=form.text.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your endorsement is recorded."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("learning/endorsement.html", project=project, form=form,
                           endorsement=queries.endorsement_of(project)), 400 if form.errors else 200
