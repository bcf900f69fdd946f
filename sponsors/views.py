"""Routes for the sponsor directory, organisation pages and members, and sponsorships of projects."""
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.authz import RULES, can, require
from core.extensions import db, limiter, talisman
from core.errors import FieldError
from core.forms import ReasonForm, choices, for_members, posted, show_field_errors
from core.page_cache import cached_page
from core.security import IMAGE_FILE_POLICY
from core.integers import page_number
from core import uploads
from projects.models import Project
from sponsors import bp, money, queries, reports, services
from sponsors.forms import InvitationForm, OrganisationForm, SponsorshipForm
from sponsors.lifecycle import INVITATION, ORGANISATION, SPONSORSHIP
from sponsors.models import SponsorInvitation, SponsorOrganisation, Sponsorship


def organisation_by_slug(slug: str) -> SponsorOrganisation:
    return db.first_or_404(select(SponsorOrganisation).where(SponsorOrganisation.slug == slug))


def visible_organisation(slug: str) -> SponsorOrganisation:
    org = organisation_by_slug(slug)
    if not can(current_user, "sponsor.view", org):
        abort(404)  # a pending organisation is invisible, not forbidden, to others
    return org


def visible_project(project_id: int) -> Project:
    project = db.get_or_404(Project, project_id)
    if not can(current_user, "project.view", project):
        abort(404)
    return project


def page_of(name: str = "page") -> int:
    return page_number(name)


@bp.route("/sponsors/")
@cached_page
def index():
    return render_template("sponsors/index.html", page=queries.directory(page=page_of()))


@bp.route("/sponsors/new", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "sponsor.register")
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.register_organisation(current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Thank you! Your organisation is waiting for approval by the platform administrators."),
                  "success")
            return redirect(url_for("sponsors.detail", slug=org.slug))
    return render_template("sponsors/form.html", form=form, org=None), 400 if form.errors else 200


