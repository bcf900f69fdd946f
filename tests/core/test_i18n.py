"""Language choice and the completeness of the French catalogue."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import fresh
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def test_language_follows_the_browser(client):
    page = client.get("/chapters/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    body = page.get_data(as_text=True)
    assert '<html lang="fr">' in body and "<h1>Chapitres</h1>" in body


def test_english_is_the_default(client):
    assert "<h1>Chapters</h1>" in client.get("/chapters/").get_data(as_text=True)


def test_the_profile_language_wins_over_the_browser(client, auth):
    auth.login_as(make_user(locale="fr"))
    assert '<html lang="fr">' in client.get("/me", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_switcher_changes_the_language_for_a_visitor_with_a_cookie_not_a_session(client):
    assert "<h1>Chapters</h1>" in client.get("/chapters/").get_data(as_text=True)
    response = client.get("/language", query_string={"locale": "fr", "next": "/chapters/"})
    assert response.status_code == 302 and response.headers["Location"] == "/chapters/"
    assert client.get_cookie("locale").value == "fr" and client.get_cookie("session") is None
    assert "<h1>Chapitres</h1>" in client.get("/chapters/").get_data(as_text=True)


def test_a_visitor_page_carries_no_csrf_token_and_sets_no_cookie(client):
    response = client.get("/projects/")
    assert 'name="csrf_token"' not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_the_switcher_saves_the_choice_in_the_profile(client, auth):
    user = make_user(locale="en")
    auth.login_as(user)
    client.post("/language", data={"locale": "fr"})
    assert fresh(user).locale == "fr"


def test_a_link_to_the_visitors_switch_never_changes_a_profile(client, auth):
    """The GET switch has no CSRF token, so it only sets the cookie, even for a member."""
    user = make_user(locale="en")
    auth.login_as(user)
    client.get("/language", query_string={"locale": "fr"})
    assert fresh(user).locale == "en"


def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(client):
    response = client.post("/language", data={"locale": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    response = client.get("/language", query_string={"locale": "xx", "next": "//evil.example/"})
    assert response.headers["Location"] == "/" and client.get_cookie("locale") is None


def test_form_errors_are_translated(client):
    body = client.post("/auth/register", data={}, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Ce champ est requis." in body


def test_every_string_in_the_code_is_in_the_catalogue_and_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--ignore-dirs=.* __pycache__ node_modules tests migrations",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot.open("rb")) if m.id}
    catalogue = read_po((ROOT / "translations/fr/LC_MESSAGES/messages.po").open("rb"), locale="fr")
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue
                  if m.id and "fuzzy" not in m.flags
                  and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert sorted(wanted - translated) == []


def test_the_request_keeps_its_catalogue_but_follows_force_locale_and_refresh(app):
    from flask import render_template_string
    from flask_babel import force_locale, gettext, refresh

    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert gettext("Projects") == "Projets" == render_template_string("{{ _('Projects') }}")
        with force_locale("en"):
            assert gettext("Projects") == "Projects" == render_template_string("{{ _('Projects') }}")
        assert gettext("Projects") == "Projets"
        with force_locale("en"):
            refresh()
            assert render_template_string("{{ _('Projects') }}") == "Projects"
        assert render_template_string("{{ ngettext('%(num)d project found', '%(num)d projects found', 2) }}") \
            == "2 projets trouvés"
