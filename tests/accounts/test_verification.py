"""Email verification: the link in the welcome email (through the real SMTP server), valid, expired, altered,
reused and for another account; the gate on applying, proposing, registering and submitting; sending again."""
import pytest
from sqlalchemy import select

from accounts import tokens
from accounts.models import User
from chapters.models import Chapter
from core.extensions import db
from projects.models import Application, Milestone, Project
from sponsors.models import SponsorOrganisation
from tests.accounts.account_links import altered, link_in
from tests.accounts.test_registration import VALID
from tests.conftest import fresh
from tests.factories import add_member, make_admin, make_chapter, make_project, make_user

INVALID = "This confirmation link does not work"
VERIFY_FIRST = "Please verify your email address first"


def registered(client, mail_sink) -> tuple[User, str]:
    """Register through the form; the new account and the verification link of its welcome email."""
    assert client.post("/auth/register", data=VALID).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "zoe@example.org"))
    [welcome] = mail_sink.to("zoe@example.org")
    return user, link_in(welcome, "/auth/verify/")


def test_a_registered_member_is_unverified_until_they_open_the_link_and_confirm(client, mail_sink):
    user, link = registered(client, mail_sink)
    assert user.email_verified_at is None
    page = client.get(link)  # what a mail scanner fetches: nothing changes
    assert page.status_code == 200 and "Confirm that zoe@example.org is your address." in page.get_data(as_text=True)
    assert fresh(user).email_verified_at is None
    done = client.post(link)
    assert done.status_code == 302 and done.headers["Location"] == "/auth/login"
    assert fresh(user).email_verified_at is not None


def test_a_used_link_is_refused_with_a_clear_page(client, mail_sink):
    user, link = registered(client, mail_sink)
    client.post(link)
    verified_at = fresh(user).email_verified_at
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400 and INVALID in response.get_data(as_text=True)
    assert fresh(user).email_verified_at == verified_at


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_link_is_refused_and_changes_nothing(client, mail_sink, method):
    user, link = registered(client, mail_sink)
    response = getattr(client, method)(altered(link))
    assert response.status_code == 400 and INVALID in response.get_data(as_text=True)
    assert fresh(user).email_verified_at is None


def test_an_expired_link_is_refused(app, client, mail_sink):
    user, link = registered(client, mail_sink)
    app.config["VERIFY_EMAIL_MAX_AGE"] = -1
    response = client.post(link)
    assert response.status_code == 400 and INVALID in response.get_data(as_text=True)
    assert fresh(user).email_verified_at is None


def test_a_link_for_another_account_or_purpose_is_refused(client, auth, mail_sink):
    user, link = registered(client, mail_sink)
    other = make_user("other", email_verified_at=None)
    auth.login_as(other)  # someone else's browser, signed in
    assert client.post(link).status_code == 400
    assert fresh(user).email_verified_at is None and fresh(other).email_verified_at is None
    auth.logout()
    reset_link = f"/auth/verify/{tokens.reset_token(user)}"  # a valid token, made for another purpose
    assert client.post(reset_link).status_code == 400
    assert fresh(user).email_verified_at is None


def test_a_link_sent_to_an_address_the_account_no_longer_has_is_refused(client, mail_sink):
    user, link = registered(client, mail_sink)
    user.email = "zoe.new@example.org"
    db.session.commit()
    assert client.post(link).status_code == 400
    assert fresh(user).email_verified_at is None


def test_the_same_member_signed_in_may_verify(client, auth, mail_sink):
    user, link = registered(client, mail_sink)
    auth.login_as(user)
    response = client.post(link)
    assert response.headers["Location"] == "/me" and fresh(user).email_verified_at is not None


@pytest.fixture
def unverified(app):
    return make_user("newbie", email_verified_at=None)


def refused_until_verified(response) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert VERIFY_FIRST in body and "newbie@example.org" in body and "Send the link again" in body


def test_an_unverified_member_browses_and_joins_but_proposing_waits(client, auth, unverified):
    chapter = make_chapter()
    auth.login_as(unverified)
    assert client.get("/chapters/").status_code == 200
    assert client.post(f"/chapters/{chapter.slug}/join").status_code == 302
    assert chapter.has_member(unverified)
    refused_until_verified(client.get("/chapters/new"))
    refused_until_verified(client.post("/chapters/new", data={"name": "Nantes", "city": "Nantes", "country": "FR",
                                                              "description": "A description long enough here."}))
    assert db.session.scalar(select(Chapter).where(Chapter.name == "Nantes")) is None
    unverified.email_verified_at = unverified.created_at
    db.session.commit()
    assert client.get("/chapters/new").status_code == 200


