"""Project services: create and edit, move through the lifecycle, applications and the team."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.exc import StaleDataError

from accounts.services import skills_named
from chapters.queries import leads as chapter_leads
from core import audit, images, vocabularies
from core.announce import announce
from core.audit import utcnow
from core.authz import require
from core.errors import DomainError, FieldError
from core.extensions import db
from core.urls import path_for
from projects import activity
from projects.lifecycle import APPLICATION, PROJECT, TEAM_MEMBER
from projects.models import (MAX_COMPETENCIES, TEAM_ROLES, Application, Project, ProjectCompetency, ProjectImpact,
                             TeamMember)


def lead_users(project: Project) -> list:
    return [membership.user for membership in chapter_leads(project.chapter)]


def team_users(project: Project) -> list:
    query = (select(TeamMember).join(TeamMember.user).where(TeamMember.project_id == project.id,
                                                            TeamMember.left_at.is_(None)))
    return [member.user for member in db.session.scalars(query.options(contains_eager(TeamMember.user)))]


def project_url(project: Project) -> str:
    return path_for("projects.detail", project_id=project.id)


def _apply_fields(project: Project, *, title: str, summary: str, problem: str, learning_outcomes: str,
                  team_min: int, team_max: int, start_date: date | None, end_date: date | None,
                  skills: list[str], sdgs: list[int], competencies: list[str] | None = None,
                  actor=None) -> None:
    if team_max < project.team_size:
        raise FieldError.on("team_max", _("The team already has %(size)d members; the maximum cannot be lower.",
                                              size=project.team_size))
    project.title, project.summary, project.problem = title, summary, problem
    project.learning_outcomes = learning_outcomes
    project.team_min, project.team_max = team_min, team_max
    project.start_date, project.end_date = start_date, end_date
    project.skills = skills_named(skills)
    wanted = sorted(set(sdgs))
    project.impacts = [impact for impact in project.impacts if impact.sdg in wanted] + [
        ProjectImpact(sdg=sdg) for sdg in wanted if sdg not in project.sdgs]
    if competencies is not None:
        _set_competencies(project, actor, competencies)


def _set_competencies(project: Project, actor, codes: list[str]) -> None:
    """The business competencies (learning framework codes) the project practises: known codes, at most
    MAX_COMPETENCIES; removing one also removes it from the business roles that practised it (ON DELETE)."""
    wanted = sorted(set(codes))
    if wanted == project.competency_codes:
        return
    require(actor, "project.set_competencies", project)
    if not set(wanted) <= vocabularies.codes("competency"):
        raise FieldError.on("competencies", _("Choose competencies from the list."))
    if len(wanted) > MAX_COMPETENCIES:
        raise FieldError.on("competencies", _("Choose at most %(count)d competencies.", count=MAX_COMPETENCIES))
    project.competencies = [practised for practised in project.competencies if practised.code in wanted] + [
        ProjectCompetency(code=code) for code in wanted if code not in project.competency_codes]


def create_project(chapter, actor, **fields) -> Project:
    """A chapter lead drafts a project."""
    require(actor, "project.create", chapter)
    project = Project(chapter=chapter, status="draft", created_by_id=actor.id, team_size=0)
    _apply_fields(project, actor=actor, **fields)
    db.session.add(project)
    db.session.flush()
    audit.record(actor, "project", project.id, "create", None, "draft")
    activity.record(project, actor, "created")
    db.session.commit()
    return project


def update_project(project: Project, actor, *, cover=None, cover_alt: str | None = None,
                   remove_cover: bool = False, **fields) -> None:
    """A lead edits the project's details and its cover picture (core/images.py)."""
    require(actor, "project.edit", project)
    files = images.accept(cover, images.COVER, "cover")
    _apply_fields(project, actor=actor, **fields)
    with images.Replacement(project, "cover", files, remove=remove_cover, alt=cover_alt):
        audit.record(actor, "project", project.id, "edit")
        db.session.commit()


def transition_project(project: Project, actor, name: str, reason: str | None = None) -> None:
    """Open, start, deliver or cancel a project; tells the team and, on cancel, pending applicants."""
    PROJECT.apply(project, name, actor, reason)
    project.status_changed_at = utcnow()
    if name == "cancel":
        project.cancel_reason = reason.strip()
    activity.record(project, actor, name, reason=(reason or "").strip())
    recipients = team_users(project) + lead_users(project)
    if name == "cancel":
        recipients += [a.user for a in pending_applications(project)]
    activity.notify(recipients, "project_status_changed", url=project_url(project), actor=actor,
                    project=project.title, status=project.status)
    if name == "open":
        announce("project.recruiting", project)
    db.session.commit()


def pending_applications(project: Project) -> list[Application]:
    return list(db.session.scalars(select(Application).options(joinedload(Application.user)).where(
        Application.project_id == project.id, Application.status == "pending")))


def apply_to_project(project: Project, actor, motivation: str, portfolio_url: str | None) -> Application:
    """A member applies once to a recruiting project; the chapter's leads are told."""
    require(actor, "project.apply", project)
    application = Application(project_id=project.id, user_id=actor.id, motivation=motivation,
                              portfolio_url=portfolio_url or None)
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError:  # the same person applying twice at the same moment
        db.session.rollback()
        raise DomainError(_("You have already applied to this project."))
    audit.record(actor, "application", application.id, "create", None, "pending")
    activity.notify(lead_users(project), "application_received",
                    url=path_for("projects.applications", project_id=project.id), actor=actor,
                    applicant=actor.name, project=project.title)
    db.session.commit()
    return application


