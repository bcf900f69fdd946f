"""Learning goals: a team member picks one to three of the project's competencies and may take a free business
role, on /projects/<id>/goals, until the project is delivered; /me asks new team members to pick them; bad input
is refused next to its field and changes nothing."""
import pytest
from sqlalchemy import select

from core.extensions import db
from learning import services
from learning.models import GoalAttestation, LearningGoal, ProjectBusinessRole
from projects import services as project_services
from projects.models import TeamMember
from tests.factories import make_application, make_chapter, make_project, make_user

CODES = ("admin.budget", "admin.invoicing", "sales.pitching", "delivery.time")


@pytest.fixture
def world(app):
    lead, teammate, other = make_user("lead"), make_user("teammate"), make_user("other")
    chapter = make_chapter(lead, name="Lyon")
    project = make_project(chapter, team=(teammate, other), competencies=CODES)
    budget = services.add_role(project, lead, kind="budget_keeper", name=None, competencies=["admin.budget"])
    liaison = services.add_role(project, lead, kind="sponsor_liaison", name=None, competencies=["sales.pitching"])
    return {"lead": lead, "chapter": chapter, "project": project, "teammate": teammate, "other": other,
            "budget": budget, "liaison": liaison}


def goals_of(user):
    return sorted(db.session.scalars(select(LearningGoal.code).join(TeamMember).where(TeamMember.user_id == user.id)))


def holders():
    db.session.expire_all()
    return dict(db.session.execute(select(ProjectBusinessRole.kind, ProjectBusinessRole.holder_id)).all())


def place_of(project, user):
    return db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                                      TeamMember.user_id == user.id))


def test_a_team_member_picks_goals_and_a_role_that_the_project_page_then_shows(client, auth, world):
    project, teammate = world["project"], world["teammate"]
    auth.login_as(teammate)
    page = client.get(f"/projects/{project.id}/goals").get_data(as_text=True)
    assert 'value="admin.budget"' in page and 'value="brand.content"' not in page  # only the project's
    response = client.post(f"/projects/{project.id}/goals",
                           data={"goals": ["admin.budget", "delivery.time"], "role": str(world["budget"].id)})
    assert response.status_code == 302
    assert goals_of(teammate) == ["admin.budget", "delivery.time"]
    assert holders()["budget_keeper"] == place_of(project, teammate).id
    assert f'href="/projects/{project.id}/goals">My learning goals' in client.get(f"/projects/{project.id}").get_data(
        as_text=True)
    page = client.get(f"/projects/{project.id}/goals").get_data(as_text=True)
    assert "Your business role: Budget keeper" in page and "waiting for an attestation" in page
    client.get("/language", query_string={"locale": "fr"})
    french = client.get(f"/projects/{project.id}/goals").get_data(as_text=True)
    assert "Vos objectifs d’apprentissage" in french


def test_goals_change_until_delivery_and_the_role_can_be_given_up(client, auth, world):
    project, teammate = world["project"], world["teammate"]
    services.set_goals(project, teammate, codes=["admin.budget"], role_id=world["budget"].id)
    auth.login_as(teammate)
    response = client.post(f"/projects/{project.id}/goals",
                           data={"goals": ["sales.pitching", "admin.invoicing"], "role": str(world["liaison"].id)})
    assert response.status_code == 302
    assert goals_of(teammate) == ["admin.invoicing", "sales.pitching"]
    assert holders() == {"budget_keeper": None, "sponsor_liaison": place_of(project, teammate).id}
    client.post(f"/projects/{project.id}/goals", data={"goals": ["sales.pitching"], "role": ""})
    assert goals_of(teammate) == ["sales.pitching"] and holders()["sponsor_liaison"] is None


@pytest.mark.parametrize("data, message", [
    ({"goals": []}, "Choose at least one learning goal."),
    ({"goals": ["admin.budget", "admin.invoicing", "sales.pitching", "delivery.time"]},
     "Choose at most 3 learning goals."),
    ({"goals": ["brand.content"]}, "Choose among the competencies the project practises."),
    ({"goals": ["admin.nothing"]}, "Choose among the competencies the project practises."),
])
def test_bad_goals_are_refused_next_to_the_field(client, auth, world, data, message):
    auth.login_as(world["teammate"])
    response = client.post(f"/projects/{world['project'].id}/goals", data={**data, "role": ""})
    assert response.status_code == 400
    assert f'<div id="goals-error" class="invalid-feedback d-block">{message}</div>' in response.get_data(as_text=True)
    assert goals_of(world["teammate"]) == []


