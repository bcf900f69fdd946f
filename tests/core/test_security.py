"""Headers, CSRF, size limits, error pages and safe redirects."""
import pytest
from sqlalchemy import func, select

from accounts.models import User
from app import create_app
from core.config import TEST_CONFIG
from core.extensions import db
from core.security import safe_next_url


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_page_carries_inline_script(client):
    for path in ("/", "/auth/login", "/auth/register", "/chapters/"):
        assert "<script>" not in client.get(path).get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client, auth):
    from tests.factories import make_user

    auth.login(make_user())
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


@pytest.fixture
def csrf_client(_schema):
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": _schema})
    with app.app_context():
        yield app.test_client()
        db.engine.dispose()


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(csrf_client, app):
    response = csrf_client.post("/auth/register", csrf=False, data={
        "name": "Mallory", "handle": "mallory", "email": "m@example.org", "password": "long enough pass",
        "confirm": "long enough pass", "city": "Lyon", "country": "FR"})
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_the_register_form_carries_a_csrf_token(csrf_client):
    assert 'name="csrf_token"' in csrf_client.get("/auth/register").get_data(as_text=True)


def test_a_body_over_the_limit_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/auth/login", data={"email": "a@example.org", "password": "x" * 4096})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_not_found_page_in_html_and_json(client):
    html = client.get("/no/such/page")
    assert html.status_code == 404 and "Page not found" in html.get_data(as_text=True)
    as_json = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.json["error"] == "Page not found"


@pytest.mark.fresh_app  # adds a route
def test_an_unexpected_error_gets_the_500_page_without_details(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret internals" not in body


def test_method_not_allowed_page(client):
    assert client.get("/auth/logout").status_code == 405


SAFE_TARGETS = ["/me", "/chapters/?q=a", "/projects/?q=water%20map", "/u/l%C3%A9a", "/projects/3#team"]

HOSTILE_TARGETS = [
    "http:/evil.example", "https:/evil.example", "http:evil.example", "https:evil.example", "HTTP:/evil.example",
    "http:///evil.example", "//evil.example/", "///evil.example", "////evil.example", "/\\evil.example",
    "\\evil.example", "/\\/evil.example", "\\/evil.example", "https://evil.example/", "http://evil.example",
    "http://localhost.evil.example/", "http://localhost@evil.example/", "http://evil.example\\@localhost/",
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "/%2F%2Fevil.example", "/%2fevil.example", "/%5Cevil.example", "/%09/evil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r\nLocation: http://evil.example", "/%0d%0aSet-Cookie:x=1",
    "\x00/me", "/me\x00", "/\u202eevil", "/%E2%80%AEevil", " //evil.example", "\t//evil.example",
    "/ /evil.example", "evil.example", "me", ".evil.example", "ftp://evil.example/", "mailto:x@evil.example",
    "", None,
]


@pytest.mark.parametrize("target", SAFE_TARGETS)
def test_paths_on_this_site_are_followed(app, target):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next_url(target, "/fallback") == target


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_no_next_leaves_this_site(app, target):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next_url(target, "/fallback") == "/fallback"


def test_a_referer_of_this_site_counts_as_its_path(app):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next_url("http://localhost/me?tab=1", "/fallback") == "/me?tab=1"
        assert safe_next_url("https://localhost/me", "/fallback") == "/fallback"  # another origin


def assert_stays_here(response):
    location = response.headers.get("Location", "")
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location, location


@pytest.mark.parametrize("target", ["http:/evil.example", "//evil.example", "/\\evil.example", "/%09/evil.example"])
def test_every_door_refuses_to_send_people_away(client, auth, target):
    from tests.factories import make_chapter, make_project, make_user

    lead = make_user("walker")
    project = make_project(make_chapter(lead), status="recruiting", team_min=3)
    assert_stays_here(client.get("/language", query_string={"locale": "fr", "next": target}))
    assert_stays_here(auth.login(lead, query_string={"next": target}))
    assert_stays_here(client.post("/notifications/read", data={"id": "1", "next": target}))
    # A refused action (too small a team to start) goes back to `next`, or else the Referer.
    start = f"/projects/{project.id}/transitions/start"
    assert_stays_here(client.post(start, data={"next": target}))
    assert_stays_here(client.post(start, headers={"Referer": target}))


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok"}, "jobs_overdue": 0}


def test_pages_made_for_a_signed_in_member_are_never_stored(client, auth):
    from tests.factories import make_user

    assert "no-store" not in client.get("/projects/").headers.get("Cache-Control", "")  # visitors' pages cache
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"
    auth.login_as(make_user("private"))
    for path in ("/me", "/me/edit", "/projects/", "/chapters/", "/notifications"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
