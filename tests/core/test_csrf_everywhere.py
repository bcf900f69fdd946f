"""Every POST route refuses a request without a CSRF token (400) and changes nothing, even for a signed-in
admin. The suite runs with CSRF on; this test proves no route slipped out of the protection."""
import uuid

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, UUIDConverter

from core.extensions import db
from tests.factories import make_admin, make_chapter, make_organisation, make_project, make_user

# Routes exempt from the token, each with the reason it is safe without one.
EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients POST without a page, so without a token. The signed
    # unsubscribe token in the URL is the protection, and the only effect is to stop one kind of email.
    "accounts.unsubscribe": "signed token in the URL (RFC 8058 List-Unsubscribe-Post)",
    # OAuth 2.0 (RFC 6749, RFC 7009): partner servers call these, never a browser page; the client proves itself
    # with its secret or its PKCE verifier, and no cookie is read.
    "api_pages.oauth_token": "client authentication or PKCE (RFC 6749 token endpoint)",
    "api_pages.oauth_revoke": "client authentication (RFC 7009 revocation endpoint)",
}
# Blueprints exempt as a whole: the JSON API never reads the session cookie, only a bearer token
# authenticates there (api/auth.py), so a forged cross-site request carries no credentials at all.
EXEMPT_BLUEPRINTS = {"api"}


def exempt(rule) -> bool:
    return rule.endpoint in EXEMPT or rule.endpoint.split(".")[0] in EXEMPT_BLUEPRINTS


def post_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods),
                  key=lambda rule: rule.rule)


def url_for_rule(app, rule, world) -> str:
    """The rule's URL with real objects where the argument names one, else a number or a word."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = world.get(name, 1)
        elif isinstance(converter, UUIDConverter):
            values[name] = uuid.uuid4()
        else:
            values[name] = world.get(name) or sorted(getattr(converter, "items", None) or ["x"])[0]
    return app.url_map.bind("localhost").build(rule.endpoint, values, method="POST")


def snapshot() -> dict:
    """Every row of every table, to prove that a refused request wrote nothing."""
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def world(app):
    admin, lead = make_admin(), make_user("lead")
    chapter = make_chapter(lead)
    project = make_project(chapter, status="recruiting")
    org = make_organisation(admin)
    return {"admin": admin, "project_id": project.id, "slug": chapter.slug, "chapter_slug": chapter.slug,
            "org_slug": org.slug, "user_id": lead.id, "handle": lead.handle}


def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client, auth, world):
    auth.login_as(world["admin"])
    before = snapshot()
    rules = [rule for rule in post_rules(app) if not exempt(rule)]
    assert len(rules) >= 30
    answers = {rule.rule: client.post(url_for_rule(app, rule, world), data={"reason": "x", "name": "x"},
                                      csrf=False).status_code for rule in rules}
    assert {path: code for path, code in answers.items() if code != 400} == {}
    # The API's POSTs ignore the admin's session: without a token they are refused (401).
    api_rules = [rule for rule in post_rules(app) if exempt(rule) and rule.endpoint not in EXEMPT]
    assert api_rules and {client.post(url_for_rule(app, rule, world), json={}, csrf=False).status_code
                          for rule in api_rules} == {401}
    assert snapshot() == before


def test_the_same_posts_with_a_token_get_past_the_check(app, client, auth, world):
    """The refusal above comes from the token: with one, no route answers the CSRF 400 page."""
    auth.login_as(world["admin"])
    rules = [rule for rule in post_rules(app) if not exempt(rule)]
    for rule in rules:
        response = client.post(url_for_rule(app, rule, world), data={})
        assert "This form has expired or was opened" not in response.get_data(as_text=True), rule.rule


def test_the_exempt_routes_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(EXEMPT) <= endpoints


def test_an_expired_token_gets_a_page_that_says_what_to_do(app, client, auth):
    auth.login_as(make_user())
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is older than that: the form was left open too long
    response = client.post("/chapters/new", data={"name": "Late chapter"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "This form has expired or was opened" in body and "reload the page" in body
    json = client.post("/chapters/new", data={"name": "Late chapter"}, headers={"Accept": "application/json"})
    assert json.status_code == 400 and "reload the page" in json.get_json()["message"]
