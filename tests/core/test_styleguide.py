"""/styleguide: every component of the design system with sample data, for platform admins only, in English
and French; the pages it documents use the same macros."""
import pytest

from tests.factories import make_admin, make_user


def test_a_visitor_is_asked_to_sign_in(client):
    response = client.get("/styleguide")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_member_is_refused(client, auth):
    auth.login_as(make_user("plain"))
    response = client.get("/styleguide")
    assert response.status_code == 403
    assert b"Style guide" not in response.data


@pytest.mark.parametrize("locale, expected", [
    ("en", ["Style guide", "Palette", "Type scale", "Status badges", "Empty states", "Next steps",
            "Notification list", "Give the project a title.", "recruiting", "#0f5f66 · 7.4:1"]),
    ("fr", ["Charte graphique", "Palette", "Échelle typographique", "Badges d’état", "États vides",
            "Prochaines étapes", "Liste des notifications", "Donnez un titre au projet.", "en recrutement"]),
])
def test_an_admin_sees_every_component_in_their_language(client, auth, locale, expected):
    admin = make_admin("admin")
    admin.locale = locale
    from core.extensions import db
    db.session.commit()
    auth.login_as(admin)
    response = client.get("/styleguide")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in expected:
        assert text in page, text
    # The components, each once at least: header with actions, card, empty state, next steps, notifications,
    # a field with its error linked for screen readers, a stacking table, the logo.
    for marker in ('class="page-header"', 'class="card ch-card', 'class="empty-state"', 'class="next-steps"',
                   'class="list-group notification-list', 'aria-describedby="title-help title-error"',
                   'table-stack', 'img/logo.svg'):
        assert marker in page, marker


def test_the_header_shows_the_logo_and_a_menu_that_needs_no_javascript(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'img/logo-mark.svg' in page and '<details class="site-menu">' in page and "<summary" in page
    assert "<script" not in page
