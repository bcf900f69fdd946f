"""Business roles: named by the chapter's leads on a page of the project, each practising some of its
competencies; bad input is refused next to its field and changes nothing."""
import pytest
from sqlalchemy import func, select

from core.extensions import db
from learning import services
from learning.models import MAX_ROLES, ProjectBusinessRole, business_role_competency
from tests.factories import add_member, make_admin, make_chapter, make_project, make_user


@pytest.fixture
def world(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon")
    teammate = make_user("teammate")
    project = make_project(chapter, team=(teammate,), competencies=("admin.budget", "admin.invoicing",
                                                                    "sales.pitching"))
    return {"lead": lead, "chapter": chapter, "project": project, "teammate": teammate}


def roles():
    return db.session.execute(select(ProjectBusinessRole.kind, ProjectBusinessRole.name)
                              .order_by(ProjectBusinessRole.id)).all()


def role_codes():
    return sorted(db.session.scalars(select(business_role_competency.c.code)))


def test_a_lead_adds_a_role_that_the_project_page_then_shows(client, auth, world):
    auth.login_as(world["lead"])
    project = world["project"]
    page = client.get(f"/projects/{project.id}/roles").get_data(as_text=True)
    assert 'value="admin.budget"' in page and 'value="delivery.time"' not in page  # only the project's
    response = client.post(f"/projects/{project.id}/roles",
                           data={"kind": "budget_keeper", "competencies": ["admin.budget", "admin.invoicing"]})
    assert response.status_code == 302
    assert roles() == [("budget_keeper", None)] and role_codes() == ["admin.budget", "admin.invoicing"]
    detail = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Budget keeper" in detail and f'href="/projects/{project.id}/roles"' in detail
    client.get("/language", query_string={"locale": "fr"})
    visitor_page = client.get(f"/projects/{project.id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Responsable du budget" in visitor_page and "Budget et trésorerie" in visitor_page


def test_visitors_see_the_roles_but_not_the_management_link(client, world):
    services.add_role(world["project"], world["lead"], kind="other", name="Workshop promoter",
                      competencies=["sales.pitching"])
    page = client.get(f"/projects/{world['project'].id}").get_data(as_text=True)
    assert "Workshop promoter" in page and 'href="/learning/sales.pitching">Pitching</a>' in page
    assert f"/projects/{world['project'].id}/roles" not in page


@pytest.mark.parametrize("data, field, message", [
    ({"kind": "other", "competencies": ["admin.budget"]}, "name", "Name the role."),
    ({"kind": "budget_keeper", "competencies": []}, "competencies",
     "Choose at least one competency that the role practises."),
    ({"kind": "budget_keeper", "competencies": ["delivery.time"]}, "competencies",
     "Choose among the competencies the project practises."),
    ({"kind": "budget_keeper", "competencies": ["admin.nothing"]}, "competencies",
     "Choose among the competencies the project practises."),
    ({"kind": "treasurer", "competencies": ["admin.budget"]}, "kind", "Choose a kind of role from the list."),
    ({"kind": "other", "name": "x" * 81, "competencies": ["admin.budget"]}, "name",
     "Field cannot be longer than 80 characters."),
])
def test_bad_input_is_refused_next_to_its_field(client, auth, world, data, field, message):
    auth.login_as(world["lead"])
    response = client.post(f"/projects/{world['project'].id}/roles", data=data)
    assert response.status_code == 400
    assert f'<div id="{field}-error" class="invalid-feedback d-block">{message}</div>' in response.get_data(as_text=True)
    assert roles() == [] and role_codes() == []


def test_a_second_role_with_the_same_name_is_refused(client, auth, world):
    services.add_role(world["project"], world["lead"], kind="other", name="Scribe", competencies=["admin.budget"])
    auth.login_as(world["lead"])
    response = client.post(f"/projects/{world['project'].id}/roles",
                           data={"kind": "other", "name": "  scribe ", "competencies": ["admin.invoicing"]})
    assert response.status_code == 400
    assert "The project already has a role with this name." in response.get_data(as_text=True)
    assert roles() == [("other", "Scribe")]


def test_a_project_has_at_most_ten_roles(client, auth, world):
    for n in range(MAX_ROLES):
        services.add_role(world["project"], world["lead"], kind="other", name=f"Role {n}",
                          competencies=["admin.budget"])
    auth.login_as(world["lead"])
    response = client.post(f"/projects/{world['project'].id}/roles",
                           data={"kind": "budget_keeper", "competencies": ["admin.budget"]})
    assert response.status_code == 400 and "at most 10 business roles" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProjectBusinessRole)) == MAX_ROLES


