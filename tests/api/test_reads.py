"""Public reads of the API: every filter of /projects/, cursors and Link headers, ETags, CORS, 404s."""
from __future__ import annotations

import re

from sqlalchemy import select

from chapters.models import Chapter
from core.extensions import db
from projects.models import Project
from tests.api.helpers import call, token_for
from tests.factories import (add_member, make_chapter, make_organisation, make_project, make_user,
                             make_delivered_project, issue_credentials)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()]


def next_link(response) -> str | None:
    match = re.match(r'<http://localhost([^>]+)>; rel="next"', response.headers.get("Link", ""))
    return match.group(1) if match else None


def test_projects_are_listed_recruiting_first_without_drafts_or_pending_chapters(client):
    chapter = make_chapter(make_user())
    delivered = make_project(chapter, status="delivered")
    recruiting = make_project(chapter, status="recruiting")
    make_project(chapter, status="draft")
    make_project(make_chapter(make_user(), status="pending"), status="recruiting")
    assert ids(call(client, "GET", "/api/v1/projects")) == [recruiting.id, delivered.id]


def test_every_filter_of_the_projects_page_applies(client):
    lyon = make_chapter(make_user(), name="Lyon Makers", country="FR")
    berlin = make_chapter(make_user(), name="Berlin Makers", city="Berlin", country="DE")
    water = make_project(lyon, title="Water map", skills=("Mapping",), sdgs=(6,), competencies=("admin.budget",))
    school = make_project(berlin, title="School site", skills=("Python",), sdgs=(4,), status="active")
    assert ids(call(client, "GET", "/api/v1/projects?q=water")) == [water.id]
    assert ids(call(client, "GET", "/api/v1/projects?skill=mapping")) == [water.id]
    assert ids(call(client, "GET", "/api/v1/projects?sdg=4")) == [school.id]
    assert ids(call(client, "GET", "/api/v1/projects?status=active")) == [school.id]
    assert ids(call(client, "GET", f"/api/v1/projects?chapter={lyon.slug}")) == [water.id]
    assert ids(call(client, "GET", "/api/v1/projects?country=DE")) == [school.id]
    assert ids(call(client, "GET", "/api/v1/projects?competency=admin.budget")) == [water.id]
    assert ids(call(client, "GET", f"/api/v1/projects?country=FR&chapter={berlin.slug}")) == []


def test_bad_filters_are_422_problems(client):
    for query in ("sdg=18", "sdg=x", "status=draft", "country=France", "limit=0", "limit=101", "unknown=1"):
        response = call(client, "GET", f"/api/v1/projects?{query}")
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 422 and response.get_json()["errors"]["query"]


def test_the_cursor_walks_every_project_once_in_order(client):
    chapter = make_chapter(make_user())
    made = [make_project(chapter, status=status) for status in ("recruiting", "active", "recruiting", "delivered",
                                                                   "cancelled", "active", "recruiting")]
    expected = [p.id for p in sorted(made, key=lambda p: (p.status_rank, p.created_at, p.id), reverse=True)]
    seen, url = [], "/api/v1/projects?limit=3&status="
    url = "/api/v1/projects?limit=3"
    while url:
        response = call(client, "GET", url)
        seen += ids(response)
        url = next_link(response)
    assert seen == expected
    assert len(ids(call(client, "GET", "/api/v1/projects?limit=3"))) == 3


def test_the_link_header_keeps_the_filters(client):
    chapter = make_chapter(make_user())
    for _ in range(3):
        make_project(chapter, status="recruiting")
    make_project(chapter, status="active")
    first = call(client, "GET", "/api/v1/projects?status=recruiting&limit=2")
    assert "status=recruiting" in first.headers["Link"]
    assert len(ids(call(client, "GET", next_link(first)))) == 1
    assert "Link" not in call(client, "GET", next_link(first)).headers