def _claim_team_place(project: Project) -> None:
    """Take one place on the team in a single guarded UPDATE, so that concurrent acceptances
    can never overfill it (the row lock serialises them; the loser sees the team full)."""
    taken = db.session.execute(
        update(Project).where(Project.id == project.id, Project.team_size < Project.team_max)
        .values(team_size=Project.team_size + 1).execution_options(synchronize_session=False)).rowcount
    db.session.expire(project, ["team_size"])
    if taken != 1:
        raise DomainError(_("The team is full (%(max)d members).", max=project.team_max))


def _release_team_place(project: Project) -> None:
    db.session.execute(update(Project).where(Project.id == project.id, Project.team_size > 0)
                       .values(team_size=Project.team_size - 1).execution_options(synchronize_session=False))
    db.session.expire(project, ["team_size"])


def _someone_else_decided() -> DomainError:
    return DomainError(_("Someone else has just decided this application."))


def _write_decision_first(application: Application) -> None:
    """Write the application's new status (its version checked) before anything that flushes the session,
    so that a decision made meanwhile by another lead is told as a message, not raised as a 500."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise _someone_else_decided() from None


def decide_application(application: Application, actor, decision: str, message: str | None = None) -> None:
    """Accept (the applicant joins the team as a contributor) or decline an application."""
    if decision not in ("accept", "decline"):
        raise DomainError(_("Choose accept or decline."))
    project = application.project
    APPLICATION.apply(application, decision, actor, message)
    _write_decision_first(application)
    if decision == "accept":
        try:
            _claim_team_place(project)
        except DomainError:
            db.session.rollback()
            raise
        db.session.add(TeamMember(project_id=project.id, user_id=application.user_id, role="contributor"))
        activity.record(project, actor, "joined", member=application.user.name)
    application.decision_message = (message or "").strip() or None
    application.decided_by_id, application.decided_at = actor.id, utcnow()
    # The lead's message reaches the applicant in the notification and its email; the application's
    # conversation opens with it.
    activity.notify([application.user], "application_decided",
                    url=path_for("conversations.application", project_id=project.id, application_id=application.id)
                    if application.decision_message else path_for("projects.detail", project_id=project.id),
                    actor=actor, project=project.title, decision=application.status,
                    message=application.decision_message or "")
    announce("application.decided", application)
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):  # another lead decided it at the same moment
        db.session.rollback()
        raise _someone_else_decided() from None
    project.forget_team()


def withdraw_application(application: Application, actor) -> None:
    APPLICATION.apply(application, "withdraw", actor)
    db.session.commit()


JOIN_ROLES = ("contributor", "mentor")


def join_team(project: Project, actor, role: str = "contributor") -> TeamMember:
    """A lead of the project's chapter joins its team directly (never as an applicant), as a contributor or a
    mentor, while a place is free. A lead who left the team earlier takes their old place again."""
    require(actor, "project.join", project)
    if role not in JOIN_ROLES:
        raise FieldError.on("role", _("Choose contributor or mentor."))
    _claim_team_place(project)
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                                        TeamMember.user_id == actor.id))
    if place is None:
        place = TeamMember(project_id=project.id, user_id=actor.id, role=role)
        db.session.add(place)
    else:  # the row of an earlier place (left or removed) keeps the team's history in the audit log
        place.left_at, place.removal_reason, place.role, place.joined_at = None, None, role, utcnow()
    db.session.flush()
    audit.record(actor, "team_member", place.id, "join", None, role)
    activity.record(project, actor, "joined", member=actor.name)
    try:
        db.session.commit()
    except IntegrityError:  # the same lead joining twice at the same moment
        db.session.rollback()
        raise DomainError(_("You are already on this project's team."))
    project.forget_team()
    return place


def _current_member(project: Project, member_id: int) -> TeamMember:
    member = db.session.scalar(select(TeamMember).options(joinedload(TeamMember.user)).where(
                                                        TeamMember.id == member_id,
                                                        TeamMember.project_id == project.id,
                                                        TeamMember.left_at.is_(None)))
    if member is None:
        raise DomainError(_("This person is not on the team."))
    return member


def set_team_role(project: Project, actor, member_id: int, role: str) -> None:
    require(actor, "team.manage", project)
    if role not in TEAM_ROLES:
        raise DomainError(_("Choose contributor, task lead or mentor."))
    member = _current_member(project, member_id)
    if member.role != role:
        audit.record(actor, "team_member", member.id, "set_role", member.role, role)
        member.role = role
        db.session.commit()


def _leave(project: Project, member: TeamMember, actor, transition: str, reason: str | None = None) -> None:
    """End a place on the team through its workflow (leave, or remove with a reason) and free the place."""
    TEAM_MEMBER.apply(member, transition, actor, reason)
    member.removal_reason = (reason or "").strip() or None
    _release_team_place(project)
    activity.record(project, actor, "removed" if transition == "remove" else "left", member=member.user.name)
    db.session.commit()
    project.forget_team()


def remove_member(project: Project, actor, member_id: int, reason: str) -> None:
    """A lead removes a member, with a reason; the member receives no credential."""
    require(actor, "team.manage", project)
    _leave(project, _current_member(project, member_id), actor, "remove", reason)


def leave_team(project: Project, actor) -> None:
    require(actor, "team.leave", project)
    member = db.session.scalar(select(TeamMember).options(joinedload(TeamMember.user)).where(
                                                        TeamMember.project_id == project.id,
                                                        TeamMember.user_id == actor.id,
                                                        TeamMember.left_at.is_(None)))
    if member is None:
        raise DomainError(_("This person is not on the team."))
    _leave(project, member, actor, "leave")
