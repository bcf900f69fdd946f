"""Discovery, recommendations, the pages' query counts and what each viewer sees."""
import pytest
from sqlalchemy import func, select

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
    accra = make_chapter(make_user(), name="Accra", city="Tema", country="GH")
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


def test_the_chapter_filter_works_without_a_country(client, catalogue):
    lyon = catalogue["lyon"]
    assert titles(client, chapter="lyo") == ["Bakery books", "Shelter site", "Old cafe"]  # name typed
    assert titles(client, chapter="LYON") == ["Bakery books", "Shelter site", "Old cafe"]
    assert titles(client, chapter=lyon.slug) == ["Bakery books", "Shelter site", "Old cafe"]  # old links
    assert titles(client, chapter="Accra") == ["Water map"]
    assert titles(client, chapter="tem") == ["Water map"]  # by its city too
    assert titles(client, chapter="Lyon", country="GH") == []
    assert titles(client, chapter="%") == [] and titles(client, chapter="_") == []  # wildcards are literal


def test_free_text_wildcards_are_matched_literally(client, catalogue):
    assert titles(client, q="%") == [] and titles(client, q="_") == []
    make_project(catalogue["lyon"], title="100% solar")
    body = client.get("/projects/", query_string={"q": "100%"}).get_data(as_text=True)
    assert "100% solar" in body and "1 project found" in body


def sorted_titles(client, sort):
    body = client.get("/projects/", query_string={"sort": sort}).get_data(as_text=True)
    names = ("Soon", "Later", "Started", "Undated", "Roomy", "Full")
    return sorted((n for n in names if f">{n}<" in body), key=body.index)


def test_projects_sort_by_newest_starting_soon_and_places_left(client, app):
    from datetime import date, timedelta

    chapter = make_chapter(make_user())
    today = date.today()
    made = {}
    for title, start, size, cap in (("Started", -5, 1, 4), ("Later", 30, 0, 4), ("Soon", 3, 3, 4),
                                    ("Undated", None, 0, 2), ("Roomy", 60, 0, 9), ("Full", 10, 4, 4)):
        made[title] = project = make_project(chapter, title=title, team_max=cap, commit=False)
        project.team_size = size
        project.start_date = today + timedelta(days=start) if start is not None else None
        project.end_date = None
    db.session.commit()
    assert sorted_titles(client, "newest") == ["Full", "Roomy", "Undated", "Soon", "Later", "Started"]
    assert sorted_titles(client, "starting") == ["Soon", "Full", "Later", "Roomy", "Started", "Undated"]
    assert sorted_titles(client, "places")[:4] == ["Roomy", "Later", "Started", "Undated"]
    assert sorted_titles(client, "places")[-1] == "Full"
    made["Started"].status = "active"
    db.session.commit()
    assert sorted_titles(client, "places")[-1] == "Started"  # only recruiting projects take people


@pytest.mark.parametrize("sort", ["oldest", "1; DROP TABLE project", "x" * 500])
def test_an_unknown_sort_is_a_400_with_a_message_next_to_the_field(client, catalogue, sort):
    response = client.get("/projects/", query_string={"sort": sort})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="sort-error"' in body and "Not a valid choice" in body
    assert "Water map" in body  # the default list, unfiltered


def test_cards_show_dates_open_places_and_the_chapters_city(client, catalogue):
    from datetime import date

    body = client.get("/projects/", query_string={"q": "Water map"}).get_data(as_text=True)
    card = body.split("Water map", 1)[1].split("</article>")[0]
    assert "Accra" in card and "places left" in card and "Dates:" in card
    assert str(date.today().year) in card


def test_skills_typed_in_french_match_the_skill_list(client, auth, app):
    from accounts.models import Skill
    from projects.models import Project

    lead = make_user()
    chapter = make_chapter(lead)
    english = make_project(chapter, title="English books", skills=("Bookkeeping",))
    french = make_project(chapter, title="Livres en français", skills=("comptabilité", "Cartographie"))
    assert db.session.scalar(select(func.count()).select_from(Skill)) == 2  # one skill each, whatever the language
    assert {s.slug for s in french.skills} == {"bookkeeping", "mapping"}
    assert [p.title for p in db.session.scalars(select(Project).order_by(Project.id))] == [english.title, french.title]
    body = client.get("/projects/", query_string={"skill": "bookkeeping"}).get_data(as_text=True)
    assert "English books" in body and "Livres en français" in body
    fr = client.get("/projects/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Comptabilité" in fr and "Cartographie" in fr
    # a member typing French on their profile gets the same skills, named in their language
    member = make_user()
    auth.login_as(member)
    client.post("/me/edit", data={"name": "Zoé", "city": "Lyon", "country": "FR", "skills": "comptabilite, Tricot",
                                  "bio": "", "locale": "fr"})
    db.session.expire_all()
    assert sorted(s.slug for s in db.session.get(type(member), member.id).skills) == ["bookkeeping", "tricot"]
    assert db.session.scalar(select(func.count()).select_from(Skill)) == 3