def test_a_cursor_that_is_not_ours_is_a_400_problem(client):
    make_project(make_chapter(make_user()))
    for cursor in ("nonsense", "WzEsMl0", "eyJhIjoxfQ", "WyJ4IiwiMjAyNi0wMS0wMSIsMV0"):
        response = call(client, "GET", f"/api/v1/projects?cursor={cursor}")
        assert response.status_code == 400, cursor
        assert response.mimetype == "application/problem+json"
        assert "cursor" in response.get_json()["detail"]
    assert call(client, "GET", "/api/v1/chapters?cursor=nonsense").status_code == 400
    assert call(client, "GET", "/api/v1/sponsors?cursor=nonsense").status_code == 400


def test_a_project_shows_its_milestones_and_team_size(client):
    teammate = make_user()
    project = make_project(make_chapter(make_user()), team=(teammate,), milestones=2, competencies=("admin.budget",))
    body = call(client, "GET", f"/api/v1/projects/{project.id}").get_json()
    assert body["team_size"] == 1 and body["competencies"] == ["admin.budget"]
    assert [m["title"] for m in body["milestones"]] == ["Milestone 1", "Milestone 2"]
    assert set(body["milestones"][0]) == {"id", "position", "title", "due_date", "status"}


def test_a_draft_is_404_except_for_its_leads(client):
    lead = make_user()
    draft = make_project(make_chapter(lead), status="draft")
    response = call(client, "GET", f"/api/v1/projects/{draft.id}")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert call(client, "GET", f"/api/v1/projects/{draft.id}", token_for(make_user())).status_code == 404
    assert call(client, "GET", f"/api/v1/projects/{draft.id}", token_for(lead, ["read"])).status_code == 200
    assert call(client, "GET", "/api/v1/projects/999999").status_code == 404
    assert call(client, "GET", f"/api/v1/projects/{2**64}").status_code == 404


def test_chapters_sponsors_members_and_the_framework(client):
    lead = make_user("ada", name="Ada Lovelace", skills=("Python",))
    chapter = make_chapter(lead, name="Lyon Makers")
    pending = make_chapter(make_user(), status="pending")
    make_organisation(make_user(), name="Acme Fund")
    pending_org = make_organisation(make_user(), status="pending", name="Hidden Fund")
    make_user("hidden", profile_hidden=True)
    delivered = make_delivered_project(chapter, team=(lead,))
    issue_credentials(delivered)
    assert [c["slug"] for c in call(client, "GET", "/api/v1/chapters").get_json()] == [chapter.slug]
    assert call(client, "GET", f"/api/v1/chapters/{chapter.slug}").get_json()["member_count"] == 1
    assert call(client, "GET", f"/api/v1/chapters/{pending.slug}").status_code == 404
    assert [s["name"] for s in call(client, "GET", "/api/v1/sponsors").get_json()] == ["Acme Fund"]
    assert call(client, "GET", f"/api/v1/sponsors/{pending_org.slug}").status_code == 404
    member = call(client, "GET", "/api/v1/members/ada").get_json()
    assert member["name"] == "Ada Lovelace" and member["skills"] == ["Python"]
    assert [c["project"]["id"] for c in member["credentials"]] == [delivered.id]
    assert member["credentials"][0]["url"].endswith(".json") and "email" not in member
    assert call(client, "GET", "/api/v1/members/hidden").status_code == 404
    assert call(client, "GET", "/api/v1/members/nobody").status_code == 404
    codes = [c["code"] for c in call(client, "GET", "/api/v1/framework").get_json()]
    assert "admin.budget" in codes


def test_chapters_page_by_name_with_a_cursor(client):
    for name in ("Delta", "Alpha", "Charlie", "Bravo"):
        make_chapter(make_user(), name=name)
    first = call(client, "GET", "/api/v1/chapters?limit=3")
    assert [c["name"] for c in first.get_json()] == ["Alpha", "Bravo", "Charlie"]
    assert [c["name"] for c in call(client, "GET", next_link(first)).get_json()] == ["Delta"]


