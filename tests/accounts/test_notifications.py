import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import notifications
from accounts.models import Notification
from core.extensions import db
from tests.factories import make_user


@pytest.fixture(autouse=True)
def kind():
    notifications.register_kind("test.poked", _l("Pokes"), _l("%(who)s poked you about %(what)s."))


def poke(user, actor=None, what="the budget"):
    notifications.notify([user], "test.poked", url="/chapters/", actor=actor, who="Ada", what=what)
    db.session.commit()


def test_a_notification_shows_in_the_list_with_an_unread_count(client, auth):
    user = make_user()
    poke(user)
    poke(user, what="the venue")
    auth.login_as(user)
    body = client.get("/notifications").get_data(as_text=True)
    assert "Ada poked you about the budget." in body and "Ada poked you about the venue." in body
    assert '<span class="badge text-bg-danger">2<' in client.get("/me").get_data(as_text=True)


def test_the_actor_is_not_notified_of_their_own_action(app):
    user = make_user()
    notifications.notify([user], "test.poked", url="/", actor=user, who="me", what="x")
    assert db.session.scalar(select(Notification)) is None


def test_unknown_kinds_are_refused(app):
    with pytest.raises(LookupError):
        notifications.notify([make_user()], "no.such.kind", url="/")


def test_mark_one_and_all_as_read(client, auth):
    user = make_user()
    poke(user)
    poke(user)
    first = db.session.scalars(select(Notification.id).order_by(Notification.id)).first()
    auth.login_as(user)
    response = client.post("/notifications/read", data={"id": first, "next": "/notifications"})
    assert response.headers["Location"] == "/notifications"
    assert notifications.unread_count(user) == 1
    client.post("/notifications/read")
    assert notifications.unread_count(user) == 0


def test_nobody_marks_another_members_notifications(client, auth):
    owner, other = make_user(), make_user()
    poke(owner)
    note = db.session.scalar(select(Notification))
    auth.login_as(other)
    client.post("/notifications/read", data={"id": note.id})
    client.post("/notifications/read")
    assert notifications.unread_count(owner) == 1


def test_notifications_need_sign_in(client):
    assert client.get("/notifications").headers["Location"].startswith("/auth/login")
    assert client.post("/notifications/read").headers["Location"].startswith("/auth/login")



def test_opening_a_notification_marks_it_read_and_leads_to_its_page(client, auth):
    user = make_user()
    poke(user)
    poke(user)
    first, second = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    auth.login_as(user)
    body = client.get("/notifications").get_data(as_text=True)
    assert f'href="/me/notifications/{first.id}/open"' in body
    response = client.get(f"/me/notifications/{first.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/chapters/"
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None  # only the one opened
    assert client.get(f"/me/notifications/{first.id}/open").headers["Location"] == "/chapters/"  # again: fine


@pytest.mark.parametrize("stored", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_a_notification_never_leads_off_the_site(client, auth, stored):
    user = make_user()
    notifications.notify([user], "test.poked", url=stored, who="Ada", what="x")
    db.session.commit()
    note = db.session.scalar(select(Notification))
    auth.login_as(user)
    response = client.get(f"/me/notifications/{note.id}/open")
    assert response.headers["Location"] == "/notifications"
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None


def test_nobody_opens_another_members_notification(client, auth):
    owner, other = make_user(), make_user()
    poke(owner)
    note = db.session.scalar(select(Notification))
    auth.login_as(other)
    assert client.get(f"/me/notifications/{note.id}/open").status_code == 403
    assert client.get("/me/notifications/999999/open").status_code == 404
    assert notifications.unread_count(owner) == 1


def test_a_visitor_opening_a_notification_signs_in_first(client):
    owner = make_user()
    poke(owner)
    note = db.session.scalar(select(Notification))
    assert client.get(f"/me/notifications/{note.id}/open").headers["Location"].startswith("/auth/login")
    assert notifications.unread_count(owner) == 1


def test_the_email_links_through_the_page_that_marks_it_read(app):
    from accounts import mail
    user = make_user()
    poke(user)
    note = db.session.scalar(select(Notification))
    with app.test_request_context():
        message = mail.notification_email(note, user)
    text = message.get_body(("plain",)).get_content()
    assert f"/me/notifications/{note.id}/open" in text
