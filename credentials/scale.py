"""Scale data for credentials: real signed Open Badges credentials (Data Integrity proof and VC-JWT, built
and signed by credentials.issuing exactly as the delivery job does) for current team members of delivered
projects, up to the `credentials` size; about 1% revoked with a reason, as a chapter lead would.

The facts come back from the rows the earlier generators inserted (same transaction), read in bulk: the
delivered projects with their chapter, skills, SDGs and accepted milestones, and their current teams.
Credential ids follow the order of issuance (each project's team when it was delivered); each row's place in
the revocation status list is random, as for a credential issued by the job: distinct indexes drawn in bulk,
list after list (status_list.random_places).
Signing (mostly the JSON-LD canonicalization: about 2.7 ms a credential on one core, facts and insert
included) is the cost: with SIGN_PER_PROCESS credentials or more per core it runs over a process pool,
one process per core; everything else (facts, inserts) stays in this process.
"""
from __future__ import annotations

import multiprocessing
import os
import uuid as uuid_module
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from flask import current_app
from sqlalchemy import bindparam, select, update

from core.extensions import db
from core.scale import World, batched, scale_generator
from credentials import keys, status_list
from credentials.achievement import CredentialFacts
from credentials.endorsement import EndorsementFacts, as_text, signed_document
from credentials.issuing import (MemberWork, ProjectFacts, credential_facts, facts_of_project, members_work,
                                 signed_documents, supported_locale)
from projects.models import Project

REVOKED_SHARE = 0.01
INSERT_BATCH = 1_000  # signed rows per insert (and progress step): a signed credential is about 10 KB
SIGN_PER_PROCESS = 1_000  # fewer credentials than this per process: sign here, a pool would cost more
POOL_CHUNK = 50
REVOCATION_REASONS = [
    "Issued by mistake: this member left the team before the final milestone.",
    "The chapter's leads found that the member did not take part in the delivered work.",
    "The member asked for the credential to be withdrawn.",
]


@dataclass(frozen=True)
class Member:
    """A current team member of a delivered project, as read back."""

    project_id: int
    user_id: int
    role: str
    joined_at: datetime
    email: str
    locale: str


@scale_generator(order=50, label="Credentials", credentials=50_000)
def generate_credentials(world: World) -> None:
    key = keys.current_key()
    projects, chapters = delivered_projects(world.connection, sign_endorsements(world, key))
    work = members_work(world.connection, select(Project.id).where(Project.status == "delivered"))
    rows = planned_credentials(world, projects, current_members(world.connection), work, key.key_id)
    revoke_some(world, rows, chapters)
    insert_signed(world, rows, key)
    world.insert("notification", notifications(world, rows, projects))
    world.insert("audit_event", audits(world, rows))
    world.facts["credentials"] = len(rows)


def planned_credentials(world: World, projects: dict[int, ProjectFacts], members: list[Member],
                        work: dict[tuple[int, int], MemberWork], key_id: str) -> list[dict]:
    """Rows (unsigned, each with the facts it is signed from) for up to `credentials` members, in the order the
    delivery job issued them: minutes after each delivery, the whole team at once."""
    rng = world.rng
    issued = {project_id: min(world.now, facts.delivered_at + timedelta(minutes=rng.uniform(1, 30)))
              .replace(microsecond=0) for project_id, facts in sorted(projects.items())}
    chosen = sorted(rng.sample(range(len(members)), min(world.sizes["credentials"], len(members))),
                    key=lambda index: (issued[members[index].project_id], index))
    places = status_list.random_places(len(chosen), rng)
    return [credential_row(world, row_id, members[index], projects[members[index].project_id],
                           issued[members[index].project_id], key_id, place,
                           work.get((members[index].project_id, members[index].user_id)))
            for (row_id, index), place in zip(enumerate(chosen, start=1), places)]


def revoke_some(world: World, rows: list[dict], chapters: dict[int, int]) -> None:
    """REVOKED_SHARE of the credentials (one at least), each by the lead of its project's chapter."""
    count = max(1, round(len(rows) * REVOKED_SHARE)) if rows else 0
    for index in world.rng.sample(range(len(rows)), count):
        revoke(world, rows[index], world.facts["chapter_leads"][chapters[rows[index]["project_id"]]])


def insert_signed(world: World, rows: list[dict], key: keys.SigningKey) -> None:
    """Sign every row's facts and insert the rows in batches (the signed documents are not kept)."""
    facts = [row.pop("facts") for row in rows]
    with closing(sign_all(facts, key)) as signed:
        for batch in batched(rows, INSERT_BATCH):
            world.insert("credential", [{**row, "document": document, "jwt": jwt}
                                        for row, (document, jwt) in zip(batch, signed)])


