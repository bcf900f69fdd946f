"""`flask seed-scale` at a small scale: the sizes asked for, and data consistent with the lifecycles."""
import json

from flask import current_app
from sqlalchemy import func, select

from accounts.models import User
from chapters.models import Chapter, ChapterMembership
from core.audit import AuditEvent
from core.extensions import db
from credentials import scale as credentials_scale
from credentials import status_list
from credentials.models import Credential
from credentials.queries import by_uuid
from credentials.verification import verify_credential
from projects.models import PROJECT_STATES, Application, Milestone, Project, Review, Submission, TeamMember
from sponsors.models import SponsorOrganisation, Sponsorship
from tests.factories import make_user

ARGS = ["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "1200", "--milestones", "350",
        "--quiet"]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def seed(runner, *extra):
    result = runner.invoke(args=[*ARGS, *extra])
    assert result.exit_code == 0, result.output
    return result


def test_seed_scale_makes_the_sizes_asked_for(runner):
    seed(runner)
    assert count(User) == 100 and count(Chapter) == 1 and count(Project) == 100
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email_verified_at.is_(None))) == 0
    assert count(Milestone) == 350
    assert count(SponsorOrganisation) == 2 and count(Sponsorship) == 10
    # Applications: one per member and project at most, so a project never gets more than the members.
    assert 1000 <= count(Application) <= 1200
    assert set(db.session.scalars(select(Project.status).distinct())) == set(PROJECT_STATES)
    assert count(Submission) > 0 and count(Review) > 0
    assert count(Credential) == 50


def test_seed_scale_data_follows_the_lifecycles(runner):
    seed(runner)
    current = (select(TeamMember.project_id, func.count().label("n")).where(TeamMember.left_at.is_(None))
               .group_by(TeamMember.project_id).subquery())
    accepted = (select(Application.project_id, func.count().label("n")).where(Application.status == "accepted")
                .group_by(Application.project_id).subquery())
    rows = db.session.execute(
        select(Project.status, Project.team_size, Project.team_min, Project.team_max,
               func.coalesce(current.c.n, 0), func.coalesce(accepted.c.n, 0))
        .outerjoin(current, current.c.project_id == Project.id)
        .outerjoin(accepted, accepted.c.project_id == Project.id)).all()
    for status, size, team_min, team_max, members, accepted_count in rows:
        assert size == members == accepted_count <= team_max
        if status in ("active", "delivered"):
            assert size >= team_min
    assert count(Milestone, Milestone.project.has(Project.status == "delivered"), Milestone.status != "accepted") == 0
    assert count(Milestone, Milestone.project.has(Project.status.in_(("draft", "recruiting"))),
                 Milestone.status != "planned") == 0
    assert count(Application, Application.project.has(Project.status == "draft")) == 0
    assert count(Application, Application.status == "pending",
                 Application.project.has(Project.status != "recruiting")) == 0
    assert count(Sponsorship, Sponsorship.status.in_(("offered", "requested")),
                 Sponsorship.project.has(Project.status.notin_(("recruiting", "active")))) == 0
    leads = count(ChapterMembership, ChapterMembership.role == "lead")
    assert leads == count(Chapter)


def test_seed_scale_refuses_a_database_that_holds_data_unless_forced(runner):
    make_user("someone")
    refused = runner.invoke(args=ARGS)
    assert refused.exit_code != 0 and "already holds data" in refused.output
    assert count(User) == 1
    seed(runner, "--force")
    assert count(User) == 100
    assert db.session.scalar(select(User.id).where(User.handle == "someone")) is None


def test_after_seed_scale_new_rows_get_fresh_ids(runner):
    seed(runner)
    user = make_user("newcomer")
    assert user.id == 101


def test_seed_scale_is_deterministic(runner):
    seed(runner)
    first = db.session.execute(select(Project.title, Project.status).order_by(Project.id)).all()
    seed(runner, "--force")
    assert db.session.execute(select(Project.title, Project.status).order_by(Project.id)).all() == first


def eligible_members():
    """(user, project) of every current team member of a delivered project."""
    return set(db.session.execute(select(TeamMember.user_id, TeamMember.project_id).join(Project)
                                  .where(Project.status == "delivered", TeamMember.left_at.is_(None))))


def test_seed_scale_issues_signed_credentials_to_delivered_teams(runner):
    seed(runner)
    credentials = db.session.scalars(select(Credential).order_by(Credential.id)).all()
    holders = [(c.recipient_id, c.project_id) for c in credentials]
    assert len(holders) == len(set(holders)) == 50  # UNIQUE(recipient, project), and the size asked for
    assert set(holders) <= eligible_members() and len(eligible_members()) > 50  # "up to": some were left out
    assert [c.id for c in credentials] == list(range(1, 51))
    assert [c.issued_at for c in credentials] == sorted(c.issued_at for c in credentials)  # ids follow issuance
    places = [status_list.place(c) for c in credentials]  # random, distinct, in one list: not in issuance order
    indexes = [index for _, index in places]
    assert len(set(places)) == 50 and {number for number, _ in places} == {1} and indexes != sorted(indexes)
    revoked = [c for c in credentials if c.is_revoked]
    assert len(revoked) == 1 and revoked[0].revocation_reason and revoked[0].revoked_at >= revoked[0].issued_at
    lead = db.session.scalar(select(ChapterMembership.user_id)
                             .join(Project, Project.chapter_id == ChapterMembership.chapter_id)
                             .where(Project.id == revoked[0].project_id, ChapterMembership.role == "lead"))
    assert revoked[0].revoked_by_id == lead
    assert count(AuditEvent, AuditEvent.entity_type == "credential", AuditEvent.action == "revoke",
                 AuditEvent.entity_id == revoked[0].id) == 1
    for credential in (credentials[0], credentials[-1], revoked[0]):
        document = json.loads(by_uuid(credential.uuid).document)
        assert document["id"] == f"{current_app.config['BASE_URL']}/credentials/{credential.uuid}"
        assert document["credentialStatus"] == status_list.entry(*status_list.place(credential))
        verification = verify_credential(by_uuid(credential.uuid))
        assert verification.signature_ok and verification.jwt_ok and verification.issuer_ok, verification.details
        assert verification.revoked == (credential is revoked[0])
        assert verification.ok == (credential is not revoked[0])


def test_seed_scale_signs_the_same_credentials_over_a_process_pool(runner, monkeypatch):
    seed(runner)
    signed = select(Credential.uuid, Credential.document, Credential.jwt).order_by(Credential.id)
    alone = db.session.execute(signed).all()
    monkeypatch.setattr(credentials_scale, "SIGN_PER_PROCESS", 10)
    monkeypatch.setattr(credentials_scale.os, "cpu_count", lambda: 2)
    assert credentials_scale.signing_processes(50) == 2  # so sign_all forks a pool of two
    seed(runner, "--force")
    assert db.session.execute(signed).all() == alone  # Ed25519 signs deterministically, and the facts are seeded
