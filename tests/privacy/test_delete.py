"""Deleting an account: the person goes everywhere; what the community needs stays, without them."""
import json

import pytest
from sqlalchemy import JSON, String, Text, cast, func, or_, select

from accounts.models import Notification, NotificationPreference
from core.audit import AuditEvent
from core.extensions import db
from credentials.models import Credential
from learning.models import Reflection
from privacy.models import DataExport
from projects.models import Milestone, Submission, TeamMember
from projects.services import apply_to_project, decide_application
from sponsors.models import SponsorMember
from tests.conftest import fresh
from tests.credentials.independent import fetch_json, published_documents, verify
from tests.factories import (add_member, issue_credentials, make_admin, make_application, make_chapter,
                             make_delivered_project, make_organisation, make_project, make_user)

NAME, HANDLE, EMAIL = "Zelda Quixote", "zeldaq", "zelda.quixote@example.org"


@pytest.fixture
def zelda(app, client, auth):
    """A member with something everywhere: chapter, applications (one accepted, named in others'
    notifications and the project feed), a delivered team with a deliverable, an organisation, a credential,
    a data export, notifications and preferences."""
    zelda = make_user(HANDLE, name=NAME, email=EMAIL, city="Zaragoza", bio="I build maps.")
    lead = make_user("lead")
    chapter = make_chapter(lead)
    add_member(chapter, zelda)
    add_member(chapter, make_user("colead"), role="co_lead")
    recruiting = make_project(chapter, status="recruiting")
    application = apply_to_project(recruiting, zelda, "I want to map the water points of my city.", None)
    decide_application(application, lead, "accept", "Welcome aboard, Zelda Quixote!")
    delivered = make_delivered_project(chapter, team=(zelda,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == delivered.id))
    submission = Submission(milestone_id=milestone.id, author_id=zelda.id, note="The final map", link=None)
    db.session.add(submission)
    db.session.flush()
    db.session.add(Reflection(submission_id=submission.id, project_id=delivered.id, author_id=zelda.id,
                              did="Zelda Quixote drew the map layers.", learned="Scoping with a sponsor.",
                              differently="Ask for data earlier.", public=True))
    org = make_organisation(make_user("sadmin"), reviewers=(zelda,))
    db.session.commit()
    issue_credentials(delivered)
    auth.login_as(zelda)
    client.post("/me/data")
    db.session.add(NotificationPreference(user_id=zelda.id, kind="application_received", channel="digest"))
    db.session.commit()
    return {"user": zelda, "delivered": delivered, "org": org, "chapter": chapter, "lead": lead}


def text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text, JSON)):
                yield table, column


def where_found(*words) -> list[str]:
    """Every table.column holding any of `words`, in any row, as text (JSON included, escaped or not)."""
    found = []
    needles = {n for w in words for n in (w, json.dumps(w)[1:-1])}
    for table, column in text_columns():
        text = cast(column, Text)
        hits = db.session.scalar(select(func.count()).select_from(table)
                                 .where(or_(*(text.contains(n, autoescape=True) for n in needles))))
        if hits:
            found.append(f"{table.name}.{column.name}")
    return found


def test_the_scan_finds_the_member_before_deletion(zelda):
    """The search below can find them: before deletion they are in many places."""
    found = where_found(NAME, HANDLE, EMAIL)
    assert {"user.name", "user.handle", "user.email", "notification.params", "project_activity.params",
            "application.decision_message", "audit_event.reason"} <= set(found), found