def sign_endorsements(world: World, key: keys.SigningKey) -> dict[int, dict]:
    """Sign the endorsements learning/scale.py recorded (as the service signs each one) and store them;
    returns each endorsed project's signed endorsement."""
    from accounts.models import User
    from chapters.models import Chapter
    from learning.models import ProjectEndorsement
    from sponsors.models import SponsorOrganisation

    rows = world.connection.execute(
        select(ProjectEndorsement.id, ProjectEndorsement.project_id, ProjectEndorsement.text,
               ProjectEndorsement.created_at, SponsorOrganisation.id.label("organisation_id"),
               SponsorOrganisation.name, SponsorOrganisation.slug, Project.title, Chapter.name.label("chapter"),
               User.locale)
        .join(SponsorOrganisation, SponsorOrganisation.id == ProjectEndorsement.organisation_id)
        .join(Project, Project.id == ProjectEndorsement.project_id).join(Chapter, Chapter.id == Project.chapter_id)
        .outerjoin(User, User.id == ProjectEndorsement.author_id)
        .where(ProjectEndorsement.document.is_(None)).order_by(ProjectEndorsement.id)).all()
    signed, updates = {}, []
    for row in rows:
        uuid = str(uuid_module.UUID(int=world.rng.getrandbits(128), version=4))
        document = signed_document(EndorsementFacts(
            uuid=uuid, organisation_id=row.organisation_id, organisation_name=row.name, organisation_slug=row.slug,
            project_id=row.project_id, project_title=row.title, chapter_name=row.chapter, comment=row.text,
            created_at=row.created_at, locale=supported_locale(row.locale)), key)
        signed[row.project_id] = document
        updates.append({"row_id": row.id, "uuid": uuid, "document": as_text(document)})
    table = ProjectEndorsement.__table__
    for batch in batched(updates, INSERT_BATCH):
        world.connection.execute(update(table).where(table.c.id == bindparam("row_id"))
                                 .values(uuid=bindparam("uuid"), document=bindparam("document")), batch)
    return signed


def delivered_projects(connection, endorsements: dict[int, dict]) -> tuple[dict[int, ProjectFacts], dict[int, int]]:
    """Each delivered project's shared credential facts (with its signed endorsement), and its chapter id
    (four bulk queries)."""
    tables = db.metadata.tables
    project, chapter, skill = tables["project"], tables["chapter"], tables["skill"]
    project_skill, impact, competency = tables["project_skill"], tables["project_impact"], tables["project_competency"]
    delivered = project.c.status == "delivered"
    skills, sdgs, competencies = defaultdict(list), defaultdict(list), defaultdict(list)
    for project_id, name, slug in connection.execute(
            select(project_skill.c.project_id, skill.c.name, skill.c.slug).join(skill)
            .join(project, project.c.id == project_skill.c.project_id).where(delivered)
            .order_by(project_skill.c.project_id, skill.c.name)):
        skills[project_id].append((name, slug))
    for project_id, sdg in connection.execute(select(impact.c.project_id, impact.c.sdg).join(project).where(delivered)
                                              .order_by(impact.c.project_id, impact.c.sdg)):
        sdgs[project_id].append(sdg)
    for project_id, code in connection.execute(select(competency.c.project_id, competency.c.code).join(project)
                                               .where(delivered)):
        competencies[project_id].append(code)
    facts, chapters = {}, {}
    for row in connection.execute(
            select(project.c.id, project.c.title, project.c.summary, project.c.learning_outcomes,
                   project.c.status_changed_at, project.c.chapter_id, chapter.c.name, chapter.c.slug, chapter.c.city,
                   chapter.c.country).join(chapter).where(delivered)):
        chapters[row.id] = row.chapter_id
        facts[row.id] = facts_of_project(
            project_id=row.id, title=row.title, summary=row.summary,
            outcomes=[line.strip() for line in row.learning_outcomes.splitlines() if line.strip()],
            sdgs=sdgs[row.id], chapter_name=row.name, chapter_slug=row.slug, chapter_city=row.city,
            chapter_country=row.country, skills=skills[row.id], competencies=competencies[row.id],
            delivered_at=row.status_changed_at, endorsement=endorsements.get(row.id))
    return facts, chapters


