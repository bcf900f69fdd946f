"""Learning services: the business roles of a project (named by the chapter's leads), the team members'
learning goals and their attestations."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from core import audit
from core.authz import require
from core.errors import FieldError
from core.extensions import db
from learning import framework, queries
from learning.models import (ATTESTATION_NOTE_MAX, ENDORSEMENT_MAX, LEVELS, MAX_GOALS, MAX_ROLES, ROLE_KINDS,
                             GoalAttestation, LearningGoal, ProjectBusinessRole, ProjectEndorsement,
                             business_role_competency)


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


# --- Learning goals and attestations (issue 21 items 3 and 5) ---------------------------------------------

def set_goals(project, actor, *, codes: list[str], role_id: int | None) -> None:
    """A team member picks one to MAX_GOALS learning goals among the project's competencies and takes one
    free business role of the project, or none. Goals already attested stay (their attestation is evidence)."""
    require(actor, "learning.set_goals", project)
    member = queries.current_place(project, actor)
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        raise FieldError.on("goals", _("Choose at least one learning goal."))
    if len(wanted) > MAX_GOALS:
        raise FieldError.on("goals", _("Choose at most %(count)d learning goals.", count=MAX_GOALS))
    if not set(wanted) <= set(project.competency_codes):
        raise FieldError.on("goals", _("Choose among the competencies the project practises."))
    goals = queries.goals_of_place(member)
    attested = [goal.code for goal in goals if goal.attestation is not None]
    if not set(attested) <= set(wanted):
        raise FieldError.on("goals", _("A goal already attested stays: keep %(goals)s.",
                                       goals=", ".join(framework.label(code) for code in attested)))
    if role_id is not None and queries.role_by_id(project, role_id) is None:
        raise FieldError.on("role", _("Choose a business role of this project."))
    for goal in goals:
        if goal.code not in wanted:
            db.session.delete(goal)
    have = {goal.code for goal in goals}
    db.session.add_all(LearningGoal(team_member_id=member.id, project_id=project.id, code=code)
                       for code in wanted if code not in have)
    _take_role(project, member, role_id)
    audit.record(actor, "team_member", member.id, "set_goals")
    db.session.commit()


def _take_role(project, member, role_id: int | None) -> None:
    """Release the role the member holds (unless it is the one chosen) and take the chosen one, in one guarded
    UPDATE, so that two members taking the same free role at once cannot both hold it."""
    db.session.execute(update(ProjectBusinessRole)
                       .where(ProjectBusinessRole.holder_id == member.id, ProjectBusinessRole.id != (role_id or 0))
                       .values(holder_id=None).execution_options(synchronize_session=False))
    if role_id is None:
        return
    taken = db.session.execute(
        update(ProjectBusinessRole)
        .where(ProjectBusinessRole.id == role_id, ProjectBusinessRole.project_id == project.id,
               or_(ProjectBusinessRole.holder_id.is_(None), ProjectBusinessRole.holder_id == member.id))
        .values(holder_id=member.id).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        raise FieldError.on("role", _("Another team member holds this role: choose a free one."))


def _sentence(field: str, text: str | None, limit: int, missing: str) -> str:
    """One or two sentences typed in a form: whitespace folded, required, at most `limit` characters."""
    text = " ".join((text or "").split())
    if not text:
        raise FieldError.on(field, missing)
    if len(text) > limit:
        raise FieldError.on(field, _("Use at most %(count)d characters.", count=limit))
    return text


def _add_once(row, field: str, already: str):
    """Insert a row that exists at most once (a UNIQUE constraint); the loser of a race gets `already`."""
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # added at the same moment by someone else
        db.session.rollback()
        raise FieldError.on(field, already) from None
    return row


def attest(goal: LearningGoal, actor, *, level: str, note: str) -> GoalAttestation:
    """A mentor on the team (or a chapter lead when the team has none) records the level a member reached on
    one goal, with a sentence. One attestation per goal: a second is refused (and the database refuses it too)."""
    require(actor, "learning.attest", goal)
    if level not in LEVELS:
        raise FieldError.on("level", _("Choose a level from the list."))
    note = _sentence("note", note, ATTESTATION_NOTE_MAX, _("Write one sentence on what you saw."))
    already = _("This goal is already attested.")
    if queries.attestation_of(goal) is not None:
        raise FieldError.on("level", already)
    attestation = _add_once(GoalAttestation(goal_id=goal.id, level=level, note=note, attested_by_id=actor.id),
                            "level", already)
    audit.record(actor, "learning_goal", goal.id, "attest", None, level)
    db.session.commit()
    return attestation


def endorse(subject, actor, *, text: str) -> ProjectEndorsement:
    """The sponsor's reviewer who accepted the final milestone endorses the team's work in one or two sentences,
    in the name of the organisation they reviewed for. Once per project: a second is refused."""
    require(actor, "learning.endorse", subject)
    text = _sentence("text", text, ENDORSEMENT_MAX, _("Write a sentence about the team's work."))
    already = _("The team's work is already endorsed.")
    if queries.endorsement_of(subject.project) is not None:
        raise FieldError.on("text", already)
    endorsement = _add_once(ProjectEndorsement(project_id=subject.project.id, review_id=subject.review.id,
                                               organisation_id=subject.review.sponsor_organisation_id,
                                               author_id=actor.id, text=text), "text", already)
    # Signed now, in the organisation's name: the team's credentials issued from here on embed it.
    from credentials.endorsement import sign_endorsement  # credentials reads this package: imported late
    from credentials.issuing import locale_of
    sign_endorsement(endorsement, subject.project, locale_of(actor))
    audit.record(actor, "project", subject.project.id, "endorse")
    db.session.commit()
    return endorsement
