"""Leads choose the competencies a project practises on the project form; bad choices change nothing."""
import pytest
from sqlalchemy import select

from core.errors import FieldError
from core.extensions import db
from learning import framework
from learning import services as learning_services
from learning.models import business_role_competency
from projects import services
from projects.models import Project, ProjectCompetency
from tests.factories import add_member, make_chapter, make_project, make_user


@pytest.fixture
def lead(app):
    return make_user("lead")


@pytest.fixture
def chapter(lead):
    return make_chapter(lead, name="Lyon")


def form(**extra):
    return {"title": "Water point map", "summary": "Map the water points.", "problem": "Nobody knows.",
            "skills": "Mapping", "team_min": "1", "team_max": "3", **extra}


def codes_of(project_id):
    return db.session.scalars(select(ProjectCompetency.code).where(ProjectCompetency.project_id == project_id)
                              .order_by(ProjectCompetency.code)).all()


def test_the_form_offers_the_competencies_grouped_by_area(client, auth, lead, chapter):
    auth.login_as(lead)
    page = client.get(f"/chapters/{chapter.slug}/projects/new").get_data(as_text=True)
    assert '<legend class="fs-6 fw-semibold mb-1">Finding clients and selling</legend>' in page
    assert 'name="competencies" id="competency-sales.pitching" value="sales.pitching"' in page
    french = client.get(f"/chapters/{chapter.slug}/projects/new", headers={"Accept-Language": "fr"})
    assert "Trouver des clients et vendre" in french.get_data(as_text=True)


def test_a_lead_creates_a_project_with_competencies(client, auth, lead, chapter):
    auth.login_as(lead)
    response = client.post(f"/chapters/{chapter.slug}/projects/new",
                           data=form(competencies=["sales.pitching", "admin.budget"]))
    assert response.status_code == 302
    project = db.session.scalar(select(Project).where(Project.title == "Water point map"))
    assert codes_of(project.id) == ["admin.budget", "sales.pitching"]


def test_a_lead_changes_the_competencies_and_the_form_shows_them_checked(client, auth, lead, chapter):
    project = make_project(chapter, competencies=("sales.pitching", "admin.budget"))
    auth.login_as(lead)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert 'value="sales.pitching" checked' in page and 'value="delivery.time" checked' not in page
    assert client.post(f"/projects/{project.id}/edit",
                       data=form(competencies=["admin.budget", "delivery.time"])).status_code == 302
    assert codes_of(project.id) == ["admin.budget", "delivery.time"]


@pytest.mark.parametrize("chosen, message", [
    (["brand.positioning", "brand.portfolio", "brand.content", "brand.network", "sales.prospecting",
      "sales.discovery", "sales.pitching", "sales.negotiation", "admin.budget"], "Choose at most 8 competencies."),
    (["admin.budget", "admin.nothing"], "Choose competencies from the list."),
])
def test_bad_choices_are_refused_next_to_the_field_and_change_nothing(client, auth, lead, chapter, chosen, message):
    project = make_project(chapter, title="Unchanged title", competencies=("admin.budget",))
    auth.login_as(lead)
    response = client.post(f"/projects/{project.id}/edit", data=form(competencies=chosen))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<div id="competencies-error" class="invalid-feedback d-block">{message}</div>' in page
    assert codes_of(project.id) == ["admin.budget"]
    assert db.session.get(Project, project.id).title == "Unchanged title"


def test_the_refusal_is_in_french(client, auth, lead, chapter):
    project = make_project(chapter)
    auth.login_as(lead)
    response = client.post(f"/projects/{project.id}/edit", data=form(competencies=["admin.nothing"]),
                           headers={"Accept-Language": "fr"})
    assert "Choisissez des compétences dans la liste." in response.get_data(as_text=True)


def test_the_service_checks_the_codes_itself(lead, chapter):
    project = make_project(chapter)
    fields = dict(title="T" * 10, summary="s", problem="", learning_outcomes="", team_min=1, team_max=3,
                  start_date=None, end_date=None, skills=["Python"], sdgs=[])
    with pytest.raises(FieldError) as refused:
        services.update_project(project, lead, competencies=["admin.nothing"], **fields)
    assert "competencies" in refused.value.errors
    db.session.rollback()
    with pytest.raises(FieldError):
        services.update_project(project, lead, competencies=sorted(framework.codes())[:9], **fields)
    db.session.rollback()
    assert codes_of(project.id) == []


def test_a_member_who_does_not_lead_cannot_set_competencies(client, auth, chapter):
    project = make_project(chapter, title="Kept title")
    member = add_member(chapter, make_user())
    auth.login_as(member)
    assert client.post(f"/projects/{project.id}/edit", data=form(competencies=["admin.budget"])).status_code == 403
    assert codes_of(project.id) == []


def test_dropping_a_competency_from_the_project_drops_it_from_its_roles(client, auth, lead, chapter):
    project = make_project(chapter, competencies=("admin.budget", "admin.invoicing"))
    learning_services.add_role(project, lead, kind="budget_keeper", name=None,
                               competencies=["admin.budget", "admin.invoicing"])
    auth.login_as(lead)
    assert client.post(f"/projects/{project.id}/edit",
                       data=form(competencies=["admin.invoicing"])).status_code == 302
    assert db.session.scalars(select(business_role_competency.c.code)).all() == ["admin.invoicing"]


def test_only_the_chapters_leads_hold_the_competency_rule(lead, chapter):
    """The project form is refused to the others by project.edit first: the rule itself is checked here."""
    from core.authz import can
    from tests.factories import make_admin

    project = make_project(chapter, team=(make_user(),))
    others = [add_member(chapter, make_user()), make_admin(), make_user()]
    other_lead = make_user()
    make_chapter(other_lead)
    assert can(lead, "project.set_competencies", project)
    assert not any(can(user, "project.set_competencies", project) for user in [*others, other_lead])