def test_if_none_match_answers_304_until_the_data_changes(client):
    project = make_project(make_chapter(make_user()))
    first = call(client, "GET", f"/api/v1/projects/{project.id}")
    etag = first.headers["ETag"]
    again = call(client, "GET", f"/api/v1/projects/{project.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.data
    weak = call(client, "GET", f"/api/v1/projects/{project.id}", headers={"If-None-Match": f"W/{etag}, \"other\""})
    assert weak.status_code == 304
    listing = call(client, "GET", "/api/v1/projects")
    assert call(client, "GET", "/api/v1/projects", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304
    db.session.get(Project, project.id).title = "Renamed"
    db.session.commit()
    changed = call(client, "GET", f"/api/v1/projects/{project.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Renamed"
    assert changed.headers["ETag"] != etag
    assert call(client, "GET", "/api/v1/projects", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 200


def test_a_304_from_the_table_versions_runs_one_statement(client, queries):
    project = make_project(make_chapter(make_user()))
    etag = call(client, "GET", f"/api/v1/projects/{project.id}").headers["ETag"]
    with queries() as statements:
        assert call(client, "GET", f"/api/v1/projects/{project.id}", headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1, statements


def test_public_reads_are_open_to_other_sites_and_private_ones_are_not(client):
    project = make_project(make_chapter(make_user()))
    response = call(client, "GET", f"/api/v1/projects/{project.id}", headers={"Origin": "https://partner.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/api/v1/projects", headers={"Origin": "https://partner.example",
                                                           "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    me = call(client, "GET", "/api/v1/me", token_for(make_user()), headers={"Origin": "https://partner.example"})
    assert me.status_code == 200 and "Access-Control-Allow-Origin" not in me.headers
    assert "Access-Control-Allow-Origin" not in client.options("/api/v1/me/applications").headers


def test_the_openapi_document_and_the_docs_page_are_served_without_a_cdn(client):
    document = call(client, "GET", "/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/projects" in document["paths"] and "/api/v1/me/applications" in document["paths"]
    assert document["paths"]["/api/v1/me/applications"]["post"]["security"] == [{"bearerAuth": ["apply"]},
                                                                                {"oauth2": ["apply"]}]
    assert document["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]["tokenUrl"] == "/oauth/token"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/v1/projects" in html and "/api/v1/openapi.json" in html
    assert "cdn" not in html.lower() and "<script src=\"http" not in html
    french = client.get("/api/docs", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Documentation de l’API" in french


def test_unknown_addresses_and_methods_under_the_api_are_problems(client):
    missing = call(client, "GET", "/api/v1/nothing")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong = call(client, "DELETE", "/api/v1/projects")
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"
    assert "GET" in wrong.headers["Allow"]
    # The rest of the site keeps its own pages.
    assert client.get("/nothing-here").mimetype == "text/html"


def test_a_visitor_gets_the_stored_answer_in_one_statement_until_the_data_changes(client, queries):
    project = make_project(make_chapter(make_user()))
    first = call(client, "GET", "/api/v1/projects")
    with queries() as statements:
        again = call(client, "GET", "/api/v1/projects")
    assert len(statements) == 1 and again.get_json() == first.get_json()
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Access-Control-Allow-Origin"] == "*"
    db.session.get(Project, project.id).title = "Renamed"
    db.session.commit()
    assert call(client, "GET", "/api/v1/projects").get_json()[0]["title"] == "Renamed"


def test_the_document_lists_every_filter_and_the_if_none_match_header_of_public_lists(client):
    """The If-None-Match header is added next to the query's parameters, not in their place (a client generated
    from the document could not filter otherwise, nor schemathesis try the filters)."""
    paths = call(client, "GET", "/api/v1/openapi.json").get_json()["paths"]
    listed = {(p["in"], p["name"]) for p in paths["/api/v1/projects"]["get"]["parameters"]}
    assert listed == {("query", name) for name in ("cursor", "limit", "q", "skill", "sdg", "status", "chapter",
                                                   "country", "competency")} | {("header", "If-None-Match")}
    assert {p["name"] for p in paths["/api/v1/chapters"]["get"]["parameters"]} >= {"cursor", "city", "If-None-Match"}
