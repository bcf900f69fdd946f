from accounts.models import User
from core.extensions import db
from tests.conftest import fresh
from tests.factories import make_admin, make_chapter, make_user


def test_public_profile_shows_skills_and_active_chapters(client):
    user = make_user("ada", name="Ada Lovelace", skills=("Python", "Bookkeeping"), bio="Numbers.")
    make_chapter(user, name="Lyon Freelancers")
    make_chapter(user, name="Secret Pending", status="pending")
    body = client.get("/u/ada").get_data(as_text=True)
    assert "Ada Lovelace" in body and "Python" in body and "Bookkeeping" in body and "Numbers." in body
    assert "Lyon Freelancers" in body and "Secret Pending" not in body


def test_handles_are_case_insensitive_in_urls(client):
    make_user("ada")
    assert client.get("/u/ADA").status_code == 200


def test_unknown_profile_is_404(client):
    assert client.get("/u/nobody").status_code == 404


def test_hidden_profile_is_seen_only_by_its_owner_and_admins(client, auth):
    user = make_user("shy", profile_hidden=True)
    assert client.get("/u/shy").status_code == 404
    auth.login_as(make_user())
    assert client.get("/u/shy").status_code == 404
    auth.login_as(user)
    assert client.get("/u/shy").status_code == 200
    auth.login_as(make_admin())
    assert client.get("/u/shy").status_code == 200


def test_edit_profile(client, auth):
    user = make_user("ada", skills=("Python",))
    auth.login_as(user)
    form = client.get("/me/edit").get_data(as_text=True)
    assert 'value="Python"' in form
    response = client.post("/me/edit", data={"name": "Ada L.", "city": "Paris", "country": "FR",
                                             "skills": "Rust, Python", "bio": "Hi", "locale": "fr",
                                             "profile_hidden": "y"})
    assert response.status_code == 302
    user = fresh(user)
    assert (user.name, user.city, user.locale, user.profile_hidden) == ("Ada L.", "Paris", "fr", True)
    assert sorted(s.name for s in user.skills) == ["Python", "Rust"]


def test_edit_profile_rejects_bad_input_and_changes_nothing(client, auth):
    user = make_user("ada", name="Ada")
    auth.login_as(user)
    response = client.post("/me/edit", data={"name": "", "city": "Paris", "country": "ZZ", "locale": "de"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="name-error"' in body and 'id="country-error"' in body and 'id="locale-error"' in body
    assert fresh(user).name == "Ada" and user.city == "Lyon"


def test_dashboard_lists_my_chapters(client, auth):
    user = make_user()
    make_chapter(user, name="Lyon Freelancers")
    make_chapter(user, name="Pending One", status="pending")
    auth.login_as(user)
    body = client.get("/me").get_data(as_text=True)
    assert "Lyon Freelancers" in body and "Pending One" in body


def test_dashboard_needs_sign_in(client):
    assert client.get("/me").headers["Location"].startswith("/auth/login")
    assert client.get("/me/edit").headers["Location"].startswith("/auth/login")


def test_accounts_are_stored_with_a_lowercase_email(app):
    assert db.session.get(User, make_user("x", email="x@example.org").id).email == "x@example.org"
