"""Outcome reports of sponsored projects: team, milestones, deliverables and credentials, as a page or CSV.

Every report runs a fixed number of queries however many projects, members and milestones it covers.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from accounts.models import User
from core.extensions import db
from credentials.models import Credential
from projects.lifecycle import MILESTONE, PROJECT
from projects.models import Milestone, Project, Review, Submission, TeamMember
from sponsors import queries
from sponsors.models import SponsorOrganisation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def credentials_issued(project_ids) -> dict[int, int]:
    """How many credentials each project's delivery issued and are still valid, by project id (one query)."""
    return dict(db.session.execute(
        select(Credential.project_id, func.count()).where(Credential.project_id.in_(list(project_ids)),
                                                          Credential.revoked_at.is_(None))
        .group_by(Credential.project_id)).all())


@dataclass
class MilestoneOutcome:
    position: int
    title: str
    status: str
    due_date: date
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    accepted_for: str | None = None  # the sponsor whose reviewer accepted it
    submission_id: int | None = None
    link: str | None = None
    file_name: str | None = None


@dataclass
class ProjectOutcome:
    project: Project
    team: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    milestones: list[MilestoneOutcome] = field(default_factory=list)
    credentials: int = 0

    @property
    def delivered_on(self) -> datetime | None:
        return self.project.status_changed_at if self.project.status == "delivered" else None


def _teams(project_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    teams: dict[int, list[tuple[str, str]]] = {}
    for project_id, name, role in db.session.execute(
            select(TeamMember.project_id, User.name, TeamMember.role).join(User, User.id == TeamMember.user_id)
            .where(TeamMember.project_id.in_(project_ids), TeamMember.left_at.is_(None))
            .order_by(TeamMember.project_id, User.name)):
        teams.setdefault(project_id, []).append((name, role))
    return teams


def _milestones(project_ids: list[int]) -> dict[int, list[MilestoneOutcome]]:
    """Milestones with who accepted them, for whom, and the accepted submission (one query)."""
    accepter = aliased(User)
    accepted = aliased(Review)
    rows = db.session.execute(
        select(Milestone, accepter.name, SponsorOrganisation.name, Submission.id, Submission.link,
               Submission.file_name)
        .outerjoin(accepter, accepter.id == Milestone.accepted_by_id)
        .outerjoin(accepted, (accepted.milestone_id == Milestone.id) & (accepted.decision == "accepted"))
        .outerjoin(SponsorOrganisation, SponsorOrganisation.id == accepted.sponsor_organisation_id)
        .outerjoin(Submission, Submission.id == accepted.submission_id)
        .where(Milestone.project_id.in_(project_ids)).order_by(Milestone.project_id, Milestone.position))
    milestones: dict[int, list[MilestoneOutcome]] = {}
    for m, accepted_by, accepted_for, submission_id, link, file_name in rows:
        milestones.setdefault(m.project_id, []).append(MilestoneOutcome(
            m.position, m.title, m.status, m.due_date, m.accepted_at, accepted_by, accepted_for,
            submission_id, link, file_name))
    return milestones


def outcomes(projects: list[Project]) -> list[ProjectOutcome]:
    """The outcome of each project (three queries in all, plus the credential count)."""
    ids = [p.id for p in projects]
    teams, milestones, credentials = _teams(ids), _milestones(ids), credentials_issued(ids)
    return [ProjectOutcome(p, teams.get(p.id, []), milestones.get(p.id, []), credentials.get(p.id, 0))
            for p in projects]


def organisation_projects(org: SponsorOrganisation, limit: int = 1000) -> list[Project]:
    """Every project the organisation sponsors (confirmed), for the all-projects export."""
    return list(db.session.scalars(
        select(Project).where(Project.id.in_(queries.sponsored_project_ids(org)), Project.status != "draft")
        .order_by(Project.title, Project.id).limit(limit)))


def safe_cell(value) -> str | int:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = value.date().isoformat() if isinstance(value, datetime) else \
        value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    return [_("Project"), _("Chapter"), _("Project status"), _("Delivered on"), _("Team size"), _("Team and roles"),
            _("Milestone"), _("Milestone status"), _("Due date"), _("Accepted on"), _("Accepted by"),
            _("Accepted for sponsor"), _("Deliverable link"), _("Deliverable file"), _("Credentials issued")]


def role_label(role: str) -> str:
    return {"contributor": _("Contributor"), "task_lead": _("Task lead"), "mentor": _("Mentor")}.get(role, role)


def rows(outcome: ProjectOutcome):
    """One row per milestone (one row for a project without milestones), project columns repeated."""
    project = outcome.project
    team = "; ".join(f"{name} ({role_label(role)})" for name, role in outcome.team)
    head = [project.title, project.chapter.name, PROJECT.label(project.status), outcome.delivered_on,
            len(outcome.team), team]
    for m in outcome.milestones or [None]:
        tail = ([f"{m.position}. {m.title}", MILESTONE.label(m.status), m.due_date, m.accepted_at, m.accepted_by,
                 m.accepted_for, m.link, m.file_name] if m else [None] * 8)
        yield [safe_cell(cell) for cell in [*head, *tail, outcome.credentials]]


def to_csv(project_outcomes: list[ProjectOutcome]) -> str:
    """The outcomes as CSV text; the view sends it as a UTF-8 attachment."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for outcome in project_outcomes:
        writer.writerows(rows(outcome))
    return buffer.getvalue()
