"""Learning services: the business roles of a project (named by the chapter's leads)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select

from core import audit
from core.authz import require
from core.errors import FieldError
from core.extensions import db
from learning.models import MAX_ROLES, ROLE_KINDS, ProjectBusinessRole, business_role_competency


def _checked(project, kind: str, name: str | None, codes: list[str], role: ProjectBusinessRole | None = None):
    """The role's kind, name and codes, or a FieldError naming the field that is wrong."""
    name = " ".join((name or "").split()) or None
    if kind not in ROLE_KINDS:
        raise FieldError.on("kind", _("Choose a kind of role from the list."))
    if kind == "other" and not name:
        raise FieldError.on("name", _("Name the role."))
    if name and len(name) > 80:
        raise FieldError.on("name", _("Use at most 80 characters."))
    wanted = sorted(set(codes))
    if not wanted:
        raise FieldError.on("competencies", _("Choose at least one competency that the role practises."))
    if not set(wanted) <= set(project.competency_codes):
        raise FieldError.on("competencies", _("Choose among the competencies the project practises."))
    label = (name or kind).casefold()
    others = db.session.scalars(select(ProjectBusinessRole).where(ProjectBusinessRole.project_id == project.id))
    if any((other.name or other.kind).casefold() == label for other in others if other is not role):
        raise FieldError.on("name" if name else "kind", _("The project already has a role with this name."))
    return kind, name, wanted


def _write_codes(role: ProjectBusinessRole, codes: list[str]) -> None:
    db.session.execute(delete(business_role_competency).where(business_role_competency.c.role_id == role.id))
    db.session.execute(insert(business_role_competency),
                       [{"role_id": role.id, "project_id": role.project_id, "code": code} for code in codes])


def add_role(project, actor, *, kind: str, name: str | None, competencies: list[str]) -> ProjectBusinessRole:
    """A chapter lead names a business role on the project's team, practising some of its competencies."""
    require(actor, "project.manage_roles", project)
    kind, name, codes = _checked(project, kind, name, competencies)
    count = db.session.scalar(select(func.count()).select_from(ProjectBusinessRole)
                              .where(ProjectBusinessRole.project_id == project.id))
    if count >= MAX_ROLES:
        raise FieldError.on("kind", _("A project has at most %(count)d business roles.", count=MAX_ROLES))
    role = ProjectBusinessRole(project_id=project.id, kind=kind, name=name)
    db.session.add(role)
    db.session.flush()
    _write_codes(role, codes)
    audit.record(actor, "business_role", role.id, "create")
    db.session.commit()
    return role


def update_role(role: ProjectBusinessRole, project, actor, *, kind: str, name: str | None,
                competencies: list[str]) -> None:
    require(actor, "project.manage_roles", project)
    role.kind, role.name, codes = _checked(project, kind, name, competencies, role)
    _write_codes(role, codes)
    audit.record(actor, "business_role", role.id, "edit")
    db.session.commit()


def remove_role(role: ProjectBusinessRole, project, actor) -> None:
    require(actor, "project.manage_roles", project)
    audit.record(actor, "business_role", role.id, "delete")
    db.session.delete(role)
    db.session.commit()
