"""Joining a sponsor organisation: an admin invites an address, the person accepts or declines.
Inviting never tells whether the address has an account, and nobody is added without accepting."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.models import User
from core import mail as transport
from core.audit import utcnow
from core.extensions import db
from sponsors import tasks
from sponsors.models import SponsorInvitation, SponsorMember
from sponsors.services import MAX_PENDING_INVITATIONS
from tests.conftest import fresh
from tests.factories import make_organisation, make_user


@pytest.fixture
def org(app):
    return make_organisation(make_user("sadmin", name="Sara Admin"), reviewers=(make_user("sreviewer"),),
                             name="Acme Foundation")


def invite(client, org, email, role="reviewer"):
    return client.post(f"/sponsors/{org.slug}/invitations", data={"email": email, "role": role})


def members(org) -> dict[str, str]:
    return dict(db.session.execute(select(User.handle, SponsorMember.role).join(SponsorMember.user)
                                   .where(SponsorMember.organisation_id == org.id)).all())


def invitations(org, status="pending") -> list[SponsorInvitation]:
    return list(db.session.scalars(select(SponsorInvitation).where(SponsorInvitation.organisation_id == org.id,
                                                                   SponsorInvitation.status == status)))


def sign_in_admin(auth, org):
    auth.login_as(db.session.scalar(select(User).where(User.handle == "sadmin")))


def test_an_invited_member_accepts_and_joins_with_the_role(client, auth, org, mail_sink):
    newcomer = make_user("newcomer", email="new.comer@example.org", name="Nina Comer")
    sign_in_admin(auth, org)
    response = invite(client, org, "New.Comer@EXAMPLE.org", "admin")
    assert response.status_code == 302
    assert "newcomer" not in members(org)  # not added: invited
    [invitation] = invitations(org)
    assert (invitation.email, invitation.role) == ("new.comer@example.org", "admin")
    [message] = mail_sink.to("new.comer@example.org")
    assert message["Subject"] == "Acme Foundation invites you to join it on Chapterhouse"
    text = message.get_body(("plain",)).get_content()
    assert f"/sponsors/invitations/{invitation.id}" in text and "Sara Admin" in text and "/auth/register" not in text

    auth.login_as(newcomer)
    me = client.get("/me").get_data(as_text=True)
    assert "Invitations to sponsor organisations" in me and "Acme Foundation" in me
    page = client.get(f"/sponsors/invitations/{invitation.id}")
    assert page.status_code == 200 and "Accept" in page.get_data(as_text=True)
    assert client.post(f"/sponsors/invitations/{invitation.id}/accept").status_code == 302
    assert members(org)["newcomer"] == "admin" and fresh(invitation).status == "accepted"
    assert "Invitations to sponsor organisations" not in client.get("/me").get_data(as_text=True)
    again = client.post(f"/sponsors/invitations/{invitation.id}/accept", follow_redirects=True)
    assert "already" in again.get_data(as_text=True)


def test_the_answer_is_the_same_for_an_unknown_address_a_known_one_and_a_member(client, auth, org, mail_sink):
    make_user("known", email="known@example.org")
    sign_in_admin(auth, org)
    answers = []
    for email in ("unknown@example.org", "known@example.org", "sreviewer@example.org"):
        response = invite(client, org, email)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        page = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", page)  # signed with the second: may differ
        answers.append((response.status_code, response.headers["Location"],
                        page.replace(email, "ADDRESS").split('id="members-heading"')[0]))
    assert answers[0] == answers[1] == answers[2]
    assert len(invitations(org)) == 3
    [message] = mail_sink.to("unknown@example.org")
    assert "/auth/register" in message.get_body(("plain",)).get_content()  # they make an account first


def test_a_declined_invitation_adds_nobody(client, auth, org):
    invited = make_user("invited")
    sign_in_admin(auth, org)
    invite(client, org, invited.email)
    [invitation] = invitations(org)
    auth.login_as(invited)
    assert client.post(f"/sponsors/invitations/{invitation.id}/decline").status_code == 302
    assert "invited" not in members(org) and fresh(invitation).status == "declined"
    client.post(f"/sponsors/invitations/{invitation.id}/accept")
    assert "invited" not in members(org)


def test_only_the_invited_address_sees_or_answers_the_invitation(client, auth, org):
    make_user("invited")
    sign_in_admin(auth, org)
    invite(client, org, "invited@example.org")
    [invitation] = invitations(org)
    assert client.get(f"/sponsors/invitations/{invitation.id}").status_code == 404  # not even its admin
    auth.login_as(make_user("someone"))
    assert client.get(f"/sponsors/invitations/{invitation.id}").status_code == 404
    assert client.post(f"/sponsors/invitations/{invitation.id}/accept").status_code == 404
    auth.logout()
    response = client.get(f"/sponsors/invitations/{invitation.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert fresh(invitation).status == "pending" and "someone" not in members(org)


def test_an_expired_or_withdrawn_invitation_cannot_be_accepted(client, auth, org):
    invited = make_user("invited")
    sign_in_admin(auth, org)
    invite(client, org, invited.email)
    [invitation] = invitations(org)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    auth.login_as(invited)
    assert "has expired" in client.get(f"/sponsors/invitations/{invitation.id}").get_data(as_text=True)
    response = client.post(f"/sponsors/invitations/{invitation.id}/accept", follow_redirects=True)
    assert "has expired" in response.get_data(as_text=True) and "invited" not in members(org)

    invitation.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    sign_in_admin(auth, org)
    assert client.post(f"/sponsors/{org.slug}/invitations/{invitation.id}/revoke").status_code == 302
    assert fresh(invitation).status == "revoked"
    auth.login_as(invited)
    client.post(f"/sponsors/invitations/{invitation.id}/accept")
    assert "invited" not in members(org)


def test_inviting_again_replaces_the_pending_invitation(client, auth, org):
    sign_in_admin(auth, org)
    invite(client, org, "twice@example.org", "reviewer")
    invite(client, org, "twice@example.org", "admin")
    [pending] = invitations(org)
    assert pending.role == "admin" and len(invitations(org, "revoked")) == 1


def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(client, auth, org):
    sign_in_admin(auth, org)
    for data in ({"email": "not an address", "role": "reviewer"}, {"email": "", "role": "reviewer"},
                 {"email": "a@example.org", "role": "owner"}):
        response = client.post(f"/sponsors/{org.slug}/invitations", data=data)
        assert response.status_code == 400
        body = response.get_data(as_text=True)
        assert 'id="email-error"' in body or 'id="role-error"' in body
    assert db.session.scalar(select(func.count()).select_from(SponsorInvitation)) == 0


def test_an_organisation_cannot_send_any_number_of_invitations(client, auth, org):
    db.session.add_all(SponsorInvitation(organisation_id=org.id, email=f"p{n}@example.org", role="reviewer",
                                         expires_at=utcnow() + timedelta(days=14))
                       for n in range(MAX_PENDING_INVITATIONS))
    db.session.commit()
    sign_in_admin(auth, org)
    response = invite(client, org, "one.more@example.org")
    assert response.status_code == 400 and 'id="email-error"' in response.get_data(as_text=True)
    assert len(invitations(org)) == MAX_PENDING_INVITATIONS


def test_inviting_is_rate_limited_per_admin(app, client, auth, org):
    app.config["INVITATION_RATE_LIMIT"] = "2 per hour"
    sign_in_admin(auth, org)
    assert [invite(client, org, f"r{n}@example.org").status_code for n in range(3)] == [302, 302, 429]


def test_the_invitation_email_is_sent_once_when_its_job_runs_twice(client, auth, org, mail_sink):
    sign_in_admin(auth, org)
    invite(client, org, "once@example.org")
    [invitation] = invitations(org)
    tasks.email_invitation(invitation.id)  # the job again, as after a lost lease
    db.session.commit()
    assert len(mail_sink.to("once@example.org")) == 1


def test_send_once_sends_each_message_id_once(app, mail_sink):
    message = transport.build("x@example.org", "Hello", "Body", message_id="test-once-1")
    assert transport.send_once(message) is True
    assert transport.send_once(message) is False
    db.session.commit()
    assert transport.send_once(message) is False
    assert len(mail_sink.to("x@example.org")) == 1


def test_an_invitation_to_an_archived_organisation_cannot_be_accepted(client, auth, org):
    invited = make_user("invited")
    sign_in_admin(auth, org)
    invite(client, org, invited.email)
    [invitation] = invitations(org)
    org.status = "archived"
    db.session.commit()
    auth.login_as(invited)
    response = client.post(f"/sponsors/invitations/{invitation.id}/accept", follow_redirects=True)
    assert "The organisation is archived." in response.get_data(as_text=True)
    assert "invited" not in members(org) and fresh(invitation).status == "pending"