def current_members(connection) -> list[Member]:
    """The current team members of delivered projects, in team order."""
    tables = db.metadata.tables
    team, project, user = tables["team_member"], tables["project"], tables["user"]
    return [Member(row.project_id, row.user_id, row.role, row.joined_at, row.email, supported_locale(row.locale))
            for row in connection.execute(
                select(team.c.project_id, team.c.user_id, team.c.role, team.c.joined_at, user.c.email, user.c.locale)
                .join(project, project.c.id == team.c.project_id).join(user, user.c.id == team.c.user_id)
                .where(project.c.status == "delivered", team.c.left_at.is_(None))
                .order_by(team.c.project_id, team.c.id))]


def credential_row(world: World, row_id: int, member: Member, project: ProjectFacts, issued_at: datetime,
                   key_id: str, place: tuple[int, int], work: MemberWork | None) -> dict:
    """The credential's row (its documents signed later) with the facts it will be signed from."""
    rng = world.rng
    uuid = str(uuid_module.UUID(int=rng.getrandbits(128), version=4))
    facts = credential_facts(project, status_place=place, uuid=uuid, locale=member.locale, issued_at=issued_at,
                             recipient_email=member.email, role=member.role, joined_at=member.joined_at,
                             salt=f"{rng.getrandbits(128):032x}", work=work)
    return {"id": row_id, "uuid": uuid, "recipient_id": member.user_id, "project_id": member.project_id,
            "role": member.role, "locale": member.locale, "key_id": key_id, "issued_at": issued_at,
            "status_list_number": place[0], "status_list_index": place[1],
            "revoked_at": None, "revoked_by_id": None, "revocation_reason": None, "facts": facts}


def revoke(world: World, row: dict, lead: int) -> None:
    """Revoked by the lead of the project's chapter, some days after issuance (never in the future)."""
    revoked_at = min(world.now, row["issued_at"] + timedelta(days=world.rng.uniform(1, 60)))
    row.update(revoked_at=revoked_at, revoked_by_id=lead, revocation_reason=world.rng.choice(REVOCATION_REASONS))


def sign_all(facts: list[CredentialFacts], key: keys.SigningKey) -> Iterator[tuple[str, str]]:
    """(document, VC-JWT) of each credential, in order: over a pool of forked processes (one per core) when
    there are enough credentials to share, else here. The forked processes only build and sign: they never
    touch the database connection they inherit, and end without closing it."""
    processes = signing_processes(len(facts))
    if processes < 2:
        yield from (signed_documents(item, key) for item in facts)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_signer, initargs=(current_app._get_current_object(), key)) as pool:
        yield from pool.imap(_sign, facts, chunksize=POOL_CHUNK)


def signing_processes(count: int) -> int:
    """How many processes sign `count` credentials: one per core, each with SIGN_PER_PROCESS at least."""
    return min(os.cpu_count() or 1, count // SIGN_PER_PROCESS)


_signer: dict = {}


def _start_signer(app, key: keys.SigningKey) -> None:
    app.app_context().push()  # translations (each credential is in its holder's language) and BASE_URL
    _signer["key"] = key


def _sign(facts: CredentialFacts) -> tuple[str, str]:
    return signed_documents(facts, _signer["key"])


def notifications(world: World, rows: list[dict], projects: dict[int, ProjectFacts]):
    """What the holders were told: each issuance (in the app, mostly read) and each revocation (by email)."""
    rng, next_id = world.rng, world.counts.get("notification", 0)
    for row in rows:
        title, url = projects[row["project_id"]].title, f"/credentials/{row['uuid']}"
        events = [("credential_issued", row["issued_at"], {"project": title}, None)]
        if row["revoked_at"]:
            events.append(("credential_revoked", row["revoked_at"],
                           {"project": title, "reason": row["revocation_reason"], "actor": "a chapter lead"},
                           row["revoked_by_id"]))
        for kind, at, params, actor in events:
            next_id += 1
            yield {"id": next_id, "user_id": row["recipient_id"], "kind": kind, "actor_id": actor, "url": url,
                   "params": params, "created_at": at,
                   "read_at": at + timedelta(hours=rng.uniform(1, 48)) if rng.random() < 0.7 else None,
                   "emailed_at": at if kind == "credential_revoked" else None}


def audits(world: World, rows: list[dict]):
    """The audit log's entry for each revocation, as revoke_credential records it."""
    next_id = world.counts.get("audit_event", 0)
    for row in rows:
        if row["revoked_at"]:
            next_id += 1
            yield {"id": next_id, "created_at": row["revoked_at"], "actor_id": row["revoked_by_id"],
                   "entity_type": "credential", "entity_id": row["id"], "action": "revoke", "from_state": "issued",
                   "to_state": "revoked", "reason": row["revocation_reason"]}
