"""A hidden profile never shows by name, handle, city or link in a list of people to those who may not
see it (user.view_profile); its owner and admins still see it."""
import pytest
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from sponsors.models import SponsorMember
from tests.factories import add_member, make_admin, make_chapter, make_organisation, make_project, make_user


def hidden_person():
    return make_user("ghost", name="Greta Ghost", city="Zanzibar", profile_hidden=True)


def shows_the_person(body: str) -> bool:
    return any(mark in body for mark in ("Greta Ghost", "Zanzibar", "/u/ghost", "@ghost"))


@pytest.fixture
def chapter(app):
    chapter = make_chapter(make_user("lead"), name="Lyon Freelancers")
    add_member(chapter, hidden_person())
    add_member(chapter, make_user("open", name="Olive Open"))
    return chapter


def test_the_chapter_member_list_shows_a_hidden_profile_as_a_member(client, auth, chapter):
    for viewer in (None, make_user("stranger")):
        if viewer:
            auth.login_as(viewer)
        body = client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
        assert not shows_the_person(body) and "a member" in body and "Olive Open" in body


def test_the_owner_and_admins_still_see_the_hidden_profile_in_the_list(client, auth, chapter):
    ghost = db.session.scalar(select(User).where(User.handle == "ghost"))
    for viewer in (ghost, make_admin("root")):
        auth.login_as(viewer)
        assert "Greta Ghost" in client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
        auth.logout()


def test_the_project_team_shows_a_hidden_profile_as_a_member(client, auth, app):
    chapter = make_chapter(make_user("lead2"))
    project = make_project(chapter, status="active", team=(hidden_person(), make_user("open", name="Olive Open")))
    auth.login_as(make_user("stranger"))
    body = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert not shows_the_person(body) and "a member" in body and "Olive Open" in body


def test_the_sponsor_member_list_shows_a_hidden_profile_as_a_member(client, auth, app):
    admin = make_user("orgadmin")
    org = make_organisation(admin)
    db.session.add(SponsorMember(organisation_id=org.id, user_id=hidden_person().id, role="reviewer"))
    db.session.commit()
    auth.login_as(admin)
    body = client.get(f"/sponsors/{org.slug}").get_data(as_text=True)
    assert not shows_the_person(body) and "a member" in body
