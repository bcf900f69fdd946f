"""Issuing and revoking credentials (services).

`issue_for_project` issues one credential per current team member of a delivered project,
exactly once. It never commits: it runs inside the outbox job's transaction
(credentials/tasks.py), so a crash half-way leaves nothing behind and the retried job issues
every missing credential. Each row is inserted with INSERT ... ON CONFLICT (recipient, project)
DO NOTHING: the UNIQUE constraint, not the job, guarantees one credential per person and
project, even when two runs race; the loser simply skips that member.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from accounts.models import User
from accounts.notifications import notify, register_kind
from core import audit
from core.announce import announce
from core.audit import AuditEvent, as_utc, utcnow
from core.authz import require
from core.errors import DomainError, FieldError
from core.extensions import db
from credentials import keys, signing, status_list, urls
from credentials.issuer import issuer_summary
from chapters.models import LEAD_ROLES, ChapterMembership
from credentials.achievement import LEAD_ROLE, CredentialFacts, Evidence, GoalResult, SkillFacts, build_credential
from credentials.badge import badge_data_uri
from credentials.endorsement import signed_endorsement
from credentials.models import Credential, new_uuid
from learning import queries as learning_queries
from projects import queries as project_queries
from projects.models import Project, TeamMember

register_kind("credential_issued", _l("A learning credential was issued to you"),
              _l("You earned a verifiable credential for “%(project)s”."), default="app")
register_kind("credential_revoked", _l("One of your credentials was revoked"),
              _l("Your credential for “%(project)s” was revoked: %(reason)s"), default="email")


def credential_path(uuid: str) -> str:
    """The public page of a credential (a site-relative path, for notifications)."""
    return f"/credentials/{uuid}"


@dataclass(frozen=True)
class ProjectFacts:
    """What every credential of one project shares (read once per job)."""

    title: str
    summary: str
    url: str
    chapter_name: str
    chapter_url: str
    chapter_city: str
    chapter_country: str
    outcomes: tuple[str, ...]
    sdgs: tuple[int, ...]
    skills: tuple[SkillFacts, ...]
    competencies: tuple[str, ...]
    endorsement: dict | None
    image: str
    delivered_at: datetime


def facts_of_project(*, project_id: int, title: str, summary: str, outcomes, sdgs, chapter_name: str,
                     chapter_slug: str, chapter_city: str, chapter_country: str, skills, competencies,
                     delivered_at: datetime, endorsement: dict | None = None) -> ProjectFacts:
    """ProjectFacts from plain values: `skills` as (name, slug) pairs, `competencies` as framework codes,
    `endorsement` the sponsor's signed EndorsementCredential. The issuing job reads them through the ORM,
    seed-scale in bulk."""
    base = current_app.config["BASE_URL"]
    return ProjectFacts(
        title=title, summary=summary, url=urls.absolute("projects.detail", project_id=project_id),
        chapter_name=chapter_name, chapter_url=urls.absolute("chapters.detail", slug=chapter_slug),
        chapter_city=chapter_city, chapter_country=chapter_country, outcomes=tuple(outcomes), sdgs=tuple(sdgs),
        skills=tuple(SkillFacts(name, slug, f"{base}/projects/?skill={slug}") for name, slug in skills),
        competencies=tuple(sorted(competencies)), endorsement=endorsement,
        image=badge_data_uri(title, chapter_name), delivered_at=as_utc(delivered_at))


def project_facts(project: Project) -> ProjectFacts:
    chapter = project.chapter
    return facts_of_project(
        project_id=project.id, title=project.title, summary=project.summary, outcomes=project.outcomes,
        sdgs=project.sdgs, chapter_name=chapter.name, chapter_slug=chapter.slug, chapter_city=chapter.city,
        chapter_country=chapter.country, skills=[(skill.name, skill.slug) for skill in project.skills],
        competencies=[competency.code for competency in project.competencies],
        delivered_at=project.status_changed_at, endorsement=signed_endorsement(project))


@dataclass(frozen=True)
class MemberWork:
    """What one member did and learned on the project, their own part of their credential."""

    business_role: object = None
    goals: tuple[GoalResult, ...] = ()
    minutes: int = 0
    evidence: tuple[Evidence, ...] = ()


def members_work(connection, project_ids) -> dict[tuple[int, int], MemberWork]:
    """(project id, user id) → MemberWork of the current team members of `project_ids` (ids, or a select of
    them): their business role, goals, hours, accepted deliverables and public reflections, in five
    statements whatever the number of projects (the job reads one project, seed-scale all of them)."""
    learning = learning_queries.learning_of_teams(connection, project_ids)
    evidence: dict[tuple[int, int], list[Evidence]] = {}
    for item in project_queries.accepted_submissions(connection, project_ids):
        url = urls.absolute("projects.milestone", project_id=item.project_id, milestone_id=item.milestone_id)
        evidence.setdefault((item.project_id, item.author_id), []).append(
            Evidence(f"{url}#submission-{item.submission_id}", item.milestone_title, as_utc(item.accepted_at),
                     genre=_l("Deliverable")))
    for (project_id, user_id), own in learning.items():
        evidence.setdefault((project_id, user_id), []).extend(
            Evidence(urls.absolute("learning.reflection_detail", project_id=project_id, reflection_id=reflection_id),
                     _l("Reflection on “%(milestone)s”", milestone=title), genre=_l("Reflection"))
            for reflection_id, title in own.public_reflections)
    return {key: MemberWork(business_role=learning[key].role_label if key in learning else None,
                            goals=tuple(GoalResult(*goal) for goal in learning[key].goals) if key in learning else (),
                            minutes=learning[key].minutes if key in learning else 0,
                            evidence=tuple(evidence.get(key, ())))
            for key in set(learning) | set(evidence)}


def supported_locale(locale: str | None) -> str:
    """`locale` if the platform speaks it, else the default language."""
    languages = current_app.config["LANGUAGES"]
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def locale_of(user: User) -> str:
    return supported_locale(user.locale)


def credential_facts(shared: ProjectFacts, *, status_place: tuple[int, int], uuid: str, locale: str,
                     issued_at: datetime, recipient_email: str, role: str, joined_at: datetime,
                     salt: str | None = None, work: MemberWork | None = None) -> CredentialFacts:
    """Everything one credential says: its project's shared facts and the member's own (`status_place`,
    the list number and index of its revocation bit; `work`, what they did and learned)."""
    work = work or MemberWork()
    return CredentialFacts(
        credential_id=urls.credential_id(uuid), locale=locale, issuer=issuer_summary(),
        valid_from=as_utc(issued_at), recipient_email=recipient_email, salt=salt or secrets.token_hex(16),
        role=role, activity_start=as_utc(joined_at), activity_end=shared.delivered_at,
        project_title=shared.title, project_summary=shared.summary, project_url=shared.url,
        chapter_name=shared.chapter_name, chapter_url=shared.chapter_url, chapter_city=shared.chapter_city,
        chapter_country=shared.chapter_country, image_data_uri=shared.image,
        credential_status=status_list.entry(*status_place), skills=shared.skills, outcomes=shared.outcomes,
        sdgs=shared.sdgs, evidence=work.evidence,
        badge_png_url=urls.absolute("credentials.badge_png_image", credential_id=uuid),
        competency_url=urls.competency_url_template(),
        competencies=shared.competencies, business_role=work.business_role, goals=work.goals,
        minutes=work.minutes, endorsement=shared.endorsement)


def signed_documents(facts: CredentialFacts, key: keys.SigningKey) -> tuple[str, str]:
    """Build and sign the credential: (the JSON document with its Data Integrity proof, the VC-JWT)."""
    method = urls.verification_method(key.key_id)
    unsigned = build_credential(facts)
    signed = signing.add_proof(unsigned, key.private_key, method, facts.valid_from)
    document = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    return document, signing.encode_jwt(unsigned, key.private_key, method)


def sign(credential: Credential, facts: CredentialFacts) -> None:
    """Build, sign (Data Integrity proof and VC-JWT) and store the credential's documents."""
    credential.document, credential.jwt = signed_documents(facts, keys.key_by_id(credential.key_id))


PLACE_ATTEMPTS = 8  # draws of a status-list place before giving up (each lost only to a concurrent issuer)


class _PlaceTaken(Exception):
    """The drawn status-list place went to another credential between the draw and the insert."""


@dataclass(frozen=True)
class Holder:
    """Who a credential of the project goes to: a current team member, or a chapter lead who led it."""

    user: User
    role: str
    joined_at: datetime  # the start of their activity on the project


def _insert_at(project_id: int, member: Holder, locale: str, key_id: str, issued_at: datetime,
               place: tuple[int, int]) -> Credential | None:
    """Insert the credential row at `place` unless the person already has one for this project (ORM
    upsert: the new object comes back from RETURNING, None when it exists); _PlaceTaken if the place is."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    number, index = place
    statement = (dialect.insert(Credential)
                 .values(uuid=new_uuid(), recipient_id=member.user.id, project_id=project_id, role=member.role,
                         locale=locale, key_id=key_id, issued_at=issued_at, status_list_number=number,
                         status_list_index=index)
                 .on_conflict_do_nothing()  # either unique constraint: told apart below
                 .returning(Credential))
    credential = db.session.scalars(statement, execution_options={"populate_existing": True}).first()
    if credential is not None:
        return credential
    exists = db.session.scalar(select(Credential.id).where(Credential.recipient_id == member.user.id,
                                                           Credential.project_id == project_id))
    if exists is None:
        raise _PlaceTaken
    return None


def _insert_once(project_id: int, member: Holder, locale: str, key_id: str,
                 issued_at: datetime) -> Credential | None:
    """Insert the credential row at a random free status-list place, drawing again while another
    issuer takes the place first; None when the person already has a credential for this project."""
    for _ in range(PLACE_ATTEMPTS):
        try:
            return _insert_at(project_id, member, locale, key_id, issued_at, status_list.free_place())
        except _PlaceTaken:
            continue
    raise RuntimeError("No free status-list place after repeated draws.")


def project_leads(project: Project) -> set[int]:
    """The chapter's leads who led the project to delivery: who proposed it and who delivered it, if they still
    lead the chapter (one statement)."""
    delivered_by = select(AuditEvent.actor_id).where(AuditEvent.entity_type == "project",
                                                     AuditEvent.entity_id == project.id, AuditEvent.action == "deliver")
    return set(db.session.scalars(select(ChapterMembership.user_id).where(
        ChapterMembership.chapter_id == project.chapter_id, ChapterMembership.role.in_(LEAD_ROLES),
        or_(ChapterMembership.user_id == project.created_by_id, ChapterMembership.user_id.in_(delivered_by)))))


def _holders_without_credential(project: Project) -> list[Holder]:
    """The current team members, then the project's leads not on its team, who hold no credential for it yet.
    A lead on the team gets the lead's credential (with their own goals and hours)."""
    issued = select(Credential.recipient_id).where(Credential.project_id == project.id,
                                                   Credential.recipient_id.is_not(None))
    leads = project_leads(project)
    team = [Holder(user, LEAD_ROLE if user.id in leads else member.role, member.joined_at)
            for member, user in db.session.execute(
                select(TeamMember, User).join(User, User.id == TeamMember.user_id)
                .where(TeamMember.project_id == project.id, TeamMember.left_at.is_(None),
                       TeamMember.user_id.not_in(issued)).order_by(TeamMember.id))]
    on_team = select(TeamMember.user_id).where(TeamMember.project_id == project.id, TeamMember.left_at.is_(None))
    others = db.session.scalars(select(User).where(User.id.in_(leads), User.id.not_in(on_team),
                                                   User.id.not_in(issued)).order_by(User.id)) if leads else []
    return team + [Holder(user, LEAD_ROLE, project.created_at) for user in others]


