"""Revoking: admins and the project's chapter leads, with a reason; audited; the holder is told."""
import pytest
from sqlalchemy import select

from accounts.models import Notification
from core.audit import AuditEvent
from core.errors import DomainError, FieldError
from core.extensions import db
from credentials.issuing import revoke_credential
from credentials.verification import verify_credential
from credentials.views import credential_or_404
from tests.factories import add_member, make_admin, make_user


def loaded(app, credential):
    with app.test_request_context():
        return credential_or_404(credential.uuid)


def test_a_lead_revokes_with_a_reason(app, issued, lead, team):
    credential = loaded(app, issued[0])
    revoke_credential(credential, lead, "  Did not take part.  ")
    db.session.expire_all()
    credential = loaded(app, issued[0])
    assert credential.is_revoked and credential.revocation_reason == "Did not take part."
    assert credential.revoked_by_id == lead.id
    verification = verify_credential(credential)
    assert verification.revoked and not verification.ok and verification.signature_ok
    assert verification.reason == "Did not take part." and verification.revoked_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "credential"))
    assert (event.action, event.to_state, event.reason) == ("revoke", "revoked", "Did not take part.")
    note = db.session.scalar(select(Notification).where(Notification.kind == "credential_revoked"))
    assert note.user_id == credential.recipient_id and note.url == f"/credentials/{credential.uuid}"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(app, issued, lead, reason):
    credential = loaded(app, issued[0])
    with pytest.raises(FieldError) as error:
        revoke_credential(credential, lead, reason)
    assert "reason" in error.value.errors
    db.session.rollback()
    assert not loaded(app, issued[0]).is_revoked


def test_revoking_twice_is_refused(app, issued):
    admin = make_admin("root")
    revoke_credential(loaded(app, issued[0]), admin, "Mistake.")
    with pytest.raises(DomainError):
        revoke_credential(loaded(app, issued[0]), admin, "Again.")


def test_members_and_other_leads_cannot_revoke(app, issued, chapter, team):
    from werkzeug.exceptions import Forbidden

    for user in (team[0], add_member(chapter, make_user("plainmember")), make_user("stranger")):
        with pytest.raises(Forbidden):
            revoke_credential(loaded(app, issued[0]), user, "No.")
    assert not loaded(app, issued[0]).is_revoked


def test_the_revocation_form_without_a_reason_changes_nothing(client, auth, app, issued, lead):
    auth.login_as(lead)
    response = client.post(f"/credentials/{issued[0].uuid}/revoke", data={"reason": ""})
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert not loaded(app, issued[0]).is_revoked


def test_revoking_an_unknown_credential_is_404(client, auth, issued, lead):
    auth.login_as(lead)
    assert client.post("/credentials/00000000-0000-4000-8000-000000000000/revoke",
                       data={"reason": "x"}).status_code == 404
