"""What answers vary on. The API reads no cookie (a token or nothing): its answers are the same whatever
cookies a browser sends, set none, and vary on Authorization and Accept-Language, never on Cookie. Pages the
page cache keeps for visitors differ for signed-in members and per language: they vary on Cookie and
Accept-Language, whether they come from the cache or are rendered afresh."""
from __future__ import annotations

from core.extensions import cache
from tests.api.helpers import call, token_for
from tests.factories import make_chapter, make_project, make_user


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.headers.get("Vary", "").split(",") if value.strip()}


def test_api_answers_vary_on_the_token_and_language_never_on_cookies(client, auth):
    lead = make_user()
    project = make_project(make_chapter(lead))
    draft = make_project(project.chapter, status="draft")
    cache.clear()
    for _ in range(2):  # rendered, then from the public reads' cache
        response = call(client, "GET", "/api/v1/projects")
        assert response.status_code == 200
        assert vary(response) == {"authorization", "accept-language"}, response.headers
    assert vary(call(client, "GET", "/api/v1/me", token_for(make_user()))) == {"authorization", "accept-language"}
    missing = call(client, "GET", "/api/v1/projects/999999")
    assert missing.status_code == 404 and vary(missing) == {"authorization", "accept-language"}
    # A browser signed in as the draft's lead sends its session cookie: the API does not read it.
    auth.login_as(lead)
    assert client.get(f"/projects/{draft.id}").status_code == 200  # the pages do read it
    for url in ("/api/v1/projects", f"/api/v1/projects/{draft.id}", "/api/v1/me"):
        response = call(client, "GET", url)
        assert "Set-Cookie" not in response.headers and "cookie" not in vary(response), url
    assert call(client, "GET", f"/api/v1/projects/{draft.id}").status_code == 404
    assert call(client, "GET", "/api/v1/me").status_code == 401


def test_the_language_cookie_is_not_read_by_the_api_but_accept_language_is(client):
    client.set_cookie("locale", "fr")
    assert '<html lang="fr"' in client.get("/projects/").get_data(as_text=True)  # the pages read it
    assert call(client, "GET", "/api/v1/projects/999999").get_json()["title"] == "Not found"
    french = call(client, "GET", "/api/v1/projects/999999", headers={"Accept-Language": "fr"})
    assert french.get_json()["title"] == "Introuvable"


def test_cached_pages_vary_on_cookie_and_language_from_the_cache_and_afresh(client, app):
    make_project(make_chapter(make_user()))
    app.config["PAGE_CACHE"] = True
    cache.clear()
    for _ in range(2):
        response = client.get("/projects/")
        assert response.status_code == 200
        assert {"cookie", "accept-language"} <= vary(response), response.headers
    app.config["PAGE_CACHE"] = False  # rendered without the cache: the same page, the same Vary
    assert {"cookie", "accept-language"} <= vary(client.get("/projects/"))
