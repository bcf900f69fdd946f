"""Text sent to the API may not hold control characters (NUL above all: PostgreSQL refuses it in text, which
answered 500 before; schemathesis found both cases): a 422 problem naming the field, and nothing changes."""
import pytest

from tests.api.helpers import call, token_for
from tests.conftest import fresh
from tests.factories import make_user


@pytest.mark.parametrize("bio", ["hello\x00", "right-to-left \u202e override", "bell \x07"])
def test_a_profile_with_control_characters_is_refused(client, bio):
    member = make_user(bio="As it was.")
    response = call(client, "PATCH", "/api/v1/me", token_for(member), json={"bio": bio})
    assert response.status_code == 422 and "bio" in response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert fresh(member).bio == "As it was."


def test_line_breaks_and_tabs_are_fine(client):
    member = make_user()
    response = call(client, "PATCH", "/api/v1/me", token_for(member), json={"bio": "Line one\nline\ttwo"})
    assert response.status_code == 200 and fresh(member).bio == "Line one\nline\ttwo"


@pytest.mark.parametrize("query", ["competency=%00", "chapter=%1C", "skill=py%00thon", "q=%00"])
def test_filters_with_control_characters_are_refused(client, query):
    response = call(client, "GET", f"/api/v1/projects?{query}")
    assert response.status_code == 422, response.get_data(as_text=True)
