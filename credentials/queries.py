"""Reading credentials for pages: one credential with what its page shows, a member's portfolio,
a project's credentials and applicants' credentials, each in a bounded number of queries."""
from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, undefer

from accounts.models import Skill
from core.extensions import db
from credentials.models import Credential
from projects.models import Project, project_skill

PORTFOLIO_PAGE_SIZE = 20


def by_uuid(credential_uuid: str) -> Credential | None:
    """The credential with its signed document and JWT (which the verification reads when its cache is
    cold), recipient, project and chapter: one query."""
    return db.session.scalar(
        select(Credential).options(undefer(Credential.document), undefer(Credential.jwt),
                                   joinedload(Credential.recipient),
                                   joinedload(Credential.project, innerjoin=True).joinedload(Project.chapter, innerjoin=True))
        .where(Credential.uuid == credential_uuid))


def _valid_first():
    return case((Credential.revoked_at.is_(None), 0), else_=1)


def of_recipient(user, page: int = 1):
    """A member's credentials, valid ones first, newest first; paginated."""
    query = (select(Credential).options(joinedload(Credential.project, innerjoin=True).joinedload(Project.chapter, innerjoin=True))
             .where(Credential.recipient_id == user.id)
             .order_by(_valid_first(), Credential.issued_at.desc(), Credential.id.desc()))
    return db.paginate(query, page=page, per_page=PORTFOLIO_PAGE_SIZE, error_out=False)


def skills_learned(user, limit: int = 50) -> list[tuple[str, int]]:
    """The skills of the projects a member holds a valid credential for, with how many projects each."""
    projects = func.count(func.distinct(Credential.project_id))
    rows = db.session.execute(
        select(Skill.name, projects.label("projects"))
        .select_from(Credential)
        .join(project_skill, project_skill.c.project_id == Credential.project_id)
        .join(Skill, Skill.id == project_skill.c.skill_id)
        .where(Credential.recipient_id == user.id, Credential.revoked_at.is_(None))
        .group_by(Skill.name).order_by(projects.desc(), Skill.name).limit(limit))
    return [(name, count) for name, count in rows]


def recent(limit: int = 4) -> list[Credential]:
    """The latest valid credentials of members who still have an account, with their holders, projects and
    chapters (one query; newest by id, the primary key's order being the order of issue)."""
    return list(db.session.scalars(
        select(Credential).options(joinedload(Credential.recipient, innerjoin=True),
                                   joinedload(Credential.project, innerjoin=True).joinedload(Project.chapter, innerjoin=True))
        .where(Credential.revoked_at.is_(None), Credential.recipient_id.is_not(None))
        .order_by(Credential.id.desc()).limit(limit)))


def of_project(project, limit: int = 200) -> list[Credential]:
    """The credentials issued for a project, with their recipients; valid ones first."""
    return list(db.session.scalars(
        select(Credential).options(joinedload(Credential.recipient))
        .where(Credential.project_id == project.id)
        .order_by(_valid_first(), Credential.issued_at, Credential.id).limit(limit)))


def of_recipients(user_ids, per_person: int = 5) -> dict[int, dict]:
    """For each of these people: how many valid credentials they hold and their latest few (one query)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    ranked = (select(Credential.uuid, Credential.recipient_id, Project.title,
                     func.count().over(partition_by=Credential.recipient_id).label("total"),
                     func.row_number().over(partition_by=Credential.recipient_id,
                                            order_by=(Credential.issued_at.desc(), Credential.id.desc()))
                     .label("rank"))
              .join(Project, Project.id == Credential.project_id)
              .where(Credential.recipient_id.in_(ids), Credential.revoked_at.is_(None))
              .subquery())
    rows = db.session.execute(select(ranked.c.uuid, ranked.c.recipient_id, ranked.c.title, ranked.c.total)
                              .where(ranked.c.rank <= per_person)
                              .order_by(ranked.c.recipient_id, ranked.c.rank))
    found: dict[int, dict] = {}
    for uuid, recipient_id, title, total in rows:
        person = found.setdefault(recipient_id, {"count": total, "latest": []})
        person["latest"].append({"uuid": uuid, "title": title})
    return found


def endorsement_of(project):
    """The sponsor's endorsement of the project's work with its organisation's name (one statement), or None."""
    from learning.models import ProjectEndorsement
    from sponsors.models import SponsorOrganisation

    row = db.session.execute(select(ProjectEndorsement.text, ProjectEndorsement.uuid, SponsorOrganisation.name)
                             .outerjoin(SponsorOrganisation,
                                        SponsorOrganisation.id == ProjectEndorsement.organisation_id)
                             .where(ProjectEndorsement.project_id == project.id)).first()
    return row
