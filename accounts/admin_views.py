"""The platform admin area: index of pending work, users, the audit log."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from accounts import bp, services
from accounts.forms import SearchUsersForm
from accounts.models import User
from core import audit
from core.audit import AuditEvent
from core.authz import require
from core.errors import FieldError
from core.extensions import db
from core.forms import ConfirmForm, RequiredReasonForm, render_confirmation, show_field_errors
from core.pages import render_sections
from core.integers import page_number


@bp.route("/admin/")
def admin_index():
    require(current_user, "admin.access")
    return render_template("admin/index.html", sections=render_sections("admin", user=current_user))


@bp.route("/admin/users")
def admin_users():
    require(current_user, "admin.access")
    form = SearchUsersForm(request.args)
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if form.validate() and form.q.data:
        like = f"%{form.q.data.lower()}%"
        query = query.where(or_(User.name.ilike(like), User.handle.like(like), User.email.like(like)))
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/admin/users/<int:user_id>/suspension", methods=["GET", "POST"])
def admin_suspend(user_id: int):
    """Suspending asks for confirmation and a reason on a page of its own; reinstating is one button."""
    require(current_user, "admin.access")
    target = db.get_or_404(User, user_id)
    require(current_user, "user.suspend", target)
    suspend = request.method == "GET" or request.form.get("suspend") == "1"
    form = RequiredReasonForm() if suspend else ConfirmForm()
    if request.method == "POST" and form.validate():
        try:
            services.set_suspended(target, current_user, suspend, form.reason.data if suspend else None)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("@%(handle)s is suspended.", handle=target.handle) if suspend
                  else _("@%(handle)s is reinstated.", handle=target.handle), "success")
            return redirect(url_for("accounts.admin_users"))
    if not suspend:
        abort(400)  # reinstating sends only its token: a forged or stale request
    return render_confirmation(
        form, heading=_("Suspend @%(handle)s?", handle=target.handle),
        explanation=_("%(name)s is signed out everywhere and cannot sign in until an admin reinstates them. "
                      "Say why: the reason is kept in the audit log.", name=target.name),
        action=url_for("accounts.admin_suspend", user_id=target.id), hidden={"suspend": "1"},
        button=_("Suspend @%(handle)s", handle=target.handle), back=url_for("accounts.admin_users"))


# How the audit log names each kind of thing (an unknown kind shows as stored).
ENTITY_KINDS = {
    "user": _l("Member"), "chapter": _l("Chapter"), "chapter_membership": _l("Chapter membership"),
    "project": _l("Project"), "milestone": _l("Milestone"), "application": _l("Application"),
    "team_member": _l("Place on a team"), "organisation": _l("Sponsor organisation"),
    "sponsorship": _l("Sponsorship"), "credential": _l("Credential"), "job": _l("Background job"),
    "business_role": _l("Business role"), "learning_goal": _l("Learning goal"), "reflection": _l("Reflection"),
    "time_entry": _l("Time entry"),
}


@bp.route("/admin/audit")
def admin_audit():
    require(current_user, "admin.access")
    query = (select(AuditEvent).options(joinedload(AuditEvent.actor))
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    entity = request.args.get("entity", "")
    if entity:
        query = query.where(AuditEvent.entity_type == entity)
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("admin/audit.html", page=page, entity=entity, subjects=audit.describe_subjects(page.items),
                           kinds=ENTITY_KINDS)


@audit.subjects_of("user")
def _users(ids: set[int]) -> dict[int, audit.Subject]:
    rows = db.session.execute(select(User.id, User.name, User.handle).where(User.id.in_(ids)))
    return {id_: audit.Subject(f"{name} (@{handle})", url_for("accounts.profile", handle=handle))
            for id_, name, handle in rows}
