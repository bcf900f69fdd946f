"""The platform admin area: index of pending work, users, the audit log."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from accounts import bp, services
from accounts.forms import SearchUsersForm
from accounts.models import User
from core.audit import AuditEvent
from core.authz import require
from core.extensions import db
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


@bp.route("/admin/users/<int:user_id>/suspension", methods=["POST"])
def admin_suspend(user_id: int):
    require(current_user, "admin.access")
    target = db.get_or_404(User, user_id)
    suspend = request.form.get("suspend") == "1"
    services.set_suspended(target, current_user, suspend)
    flash(_("@%(handle)s is suspended.", handle=target.handle) if suspend
          else _("@%(handle)s is reinstated.", handle=target.handle), "success")
    return redirect(url_for("accounts.admin_users"))


@bp.route("/admin/audit")
def admin_audit():
    require(current_user, "admin.access")
    query = (select(AuditEvent).options(joinedload(AuditEvent.actor))
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    entity = request.args.get("entity", "")
    if entity:
        query = query.where(AuditEvent.entity_type == entity)
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("admin/audit.html", page=page, entity=entity)
