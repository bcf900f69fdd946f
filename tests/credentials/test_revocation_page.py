"""Revoking a credential from its page: the chapter's leads and admins, with a reason; nobody else."""
import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.extensions import db
from tests.conftest import fresh
from tests.credentials.conftest import page_of

REASON = "Left the team before the final milestone."


def revoke(client, credential, reason=REASON, **kwargs):
    return client.post(f"{page_of(credential)}/revoke", data={"reason": reason}, **kwargs)


@pytest.mark.parametrize("role", ["lead", "co_lead", "admin"])
def test_allowed_roles_revoke_with_a_reason_and_the_page_says_so(client, auth, w, role):
    auth.login_as(w[role])
    assert 'action="%s/revoke"' % page_of(w["credential"]) in client.get(page_of(w["credential"])).get_data(as_text=True)
    response = revoke(client, w["credential"])
    assert response.status_code == 302 and response.headers["Location"] == page_of(w["credential"])
    credential = fresh(w["credential"])
    assert credential.is_revoked and credential.revocation_reason == REASON
    assert credential.revoked_by_id == w[role].id
    auth.logout()
    html = client.get(page_of(credential)).get_data(as_text=True)
    assert f"Revoked on {credential.revoked_at.strftime('%b')}" in html and REASON in html
    assert "This credential does not pass verification." in html
    assert "Add to LinkedIn profile" not in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_revocation_without_a_reason_is_refused_next_to_the_field(client, auth, w, reason):
    auth.login_as(w["lead"])
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = revoke(client, w["credential"], reason)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="reason-error"' in html and "Say why the credential is revoked." in html
    assert 'aria-invalid="true"' in html
    assert not fresh(w["credential"]).is_revoked
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


@pytest.mark.parametrize("role", ["member", "other_lead", "ada", "remi"])
def test_other_roles_are_refused_and_change_nothing(client, auth, w, role):
    auth.login_as(w[role])
    assert "/revoke" not in client.get(page_of(w["credential"])).get_data(as_text=True)
    assert revoke(client, w["credential"]).status_code == 403
    assert not fresh(w["credential"]).is_revoked


def test_a_visitor_is_sent_to_sign_in(client, w):
    response = revoke(client, w["credential"])
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert not fresh(w["credential"]).is_revoked


def test_a_revoked_credential_cannot_be_revoked_again(client, auth, w):
    auth.login_as(w["lead"])
    revoke(client, w["credential"])
    first = fresh(w["credential"]).revoked_at
    response = revoke(client, w["credential"], "Another reason")
    assert response.status_code in (302, 400, 409)
    credential = fresh(w["credential"])
    assert credential.revoked_at == first and credential.revocation_reason == REASON
    assert "/revoke" not in client.get(page_of(credential)).get_data(as_text=True)


def test_revocation_needs_the_csrf_token(app, client, auth, w):
    auth.login_as(w["lead"])
    assert revoke(client, w["credential"], csrf=False).status_code == 400
    assert not fresh(w["credential"]).is_revoked
