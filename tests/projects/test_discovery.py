"""Discovery, recommendations, the pages' query counts and what each viewer sees."""
import pytest

from core.extensions import db
from tests.conftest import count_queries, over_budget
from tests.factories import make_application, make_chapter, make_project, make_user


def titles(client, **query):
    body = client.get("/projects/", query_string=query).get_data(as_text=True)
    return [t for t in ("Water map", "Bakery books", "Shelter site", "Secret draft", "Old cafe") if t in body]


@pytest.fixture
def catalogue(app):
    lead = make_user("lead")
    lyon = make_chapter(lead, name="Lyon", country="FR")
    accra = make_chapter(make_user(), name="Accra", country="GH")
    make_project(accra, title="Water map", skills=("Mapping", "Python"), sdgs=(6, 11))
    make_project(lyon, title="Bakery books", status="active", skills=("Bookkeeping",), sdgs=(8,))
    make_project(lyon, title="Shelter site", skills=("Accessibility",), sdgs=(5,))
    make_project(lyon, title="Secret draft", status="draft")
    make_project(lyon, title="Old cafe", status="cancelled", skills=("Python",))
    return {"lyon": lyon, "accra": accra}


def test_drafts_are_never_listed_and_recruiting_comes_first(client, catalogue):
    assert titles(client) == ["Water map", "Bakery books", "Shelter site", "Old cafe"]
    body = client.get("/projects/").get_data(as_text=True)
    assert body.index("Shelter site") < body.index("Bakery books") < body.index("Old cafe")


@pytest.mark.parametrize("query, expected", [
    ({"skill": "python"}, ["Water map", "Old cafe"]),
    ({"sdg": "6"}, ["Water map"]),
    ({"status": "active"}, ["Bakery books"]),
    ({"country": "GH"}, ["Water map"]),
    ({"q": "BAKERY"}, ["Bakery books"]),
    ({"q": "summary of the project", "status": "recruiting"}, ["Water map", "Shelter site"]),
    ({"skill": "python", "status": "recruiting"}, ["Water map"]),
])
def test_filters_combine(client, catalogue, query, expected):
    assert titles(client, **query) == expected


def test_chapter_filter_and_bookmarkable_pages(client, catalogue):
    assert titles(client, chapter=catalogue["lyon"].slug) == ["Bakery books", "Shelter site", "Old cafe"]
    for n in range(25):
        make_project(catalogue["accra"], title=f"Extra {n:02d}", commit=False)
    db.session.commit()
    page_one = client.get("/projects/?country=GH").get_data(as_text=True)
    assert "country=GH" in page_one.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_invalid_filters_are_a_400_with_a_message(client, catalogue):
    response = client.get("/projects/?sdg=99&status=bogus")
    assert response.status_code == 400 and "is-invalid" in response.get_data(as_text=True)


def test_recommendations_rank_recruiting_projects_by_shared_skills(client, auth, catalogue):
    member = make_user(skills=("Python", "Mapping", "Accessibility"))
    auth.login_as(member)
    body = client.get("/me").get_data(as_text=True)
    section = body.split("Recommended for you")[1]
    assert section.index("Water map") < section.index("Shelter site")
    assert "2 of your skills" in section and "Old cafe" not in section and "Bakery books" not in section


def test_a_chapter_page_lists_its_projects_by_status(client, auth, catalogue):
    body = client.get(f"/chapters/{catalogue['lyon'].slug}").get_data(as_text=True)
    assert "Bakery books" in body and "Shelter site" in body and "Secret draft" not in body


def test_leads_see_drafts_on_their_chapter_page(client, auth, catalogue):
    auth.login_as(db.session.get(type(make_user()), catalogue["lyon"].proposed_by_id))
    assert "Secret draft" in client.get(f"/chapters/{catalogue['lyon'].slug}").get_data(as_text=True)


def test_the_page_offers_only_the_transitions_the_viewer_may_make(client, auth, catalogue):
    lead = db.session.get(type(make_user()), catalogue["lyon"].proposed_by_id)
    project = make_project(catalogue["lyon"], status="recruiting", team_min=3)
    auth.login_as(make_user())
    assert "Start the project" not in client.get(f"/projects/{project.id}").get_data(as_text=True)
    auth.login_as(lead)
    body = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Start the project" in body and "The team has 0 of the 3 members it needs to start." in body
    assert "Open recruiting" not in body


def build(size: int):
    lead = make_user()
    chapter = make_chapter(lead)
    members = [make_user(commit=False, skills=("Python",)) for _ in range(3)]
    for n in range(size):
        project = make_project(chapter, title=f"P{n}", team=tuple(members[:2]), milestones=3,
                               skills=("Python", f"Skill {n % 7}"), sdgs=(n % 13 + 5, 4), commit=False)
        make_application(project, commit=False)
    db.session.commit()
    main = make_project(chapter, title="Main", status="active", team=tuple(members), milestones=4)
    for _ in range(size // 10):
        make_application(main, commit=False)
    db.session.commit()
    return lead, members[0], main


def test_project_pages_run_a_fixed_number_of_queries(app, client, auth):
    counts = {}
    for size in (10, 500):
        lead, member, main = build(size)
        for viewer in ("visitor", "member", "lead"):
            pages = {"list": "/projects/", "filtered": "/projects/?skill=python&sdg=4&status=recruiting&q=P",
                     "project": f"/projects/{main.id}", "home": "/"}
            if viewer == "visitor":
                auth.logout()
            else:
                auth.login_as(lead if viewer == "lead" else member)
                pages["dashboard"] = "/me"
            if viewer == "lead":
                pages["applications"] = f"/projects/{main.id}/applications"
            for name, path in pages.items():
                with count_queries() as queries:
                    assert client.get(path).status_code == 200
                counts.setdefault(size, {})[f"{viewer} {name}"] = len(queries)
    print("query counts at 500 projects:", counts[500])
    assert counts[10] == counts[500], counts
    assert over_budget(counts[500]) == {}, counts[500]


def test_free_text_counts_stop_at_the_cap(client, monkeypatch):
    from projects import queries

    monkeypatch.setattr(queries, "TEXT_COUNT_CAP", 3)
    lead = make_user()
    chapter = make_chapter(lead)
    for n in range(5):
        make_project(chapter, title=f"Garden map {n}", commit=False)
    make_project(chapter, title="Bakery books")
    body = client.get("/projects/?q=garden").get_data(as_text=True)
    assert "More than 3 projects found" in body and body.count("Garden map") == 5
    assert "1 project found" in client.get("/projects/?q=bakery").get_data(as_text=True)