def test_a_lead_edits_a_role(client, auth, world):
    role = services.add_role(world["project"], world["lead"], kind="budget_keeper", name=None,
                             competencies=["admin.budget"])
    auth.login_as(world["lead"])
    url = f"/projects/{world['project'].id}/roles/{role.id}"
    page = client.get(url).get_data(as_text=True)
    assert '<input checked id="competencies-1" name="competencies" type="checkbox" value="admin.budget">' in page
    assert 'type="checkbox" value="sales.pitching">' in page and "checked id=\"competencies-0\"" not in page
    response = client.post(url, data={"kind": "other", "name": "Treasurer",
                                      "competencies": ["admin.invoicing", "sales.pitching"]})
    assert response.status_code == 302
    assert roles() == [("other", "Treasurer")] and role_codes() == ["admin.invoicing", "sales.pitching"]
    refused = client.post(url, data={"kind": "other", "name": "Treasurer", "competencies": ["delivery.time"]})
    assert refused.status_code == 400 and role_codes() == ["admin.invoicing", "sales.pitching"]


def test_a_lead_removes_a_role(client, auth, world):
    role = services.add_role(world["project"], world["lead"], kind="budget_keeper", name=None,
                             competencies=["admin.budget"])
    auth.login_as(world["lead"])
    assert client.post(f"/projects/{world['project'].id}/roles/{role.id}/delete").status_code == 302
    assert roles() == [] and role_codes() == []


def test_a_role_of_another_project_is_not_found(client, auth, world):
    other = make_project(world["chapter"], competencies=("admin.budget",))
    role = services.add_role(other, world["lead"], kind="budget_keeper", name=None, competencies=["admin.budget"])
    auth.login_as(world["lead"])
    assert client.get(f"/projects/{world['project'].id}/roles/{role.id}").status_code == 404
    assert client.post(f"/projects/{world['project'].id}/roles/{role.id}/delete").status_code == 404
    assert roles() == [("budget_keeper", None)]


@pytest.mark.parametrize("who", ["teammate", "member", "admin", "other_lead"])
def test_only_the_chapters_leads_manage_roles(client, auth, world, who):
    role = services.add_role(world["project"], world["lead"], kind="budget_keeper", name=None,
                             competencies=["admin.budget"])
    user = {"teammate": world["teammate"], "member": add_member(world["chapter"], make_user()),
            "admin": make_admin(), "other_lead": make_user()}[who]
    if who == "other_lead":
        make_chapter(user)
    auth.login_as(user)
    base = f"/projects/{world['project'].id}/roles"
    assert client.get(base).status_code == 403
    assert client.post(base, data={"kind": "proposal_writer", "competencies": ["sales.pitching"]}).status_code == 403
    assert client.post(f"{base}/{role.id}", data={"kind": "other", "name": "X",
                                                  "competencies": ["admin.budget"]}).status_code == 403
    assert client.post(f"{base}/{role.id}/delete").status_code == 403
    assert roles() == [("budget_keeper", None)]


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get(f"/projects/{world['project'].id}/roles")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("status", ["delivered", "cancelled"])
def test_roles_are_closed_once_the_project_is_over(client, auth, world, status):
    project = make_project(world["chapter"], status=status, competencies=("admin.budget",))
    auth.login_as(world["lead"])
    assert client.post(f"/projects/{project.id}/roles",
                       data={"kind": "budget_keeper", "competencies": ["admin.budget"]}).status_code == 403
    assert roles() == []


def test_a_draft_is_hidden_from_people_who_cannot_see_it(client, auth, world):
    draft = make_project(world["chapter"], status="draft", competencies=("admin.budget",))
    auth.login_as(world["teammate"])
    assert client.get(f"/projects/{draft.id}/roles").status_code == 404