def test_applying_and_registering_an_organisation_wait_for_verification(client, auth, unverified):
    project = make_project(make_chapter(), status="recruiting")
    auth.login_as(unverified)
    refused_until_verified(client.post(f"/projects/{project.id}/apply", data={"motivation": "I want to learn."}))
    assert db.session.scalar(select(Application)) is None
    refused_until_verified(client.post("/sponsors/new", data={
        "name": "Acme Fund", "contact_email": "fund@acme.example", "description": "We fund civic tech."}))
    assert db.session.scalar(select(SponsorOrganisation)) is None


def test_an_unverified_lead_cannot_create_a_project_nor_an_unverified_teammate_submit(client, auth, unverified):
    chapter = make_chapter(unverified)
    auth.login_as(unverified)
    refused_until_verified(client.get(f"/chapters/{chapter.slug}/projects/new"))
    teammate = make_user("mate", email_verified_at=None)
    project = make_project(chapter, status="active", team=(teammate,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    auth.login_as(teammate)
    response = client.post(f"/projects/{project.id}/milestones/{milestone.id}/submit",
                           data={"note": "Done", "link": "https://example.org/x"})
    assert response.status_code == 403 and VERIFY_FIRST in response.get_data(as_text=True)
    assert fresh(milestone).status == "planned"
    assert db.session.scalar(select(Project).where(Project.chapter_id == chapter.id, Project.id != project.id)) is None


def test_a_refusal_for_another_reason_is_not_blamed_on_verification(client, auth, unverified):
    """An unverified member who is not a lead is refused a project as anyone would be: no verification page."""
    chapter = make_chapter()
    add_member(chapter, unverified)
    auth.login_as(unverified)
    response = client.get(f"/chapters/{chapter.slug}/projects/new")
    assert response.status_code == 403 and VERIFY_FIRST not in response.get_data(as_text=True)


def test_the_banner_offers_the_link_again_to_unverified_members_only(client, auth, unverified):
    auth.login_as(unverified)
    assert "Send the link again" in client.get("/me").get_data(as_text=True)
    auth.login_as(make_user("verified"))
    assert "Send the link again" not in client.get("/me").get_data(as_text=True)


def test_sending_the_link_again_delivers_a_working_link_and_is_rate_limited(app, client, auth, unverified, mail_sink):
    auth.login_as(unverified)
    response = client.post("/auth/verify/send", data={"next": "/projects/"})
    assert response.status_code == 302 and response.headers["Location"] == "/projects/"
    [mail] = mail_sink.to("newbie@example.org")
    assert mail["Subject"] == "Confirm your email address"
    link = link_in(mail, "/auth/verify/")
    for _ in range(2):
        client.post("/auth/verify/send")
    assert client.post("/auth/verify/send").status_code == 429  # 3 per hour
    assert len(mail_sink.to("newbie@example.org")) == 3
    assert client.post(link).status_code == 302 and fresh(unverified).email_verified_at is not None


def test_the_link_is_sent_in_the_members_language(client, auth, mail_sink):
    user = make_user("lea", locale="fr", email_verified_at=None)
    auth.login_as(user)
    client.post("/auth/verify/send")
    [mail] = mail_sink.to("lea@example.org")
    assert mail["Subject"] == "Confirmez votre adresse e-mail"


def test_admins_see_who_is_verified(client, auth, unverified):
    auth.login_as(make_admin("boss"))
    body = client.get("/admin/users").get_data(as_text=True)
    assert "Email verified" in body
    row = body[body.index("newbie@example.org"):]
    assert "not yet" in row[:row.index("</tr>")]
    boss_row = body[body.index("boss@example.org"):]
    assert "not yet" not in boss_row[:boss_row.index("</tr>")]


def test_created_admins_and_demo_accounts_are_verified(app, runner):
    from accounts.services import make_admin as create_admin

    admin, _ = create_admin("root@example.org", name="Root", handle="root", password="a long secret phrase")
    assert admin.email_verified_at is not None