def test_after_deletion_nothing_names_them_and_the_communitys_work_stays(client, auth, zelda):
    user = zelda["user"]
    credential = db.session.scalar(select(Credential).where(Credential.recipient_id == user.id))
    response = client.post("/me/delete", data={"current_password": "correct horse battery", "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert where_found(NAME, HANDLE, EMAIL, "Zaragoza", "I build maps.") == []
    gone = fresh(user)
    assert (gone.name, gone.deleted_at is not None, gone.is_suspended) == ("Former member", True, True)
    assert db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == user.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 0
    assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0  # their own writing, even public
    assert db.session.scalar(select(func.count()).select_from(SponsorMember)
                             .where(SponsorMember.user_id == user.id)) == 0
    # The team's work stays, by "Former member".
    assert db.session.scalar(select(Submission.note).where(Submission.author_id == user.id)) == "The final map"
    assert db.session.scalar(select(func.count()).select_from(TeamMember).where(TeamMember.user_id == user.id)) == 2
    # Signed out, the profile gone, the address and handle free again.
    assert client.get("/me").status_code == 302
    assert client.get(f"/u/former-{user.id}").status_code == 404
    assert auth.login(EMAIL, "correct horse battery").status_code == 400
    make_user(HANDLE, email=EMAIL)
    # The credential still verifies (it holds a salted hash of the address, not the person).
    fresh(credential)
    documents = published_documents(client)
    status = fetch_json(client, f"/credentials/status/{credential.status_list_number}")
    signed = json.loads(db.session.scalar(select(Credential.document).where(Credential.id == credential.id)))
    result = verify(documents, signed, None, status)
    assert result["dataIntegrity"] == {"verified": True, "status": {"verified": True, "revoked": False}}, result


def test_credentials_are_revoked_when_the_member_asks(client, auth, zelda):
    user = zelda["user"]
    client.post("/me/delete", data={"current_password": "correct horse battery", "confirm": "y",
                                    "revoke_credentials": "y"})
    [credential] = db.session.scalars(select(Credential).where(Credential.recipient_id == user.id)).all()
    assert credential.revoked_at is not None
    status = fetch_json(client, f"/credentials/status/{credential.status_list_number}")
    signed = json.loads(db.session.scalar(select(Credential.document).where(Credential.id == credential.id)))
    assert verify(published_documents(client), signed, None, status)["dataIntegrity"]["status"]["revoked"] is True


def test_a_wrong_password_or_no_confirmation_deletes_nothing(client, auth, zelda):
    for data, field in (({"current_password": "wrong password!", "confirm": "y"}, "current_password"),
                        ({"current_password": "correct horse battery"}, "confirm")):
        response = client.post("/me/delete", data=data)
        assert response.status_code == 400 and f'id="{field}-error"' in response.get_data(as_text=True)
    assert fresh(zelda["user"]).deleted_at is None


def test_the_last_lead_and_the_last_admin_hand_over_first(client, auth, app):
    lead = make_user("onlylead")
    make_chapter(lead, name="Solo Chapter")
    make_organisation(lead, name="Solo Fund")
    auth.login_as(lead)
    page = client.get("/me/delete").get_data(as_text=True)
    assert "last lead of Solo Chapter" in page and "last admin of Solo Fund" in page
    response = client.post("/me/delete", data={"current_password": "correct horse battery", "confirm": "y"},
                           follow_redirects=True)
    assert "last lead of Solo Chapter" in response.get_data(as_text=True)
    assert fresh(lead).deleted_at is None


def test_an_admin_deletes_an_account_at_its_owners_request(client, auth, zelda):
    auth.login_as(make_admin("boss"))
    response = client.post(f"/admin/users/{zelda['user'].id}/delete", data={"reason": "Asked by email on 3 May."})
    assert response.status_code == 302
    assert where_found(NAME, EMAIL) == []


def test_their_place_in_the_team_reads_former_member_in_the_readers_language(client, auth, zelda):
    auth.login_as(make_admin("boss"))
    client.post(f"/admin/users/{zelda['user'].id}/delete")
    auth.logout()
    client.get("/language?locale=fr")
    page = client.get(f"/projects/{zelda['delivered'].id}").get_data(as_text=True)
    assert "Ancien membre" in page and NAME not in page


def test_a_deleted_account_cannot_be_deleted_again(client, auth, zelda):
    auth.login_as(make_admin("boss"))
    client.post(f"/admin/users/{zelda['user'].id}/delete")
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert client.post(f"/admin/users/{zelda['user'].id}/delete").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows
