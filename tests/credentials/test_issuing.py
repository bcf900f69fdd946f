"""Issuing on delivery: one credential per current team member, exactly once, in their language."""

import pytest
from sqlalchemy import func, select

from accounts.models import Notification, User
from core import jobs
from core.extensions import db
from credentials import signing
from credentials.models import Credential
from credentials.verification import verify_credential
from projects import services
from projects.models import Milestone, TeamMember
from tests.credentials.conftest import BASE_URL, credentials_of, document, issue
from tests.factories import make_project, make_user


def count(project_id):
    return db.session.scalar(select(func.count()).select_from(Credential).where(Credential.project_id == project_id))


def test_delivering_a_project_issues_one_credential_per_current_member_and_its_lead(app, chapter, lead, team):
    leaver = make_user("leaver")
    project = make_project(chapter, status="active", team=(*team, leaver), milestones=1)
    db.session.execute(TeamMember.__table__.update().where(TeamMember.user_id == leaver.id)
                       .values(left_at=func.now()))
    for milestone in db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)):
        milestone.status = "accepted"
    db.session.commit()
    services.transition_project(project, lead, "deliver")  # the after-commit job runs inline
    issued = credentials_of(project.id)
    # The team (not who left), and the lead who delivered it.
    assert sorted((c.recipient_id, c.role) for c in issued) == sorted(
        [(u.id, "contributor") for u in team] + [(lead.id, "project_lead")])
    assert all(verify_credential(c).ok for c in issued)
    notes = db.session.scalars(select(Notification).where(Notification.kind == "credential_issued")).all()
    assert sorted(n.user_id for n in notes) == sorted(u.id for u in (*team, lead))


def test_running_the_job_twice_issues_once(app, delivered):
    first = issue(delivered.id)
    again = issue(delivered.id)
    assert len(first) == 2 and [c.id for c in again] == [c.id for c in first]
    assert count(delivered.id) == 2


def test_a_crash_half_way_then_a_rerun_issues_each_missing_credential_once(app, delivered, monkeypatch):
    calls = {"n": 0}
    real_add_proof = signing.add_proof

    def failing_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("signing crashed")
        return real_add_proof(*args, **kwargs)

    monkeypatch.setattr(signing, "add_proof", failing_second)
    intent = jobs.enqueue("credentials.tasks.issue_for_project", delivered.id)
    db.session.commit()  # handed over inline: the job fails on the second member
    db.session.refresh(intent)
    assert intent.status == "pending" and "signing crashed" in intent.last_error
    assert count(delivered.id) == 0  # the job's transaction rolled back as a whole
    monkeypatch.setattr(signing, "add_proof", real_add_proof)
    db.session.execute(jobs.JobIntent.__table__.update().values(run_after=func.now()))
    db.session.commit()
    assert jobs.run_intent(intent.id) == "done"
    assert count(delivered.id) == 2
    assert jobs.run_intent(intent.id) == "skipped"
    issue(delivered.id)
    assert count(delivered.id) == 2


def test_a_member_issued_by_a_concurrent_run_is_skipped_not_duplicated(app, delivered):
    from credentials import issuing

    first = issuing.issue_for_project(delivered.id)  # not committed: the other run's view below
    assert len(first) == 2
    assert issuing._holders_without_credential(delivered) == []
    # The constraint is what guarantees it: a direct second insert for the same person does nothing.
    member = db.session.scalar(select(TeamMember).where(TeamMember.project_id == delivered.id))
    holder = issuing.Holder(db.session.get(User, member.user_id), member.role, member.joined_at)
    assert issuing._insert_once(delivered.id, holder, "en", "key-1", first[0].issued_at) is None
    db.session.commit()
    assert count(delivered.id) == 2


def test_projects_not_delivered_get_nothing(app, chapter, team):
    project = make_project(chapter, status="active", team=team)
    assert issue(project.id) == []


