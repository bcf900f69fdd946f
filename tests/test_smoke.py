from tests.factories import make_chapter, make_user


def test_home(client):
    assert client.get("/").status_code == 200


def test_login_and_me(client, auth, app):
    user = make_user("ada")
    response = auth.login(user)
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    auth.logout()
    assert client.get("/me").status_code == 302


def test_chapter_page(client):
    chapter = make_chapter()
    assert client.get(f"/chapters/{chapter.slug}").status_code == 200
