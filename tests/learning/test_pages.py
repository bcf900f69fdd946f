"""The public framework pages, the competency filter of /projects/ and the project page's business skills."""
import pytest

from learning import framework
from tests.factories import make_chapter, make_project, make_user


@pytest.fixture
def catalogue(app):
    lead = make_user("lead")
    lyon = make_chapter(lead, name="Lyon")
    projects = {
        "water": make_project(lyon, title="Water map", competencies=("sales.pitching", "admin.budget")),
        "books": make_project(lyon, title="Bakery books", status="active", competencies=("admin.budget",)),
        "shelter": make_project(lyon, title="Shelter site", competencies=("delivery.quality",)),
        "draft": make_project(lyon, title="Secret draft", status="draft", competencies=("admin.budget",)),
        "pending": make_project(make_chapter(make_user(), status="pending"), title="Pending chapter work",
                                competencies=("admin.budget",)),
    }
    return {"lead": lead, "chapter": lyon, **projects}


def body(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_framework_page_lists_every_area_and_competency_with_links_and_counts(client, catalogue):
    page = body(client, "/learning/")
    for area in framework.AREAS:
        assert area.name.en in page
        for competency in area.competencies:
            assert f'href="/learning/{competency.code}"' in page and competency.name.en in page
    # Recruiting projects of active chapters: Water map practises the budget; the draft, the active project
    # and the pending chapter's project do not count.
    assert 'href="/projects/?competency=admin.budget&amp;status=recruiting">1<' in page
    assert f"version {framework.VERSION}" in page
    assert "Attestations are not recorded yet" in page


def test_the_framework_page_is_in_french(client, catalogue):
    page = body(client, "/learning/", headers={"Accept-Language": "fr"})
    assert "<h1>Compétences entrepreneuriales</h1>" in page
    assert "Cadrage, tarification et propositions" in page and "Rédiger une proposition commerciale" in page


def test_the_main_navigation_links_to_the_framework(client):
    assert 'href="/learning/"' in body(client, "/")


def test_a_competency_page_says_what_good_looks_like_and_lists_recruiting_projects_practising_it(client, catalogue):
    page = body(client, "/learning/admin.budget")
    assert framework.competency("admin.budget").good.en.split(",")[0] in page
    assert "Water map" in page
    assert not any(title in page for title in ("Bakery books", "Secret draft", "Pending chapter work", "Shelter site"))
    assert "0 members have shown it so far." in page


def test_a_competency_page_in_french(client, catalogue):
    page = body(client, "/learning/admin.budget", headers={"Accept-Language": "fr"})
    assert "Budget et trésorerie" in page and framework.competency("admin.budget").good.fr[:60] in page


def test_a_competency_without_recruiting_projects_says_so(client, catalogue):
    page = body(client, "/learning/brand.network")
    assert "No recruiting project practises it right now." in page
    assert 'href="/projects/?competency=brand.network"' in page


def test_the_recruiting_projects_of_a_competency_are_paginated(client, catalogue):
    for n in range(22):
        make_project(catalogue["chapter"], title=f"Budget project {n:02d}", competencies=("admin.budget",))
    first, second = body(client, "/learning/admin.budget"), body(client, "/learning/admin.budget?page=2")
    assert "23 projects found" in first
    assert first.count('class="card ch-card h-100"') == 20 and second.count('class="card ch-card h-100"') == 3
    assert 'href="/learning/admin.budget?page=2"' in first


def test_an_unknown_competency_is_not_found(client):
    assert client.get("/learning/admin.nothing").status_code == 404
    assert client.get("/learning/").status_code == 200


@pytest.mark.parametrize("query, expected", [
    ({"competency": "admin.budget"}, ["Water map", "Bakery books"]),
    ({"competency": "admin.budget", "status": "active"}, ["Bakery books"]),
    ({"competency": "delivery.quality", "q": "shelter"}, ["Shelter site"]),
    ({"competency": "brand.network"}, []),
])
def test_projects_are_filtered_by_competency_with_the_other_filters(client, catalogue, query, expected):
    page = body(client, "/projects/", query_string=query)
    titles = ["Water map", "Bakery books", "Shelter site", "Secret draft", "Pending chapter work"]
    assert [t for t in titles if t in page] == expected


def test_the_competency_filter_keeps_itself_in_the_pagination_links(client, catalogue):
    for n in range(21):
        make_project(catalogue["chapter"], title=f"Budget project {n:02d}", competencies=("admin.budget",))
    page = body(client, "/projects/", query_string={"competency": "admin.budget"})
    assert "competency=admin.budget" in page.split('rel="next"')[0].rsplit("href=", 1)[1]
    assert '<option selected value="admin.budget">' in page or 'value="admin.budget" selected' in page


def test_an_unknown_competency_filter_is_refused_with_a_message(client, catalogue):
    response = client.get("/projects/", query_string={"competency": "admin.nothing"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_the_project_page_shows_its_competencies_linking_to_their_pages(client, catalogue):
    page = body(client, f"/projects/{catalogue['water'].id}")
    assert 'href="/learning/sales.pitching">Pitching</a>' in page
    assert 'href="/learning/admin.budget">Budgets and cash flow</a>' in page
    # In the framework's order: sales before finances.
    assert page.index("/learning/sales.pitching") < page.index("/learning/admin.budget")


def test_a_project_without_competencies_shows_no_section_to_visitors(client, catalogue):
    project = make_project(catalogue["chapter"], title="Plain project")
    assert "Business skills practised" not in body(client, f"/projects/{project.id}")
