"""A chapter whose leads want the notification of a new member in different ways and languages."""
import pytest

from accounts import notifications
from core.extensions import db
from tests.factories import add_member, make_chapter, make_user


def make_lyon():
    """Lyon Freelancers: a French-speaking lead and an English-speaking co-lead who chose email,
    a co-lead who keeps the default (a daily digest), and a plain member."""
    lead = make_user("lea", locale="fr", name="Léa Martin")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    co_lead = add_member(chapter, make_user("sam", locale="en", name="Sam Lee"), role="co_lead")
    add_member(chapter, make_user("dig", locale="en", name="Dee Gest"), role="co_lead")
    add_member(chapter, make_user("mem", name="Plain Member"))
    for user in (lead, co_lead):
        notifications.set_preference(user, "chapter.member_joined", "email")
    db.session.commit()
    return chapter


@pytest.fixture
def chapter(app):
    return make_lyon()


def join(client, auth, chapter, name="Ada Lovelace", handle="ada"):
    """A new member joins through the real route (the request that causes the emails)."""
    newcomer = make_user(handle, name=name, locale="en")
    auth.login_as(newcomer)
    response = client.post(f"/chapters/{chapter.slug}/join")
    assert response.status_code == 302
    auth.logout()
    return newcomer