@bp.route("/sponsors/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    org = organisation_by_slug(slug)
    require(current_user, "sponsor.edit", org)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            services.update_organisation(org, current_user, **form.service_fields(),
                                         remove_logo=form.remove_logo.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("sponsors.detail", slug=org.slug))
    return render_template("sponsors/form.html", form=form, org=org), 400 if form.errors else 200


@bp.route("/sponsors/<slug>/logo")
@talisman(content_security_policy=IMAGE_FILE_POLICY)
def logo(slug: str):
    """The organisation's logo with its image type (never sniffed), to anyone who may see the organisation."""
    org = visible_organisation(slug)
    if not org.logo_key or org.logo_type not in uploads.IMAGE_TYPES.values():
        abort(404)
    path = uploads.path_for(org.logo_key)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=uploads.MIME_TYPES[org.logo_type], max_age=3600,
                         download_name=f"{org.slug}-logo.{org.logo_type}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def render_detail(org: SponsorOrganisation, invitation_form: InvitationForm | None = None, status: int = 200):
    inside = can(current_user, "sponsor.dashboard", org)  # its members see its members and open sponsorships
    managing = can(current_user, "sponsor.manage_members", org)
    return render_template(
        "sponsors/detail.html", org=org, inside=inside, managing=managing,
        confirmed=queries.of_organisation(org, ("confirmed",), page=page_of()),
        waiting=queries.of_organisation(org, ("offered", "requested"), page=page_of("waiting_page")) if inside else None,
        can_report=can(current_user, "sponsor.report", org), totals=queries.funding_totals(org),
        members=queries.members(org) if inside else [],
        invitations=queries.pending_invitations(org) if managing else [],
        transitions=ORGANISATION.available(org, current_user),
        invitation_form=invitation_form or (InvitationForm() if managing else None),
        format_money=money.format_money), status


@bp.route("/sponsors/<slug>")
@cached_page
def detail(slug: str):
    return render_detail(visible_organisation(slug))


@bp.route("/sponsors/<slug>/transitions/<name>", methods=["POST"])
def transition(slug: str, name: str):
    org = organisation_by_slug(slug)
    form = posted(ReasonForm)
    services.transition_organisation(org, current_user, name, form.reason.data)
    flash(_("The organisation is now %(status)s.", status=ORGANISATION.label(org.status)), "success")
    return redirect(url_for("sponsors.detail", slug=org.slug))


@bp.route("/sponsors/<slug>/invitations", methods=["POST"])
@limiter.limit(lambda: current_app.config["INVITATION_RATE_LIMIT"], methods=["POST"],
               key_func=lambda: f"invite:{current_user.get_id()}")
def invite(slug: str):
    org = organisation_by_slug(slug)
    require(current_user, "sponsor.manage_members", org)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            invitation = services.invite_member(org, current_user, form.email.data, form.role.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("An invitation is on its way to %(email)s. They join the organisation once they accept it.",
                    email=invitation.email), "success")
            return redirect(url_for("sponsors.detail", slug=org.slug, _anchor="members"))
    return render_detail(org, invitation_form=form, status=400)


def invitation_for_viewer(invitation_id: int) -> SponsorInvitation:
    """The invitation, for the member it was sent to; others (even its organisation's admins) get 404 here."""
    invitation = db.get_or_404(SponsorInvitation, invitation_id)
    if not can(current_user, "sponsor.answer_invitation", invitation):
        if not current_user.is_authenticated or RULES["sponsor.answer_invitation"].without_verification(
                current_user, invitation):
            require(current_user, "sponsor.answer_invitation", invitation)  # sign in, or verify the address first
        abort(404)
    return invitation


@bp.route("/sponsors/invitations/<int:invitation_id>")
def invitation(invitation_id: int):
    invitation = invitation_for_viewer(invitation_id)
    return render_template("sponsors/invitation.html", invitation=invitation,
                           transitions=INVITATION.available(invitation, current_user),
                           blockers=INVITATION.blockers(invitation, current_user, "accept"))


@bp.route("/sponsors/invitations/<int:invitation_id>/<any(accept, decline):name>", methods=["POST"])
def answer_invitation(invitation_id: int, name: str):
    invitation = invitation_for_viewer(invitation_id)
    posted(ReasonForm)
    services.answer_invitation(invitation, current_user, name)
    org = invitation.organisation
    if name == "accept":
        flash(_("You are now a member of %(name)s.", name=org.name), "success")
        return redirect(url_for("sponsors.detail", slug=org.slug))
    flash(_("You declined the invitation of %(name)s.", name=org.name), "info")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/sponsors/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke_invitation(slug: str, invitation_id: int):
    org = organisation_by_slug(slug)
    invitation = db.get_or_404(SponsorInvitation, invitation_id)
    if invitation.organisation_id != org.id:
        abort(404)
    posted(ReasonForm)
    services.answer_invitation(invitation, current_user, "revoke")
    flash(_("The invitation is withdrawn."), "info")
    return redirect(url_for("sponsors.detail", slug=org.slug, _anchor="members"))


@bp.route("/sponsors/<slug>/members/<int:user_id>/remove", methods=["POST"])
def remove_member(slug: str, user_id: int):
    org = organisation_by_slug(slug)
    require(current_user, "sponsor.manage_members", org)
    posted(ReasonForm)
    services.remove_member(org, current_user, user_id)
    flash(_("The member is removed from the organisation."), "info")
    return redirect(url_for("sponsors.detail", slug=org.slug, _anchor="members"))


def _sponsorship_form(project: Project, side: str):
    if side == "offer":
        require(current_user, "sponsorship.offer_to", project)
        orgs = [m.organisation for m in queries.memberships_of(current_user)
                if can(current_user, "sponsorship.offer", m.organisation)]
        if not orgs:
            require(current_user, "sponsorship.offer", None)
        options = [(org.id, org.name) for org in orgs]
    else:
        require(current_user, "sponsorship.request", project)
        options = queries.active_organisations()
    form = SponsorshipForm()
    form.organisation.choices = choices(options)
    return form, {org_id: name for org_id, name in options}


@bp.route("/projects/<int:project_id>/sponsorships/<any(offer, request):side>", methods=["GET", "POST"])
@login_required
def propose(project_id: int, side: str):
    """An organisation admin offers, or a chapter lead requests, a sponsorship of the project."""
    project = visible_project(project_id)
    form, names = _sponsorship_form(project, side)
    if form.validate_on_submit():
        org = db.session.get(SponsorOrganisation, form.organisation.data)
        try:
            if side == "offer":
                sponsorship = services.offer(org, project, current_user, **form.service_fields())
            else:
                sponsorship = services.request_sponsorship(project, org, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The sponsorship is offered. The project's chapter leads will answer it.") if side == "offer"
                  else _("The request is sent. The organisation's admins will answer it."), "success")
            if sponsorship.kind == "funding":
                flash(_("Amount recorded: %(amount)s.",
                        amount=money.format_money(sponsorship.amount_minor, sponsorship.currency)), "info")
            return redirect(url_for("projects.detail", project_id=project.id, _anchor="sponsors"))
    return render_template("sponsors/sponsorship_form.html", form=form, project=project, side=side), \
        400 if form.errors else 200


@bp.route("/sponsorships/<int:sponsorship_id>/<any(confirm, decline, withdraw):name>", methods=["POST"])
def answer(sponsorship_id: int, name: str):
    sponsorship = db.get_or_404(Sponsorship, sponsorship_id)
    posted(ReasonForm)
    services.answer(sponsorship, current_user, name)
    flash(_("The sponsorship is now %(status)s.", status=SPONSORSHIP.label(sponsorship.status)), "success")
    return redirect(url_for("projects.detail", project_id=sponsorship.project_id, _anchor="sponsors"))


@bp.route("/sponsors/<slug>/dashboard")
def dashboard(slug: str):
    """For the organisation's members: its sponsored projects with their progress, and the reviews waiting."""
    org = organisation_by_slug(slug)
    require(current_user, "sponsor.dashboard", org)
    projects = queries.sponsored_projects(org, page=page_of())
    return render_template("sponsors/dashboard.html", org=org, projects=projects,
                           progress=queries.progress(p.id for p in projects.items),
                           reviews=queries.reviews_waiting(org, page=page_of("reviews_page")))


def confirmed_sponsorship(org: SponsorOrganisation, project_id: int) -> Sponsorship:
    """The organisation's confirmed sponsorship of the project (its first), or 404 when it does not sponsor it."""
    return db.first_or_404(select(Sponsorship).where(
        Sponsorship.organisation_id == org.id, Sponsorship.project_id == project_id,
        Sponsorship.status == "confirmed").order_by(Sponsorship.id))


def csv_response(text: str, filename: str) -> Response:
    """CSV as a UTF-8 download (with a byte order mark, so spreadsheets read the accents right)."""
    return Response("\ufeff" + text, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/sponsors/<slug>/projects/<int:project_id>/report")
def report(slug: str, project_id: int):
    org = organisation_by_slug(slug)
    sponsorship = confirmed_sponsorship(org, project_id)
    require(current_user, "sponsorship.report", sponsorship)
    [outcome] = reports.outcomes([sponsorship.project])
    return render_template("sponsors/report.html", org=org, outcome=outcome, role_label=reports.role_label,
                           deliverables=can(current_user, "deliverable.view", sponsorship.project), today=date.today())


@bp.route("/sponsors/<slug>/projects/<int:project_id>/report.csv")
def report_csv(slug: str, project_id: int):
    org = organisation_by_slug(slug)
    sponsorship = confirmed_sponsorship(org, project_id)
    require(current_user, "sponsorship.report", sponsorship)
    return csv_response(reports.to_csv(reports.outcomes([sponsorship.project])),
                        f"{org.slug}-project-{project_id}-outcomes.csv")


@bp.route("/sponsors/<slug>/report.csv")
def organisation_report_csv(slug: str):
    """Every project the organisation sponsors, in one CSV."""
    org = organisation_by_slug(slug)
    require(current_user, "sponsor.report", org)
    return csv_response(reports.to_csv(reports.outcomes(reports.organisation_projects(org))),
                        f"{org.slug}-outcomes.csv")
