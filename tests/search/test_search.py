"""/search: projects, chapters and people from the header, public data only, bad input refused with a message,
a bounded number of statements."""
import pytest
from sqlalchemy import func, select

from core.audit import utcnow
from core.extensions import db
from tests.conftest import count_queries, over_budget
from tests.factories import make_chapter, make_project, make_user


@pytest.fixture
def found(app):
    lead = make_user("garance", name="Garance Gardener")
    garden = make_chapter(lead, name="Garden City Freelancers", city="Lille")
    make_chapter(make_user(), name="Garden pending", status="pending")
    make_project(garden, title="Garden map", status="recruiting")
    make_project(garden, title="Garden draft", status="draft")
    make_user("gardenhidden", name="Hidden Gardener", profile_hidden=True)
    make_user("gardensusp", name="Suspended Gardener", suspended_at=utcnow())
    make_user("gardengone", name="Gone Gardener", deleted_at=utcnow())
    make_user("quiet", name="Quiet Person", email="gardener@example.org")
    return garden


def body_of(client, **query):
    response = client.get("/search", query_string=query)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", ["visitor", "member", "admin"])
def test_search_finds_public_projects_chapters_and_people_only(client, auth, found, viewer):
    if viewer != "visitor":
        auth.login_as(make_user(is_admin=viewer == "admin"))
    status, body = body_of(client, q="garden")
    assert status == 200
    assert "Garden map" in body and "Garden City Freelancers" in body and "Garance Gardener" in body
    for private in ("Garden draft", "Garden pending", "Hidden Gardener", "Suspended Gardener", "Gone Gardener",
                    "Quiet Person", "gardener@example.org", "garance@example.org"):
        assert private not in body, private


def test_chapters_are_found_by_city_and_people_by_handle(client, found):
    assert "Garden City Freelancers" in body_of(client, q="lill")[1]
    status, body = body_of(client, q="garance", kind="people")
    assert status == 200 and "Garance Gardener" in body and "1 found" in body


def test_the_header_form_searches_without_javascript(client, found):
    home = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in home and 'name="q"' in home and 'method="get"' in home


def test_everything_is_escaped(client, app):
    make_project(make_chapter(make_user()), title="<script>alert(1)</script> garden")
    status, body = body_of(client, q="<script>")
    assert status == 200
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_like_wildcards_are_matched_literally(client, found):
    for q in ("%%", "__", "%_"):
        status, body = body_of(client, q=q)
        assert status == 200 and "Garden map" not in body and "Garance" not in body
    make_user("pct", name="Ninety 100% Sure")
    assert "Ninety 100% Sure" in body_of(client, q="0%")[1]


@pytest.mark.parametrize("query, message", [
    ({"q": "g"}, "Type between 2 and 100 characters."),
    ({"q": "g" * 101}, "Type between 2 and 100 characters."),
    ({"q": "gar\x00den"}, "Remove the control characters from your search."),
    ({"q": "garden", "kind": "emails"}, "Not a valid choice"),
])
def test_bad_input_is_a_400_with_a_message_next_to_the_field(client, found, query, message):
    status, body = body_of(client, **query)
    assert status == 400 and message in body and "is-invalid" in body
    assert "Garden map" not in body


def test_an_empty_search_asks_for_words(client, found):
    status, body = body_of(client)
    assert status == 200 and "Type at least two characters" in body and "Garden map" not in body


def test_search_does_not_change_anything(client, found):
    from accounts.models import User
    from projects.models import Project

    before = (db.session.scalar(select(func.count()).select_from(User)),
              db.session.scalar(select(func.count()).select_from(Project)))
    body_of(client, q="garden')); DELETE FROM project; --")
    assert before == (db.session.scalar(select(func.count()).select_from(User)),
                      db.session.scalar(select(func.count()).select_from(Project)))


def test_one_kind_is_paginated_and_the_preview_links_to_it(client, app):
    chapter = make_chapter(make_user())
    for n in range(25):
        make_project(chapter, title=f"Orchard {n:02d}", commit=False)
    db.session.commit()
    status, body = body_of(client, q="orchard")
    assert status == 200 and body.count("Orchard ") == 5 and "kind=projects" in body
    _, first = body_of(client, q="orchard", kind="projects")
    _, second = body_of(client, q="orchard", kind="projects", page=2)
    assert "25 found" in first and first.count("Orchard ") == 20 and second.count("Orchard ") == 5
    assert 'rel="next"' in first and "page=2" in first
    status, far = body_of(client, q="orchard", kind="projects", page=99999999999)
    assert status == 200 and "Orchard " not in far.split("25 found")[1].split("Everything found")[0]


def build(size: int):
    chapter = make_chapter(make_user(), name="Search chapter")
    for n in range(size):
        make_project(chapter, title=f"Seed project {n}", commit=False)
        make_user(name=f"Seed person {n}", commit=False)
        make_chapter(make_user(commit=False), name=f"Seed chapter {n}", commit=False)
    db.session.commit()


def test_search_runs_the_same_statements_at_two_sizes(app, client, auth):
    counts = {}
    for size in (3, 60):
        build(size)
        for viewer in ("visitor", "member"):
            if viewer == "member":
                auth.login_as(make_user())
            else:
                auth.logout()
            for name, query in {"all": {"q": "seed"}, "projects": {"q": "seed", "kind": "projects"},
                                "people": {"q": "seed", "kind": "people", "page": 2},
                                "chapters": {"q": "seed", "kind": "chapters"}}.items():
                with count_queries() as queries:
                    assert client.get("/search", query_string=query).status_code == 200
                counts.setdefault(size, {})[f"{viewer} search {name}"] = len(queries)
    assert counts[3] == counts[60], counts
    assert over_budget(counts[60]) == {}, counts[60]