def test_more_than_three_goals_are_refused_by_the_service_too(world):
    from core.errors import FieldError
    with pytest.raises(FieldError):
        services.set_goals(world["project"], world["teammate"], codes=list(CODES), role_id=None)
    assert goals_of(world["teammate"]) == []


def test_a_role_held_by_another_member_or_of_another_project_is_refused(client, auth, world):
    project = world["project"]
    services.set_goals(project, world["other"], codes=["admin.budget"], role_id=world["budget"].id)
    foreign = make_project(world["chapter"], competencies=("admin.budget",))
    foreign_role = services.add_role(foreign, world["lead"], kind="budget_keeper", name=None,
                                     competencies=["admin.budget"])
    auth.login_as(world["teammate"])
    page = client.get(f"/projects/{project.id}/goals").get_data(as_text=True)
    assert f'value="{world["budget"].id}"' not in page  # only free roles are offered
    for role_id, message in ((world["budget"].id, "Another team member holds this role: choose a free one."),
                             (foreign_role.id, "Choose a business role of this project.")):
        response = client.post(f"/projects/{project.id}/goals",
                               data={"goals": ["admin.invoicing"], "role": str(role_id)})
        assert response.status_code == 400
        assert f'<div id="role-error" class="invalid-feedback d-block">{message}</div>' in response.get_data(as_text=True)
        assert goals_of(world["teammate"]) == []
    budget = db.session.get(ProjectBusinessRole, world["budget"].id)
    assert budget.holder_id == place_of(project, world["other"]).id


def test_an_attested_goal_stays(client, auth, world):
    project, teammate = world["project"], world["teammate"]
    services.set_goals(project, teammate, codes=["admin.budget"], role_id=None)
    goal = db.session.scalar(select(LearningGoal))
    db.session.add(GoalAttestation(goal_id=goal.id, level="practised", note="Seen.", attested_by_id=world["lead"].id))
    db.session.commit()
    auth.login_as(teammate)
    response = client.post(f"/projects/{project.id}/goals", data={"goals": ["admin.invoicing"], "role": ""})
    assert response.status_code == 400
    assert "A goal already attested stays: keep Budgets and cash flow." in response.get_data(as_text=True)
    assert goals_of(teammate) == ["admin.budget"]


@pytest.mark.parametrize("who", ["visitor", "lead", "stranger", "removed"])
def test_only_the_team_member_sets_their_goals(client, auth, world, who):
    project = world["project"]
    if who == "removed":
        place = place_of(project, world["teammate"])
        place.left_at, place.removal_reason = db.func.now(), "Never came."
        db.session.commit()
        auth.login_as(world["teammate"])
    elif who != "visitor":
        auth.login_as(world["lead"] if who == "lead" else make_user("stranger"))
    for method in ("get", "post"):
        response = getattr(client, method)(f"/projects/{project.id}/goals", data={"goals": ["admin.budget"]})
        assert response.status_code == (302 if who == "visitor" else 403)
    assert db.session.scalars(select(LearningGoal)).all() == []


@pytest.mark.parametrize("status", ["delivered", "cancelled"])
def test_goals_are_fixed_once_the_project_is_delivered_or_cancelled(client, auth, world, status):
    project = world["project"]
    services.set_goals(project, world["teammate"], codes=["admin.budget"], role_id=None)
    project.status = status
    db.session.commit()
    auth.login_as(world["teammate"])
    response = client.post(f"/projects/{project.id}/goals", data={"goals": ["sales.pitching"], "role": ""})
    assert response.status_code == 403 and goals_of(world["teammate"]) == ["admin.budget"]
    assert "My learning goals" not in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_me_asks_a_newly_accepted_member_to_pick_goals_until_they_do(client, auth, world):
    newcomer = make_user("newcomer")
    application = make_application(world["project"], newcomer)
    project_services.decide_application(application, world["lead"], "accept")
    auth.login_as(newcomer)
    dashboard = client.get("/me").get_data(as_text=True)
    assert "Pick your learning goals" in dashboard
    assert f'href="/projects/{world["project"].id}/goals"' in dashboard
    services.set_goals(world["project"], newcomer, codes=["admin.budget"], role_id=None)
    assert "Pick your learning goals" not in client.get("/me").get_data(as_text=True)


def test_me_does_not_ask_on_projects_without_competencies(client, auth, world):
    alone = make_user("alone")
    make_project(world["chapter"], team=(alone,))
    auth.login_as(alone)
    assert "Pick your learning goals" not in client.get("/me").get_data(as_text=True)