def test_credential_content_follows_open_badges_3(app, issued, team):
    french, english = team
    by_recipient = {c.recipient_id: document(c) for c in issued}
    doc = by_recipient[english.id]
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    issuer = doc["issuer"]
    assert issuer["id"] == "did:web:chapterhouse.example" and issuer["type"] == ["Profile"]
    assert issuer["name"] == "Chapterhouse" and issuer["url"] == BASE_URL and issuer["description"]
    assert issuer["image"] == {"id": f"{BASE_URL}/credentials/issuer/logo.png", "type": "Image",
                               "caption": "Chapterhouse"}
    credential = next(c for c in issued if c.recipient_id == english.id)
    assert doc["id"] == f"{BASE_URL}/credentials/{credential.uuid}"
    # What wallets show: a description, the award date, and a PNG badge beside the achievement's SVG.
    assert doc["awardedDate"] == doc["validFrom"]
    assert "Clean water map" in doc["description"] and "Lyon Makers" in doc["description"]
    assert doc["image"]["id"] == f"{BASE_URL}/credentials/{credential.uuid}/badge.png"
    assert doc["image"]["type"] == "Image" and doc["image"]["caption"]
    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["role"] == "Contributor"
    identity = subject["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityType"] == "emailAddress" and identity["identityHash"].startswith("sha256$")
    import hashlib
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        ("sam@example.org" + identity["salt"]).encode()).hexdigest()
    assert "sam@example.org" not in credential.document
    achievement = subject["achievement"]
    assert achievement["name"] == "Clean water map" and achievement["type"] == ["Achievement"]
    assert achievement["creator"]["name"] == "Lyon Makers" and achievement["creator"]["type"] == ["Profile"]
    assert achievement["image"]["type"] == "Image" and achievement["image"]["id"].startswith("data:image/svg+xml;base64,")
    assert sorted(achievement["tag"]) == ["Cartography", "Python"]
    targets = {a["targetName"]: a for a in achievement["alignment"]}
    assert {"Python", "Cartography", "Clean water and sanitation", "Sustainable cities and communities"} <= set(targets)
    assert targets["Clean water and sanitation"]["targetUrl"] == "https://sdgs.un.org/goals/goal6"
    # Sam's own evidence: his accepted deliverable (his reflection is private, Léa's deliverable is hers).
    assert [(e["name"], e["genre"]) for e in doc["evidence"]] == [("Milestone 2", "Deliverable")]
    assert doc["evidence"][0]["id"].startswith(f"{BASE_URL}/projects/{credential.project_id}/milestones/")
    assert doc["evidence"][0]["id"].endswith("#submission-2")
    status = doc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == f"{BASE_URL}/credentials/status/1"
    assert status["statusListIndex"] == str(credential.status_list_index)
    proof = doc["proof"][0]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022" and proof["proofValue"].startswith("z")
    assert proof["verificationMethod"] == "did:web:chapterhouse.example#key-1"


def test_credential_text_is_in_the_members_language(app, issued, team):
    french, english = team
    doc = document(next(c for c in issued if c.recipient_id == french.id))
    subject = doc["credentialSubject"]
    assert subject["role"] == "Responsable du budget"  # her business role; her team role is in the description
    assert "responsable de tâche" in doc["description"]
    assert "projet" in subject["achievement"]["description"]
    assert "Lyon Makers" in subject["achievement"]["criteria"]["narrative"]
    assert subject["achievement"]["inLanguage"] == "fr"
    assert "Eau propre et assainissement" in {a["targetName"] for a in subject["achievement"]["alignment"]}


def test_the_jwt_carries_the_same_credential(app, issued):
    from credentials import keys

    key = keys.current_key()
    for credential in issued:
        payload, reason = signing.decode_jwt(credential.jwt, lambda kid: key.public_key if kid.endswith("#key-1") else None)
        assert reason == "ok" and payload == signing.unsecured(document(credential))


@pytest.mark.postgres_only
def test_two_runs_at_the_same_moment_issue_each_credential_once(app, delivered):
    """Two sessions run the job at once; the UNIQUE constraint makes the second skip every member."""
    import threading
    import traceback

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from credentials import issuing

    from credentials import keys

    keys.current_key()  # the key file exists before the race
    project_id = delivered.id
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    barrier, outcomes, errors = threading.Barrier(2), [], []

    def run():
        with app.app_context(), Session(engine) as session:
            db.session.registry.set(session)
            try:
                barrier.wait()
                issued = issuing.issue_for_project(project_id)
                session.commit()
                outcomes.append(len(issued))
            except Exception:  # noqa: BLE001 - reported below
                errors.append(traceback.format_exc())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert errors == [], "\n".join(errors)
    assert sorted(outcomes) in ([0, 2], [1, 1])
    assert count(delivered.id) == 2