def issue_for_project(project_id: int) -> list[Credential]:
    """Issue the missing credentials of a delivered project's current team and of the leads who led it;
    returns the new ones. Idempotent, and never commits (the job's transaction does)."""
    project = db.session.scalar(select(Project).where(Project.id == project_id)
                                .options(selectinload(Project.skills), selectinload(Project.impacts),
                                         selectinload(Project.competencies)))
    if project is None or project.status != "delivered":
        return []
    missing = _holders_without_credential(project)
    if not missing:
        return []
    shared = project_facts(project)
    work = members_work(db.session, [project.id])
    key_id = keys.current_key().key_id
    issued = []
    for holder in missing:
        user = holder.user
        credential = _insert_once(project.id, holder, locale_of(user), key_id, utcnow().replace(microsecond=0))
        if credential is None:  # another run issued it meanwhile
            continue
        sign(credential, credential_facts(shared, status_place=status_list.place(credential), uuid=credential.uuid,
                                          locale=credential.locale, issued_at=credential.issued_at,
                                          recipient_email=user.email, role=holder.role, joined_at=holder.joined_at,
                                          work=work.get((project.id, user.id))))
        issued.append(credential)
        notify([user], "credential_issued", url=credential_path(credential.uuid), project=project.title)
        announce("credential.issued", credential)
    db.session.flush()
    return issued


def revoke_credential(credential: Credential, actor, reason: str | None) -> None:
    """An admin or a lead of the project's chapter revokes a credential; the status list flips its bit
    and the recipient is told why."""
    require(actor, "credential.revoke", credential)
    reason = (reason or "").strip()
    if not reason:
        raise FieldError.on("reason", _("Say why the credential is revoked: the holder and verifiers see it."))
    if credential.is_revoked:
        raise DomainError(_("This credential is already revoked."))
    changed = db.session.execute(
        update(Credential).where(Credential.id == credential.id, Credential.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=actor.id, revocation_reason=reason)).rowcount
    if not changed:  # revoked by someone else at the same moment
        db.session.rollback()
        raise DomainError(_("This credential is already revoked."))
    audit.record(actor, "credential", credential.id, "revoke", "issued", "revoked", reason)
    recipient = db.session.get(User, credential.recipient_id) if credential.recipient_id else None
    project = db.session.get(Project, credential.project_id)
    notify([recipient], "credential_revoked", url=credential_path(credential.uuid), actor=actor,
           project=project.title, reason=reason)
    db.session.commit()
    db.session.refresh(credential)
