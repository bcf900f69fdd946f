"""Leads are members too: they join their own chapter's teams directly (never apply), and /me shows the
projects they lead with what waits for them."""
import pytest
from sqlalchemy import func, select

from core.extensions import db
from learning.models import GoalAttestation, LearningGoal
from projects.models import Application, Milestone, TeamMember
from tests.conftest import count_queries, fresh
from tests.factories import add_member, make_application, make_chapter, make_project, make_user


@pytest.fixture
def lead(app):
    return make_user("lead", name="Lea Lead")


@pytest.fixture
def chapter(lead):
    return make_chapter(lead, name="Lyon Freelancers")


def places(project):
    return db.session.execute(select(TeamMember.user_id, TeamMember.role, TeamMember.left_at)
                              .where(TeamMember.project_id == project.id).order_by(TeamMember.id)).all()


def test_a_lead_sees_join_not_apply_on_their_own_project(client, auth, lead, chapter):
    project = make_project(chapter, status="recruiting")
    auth.login_as(lead)
    body = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Join the team" in body and "Apply to join" not in body
    assert '<option value="contributor">Contributor</option>' in body and '<option value="mentor">Mentor</option>' in body
    auth.login_as(make_user())
    body = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Apply to join" in body and "Join the team" not in body


def test_a_lead_cannot_apply_to_their_own_project_and_is_sent_to_join(client, auth, lead, chapter):
    project = make_project(chapter, status="recruiting")
    auth.login_as(lead)
    response = client.post(f"/projects/{project.id}/apply",
                           data={"motivation": "I would like to learn pricing by doing this."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#join")
    assert "join its team directly" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0
    # a co-lead neither
    co_lead = add_member(chapter, make_user(), role="co_lead")
    auth.login_as(co_lead)
    assert client.get(f"/projects/{project.id}/apply").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_a_lead_of_another_chapter_applies_as_anyone_does(client, auth, chapter):
    project = make_project(chapter, status="recruiting")
    other_lead = make_user()
    make_chapter(other_lead)
    auth.login_as(other_lead)
    assert client.post(f"/projects/{project.id}/team/join", data={"role": "contributor"}).status_code == 403
    response = client.post(f"/projects/{project.id}/apply",
                           data={"motivation": "I would like to learn pricing by doing this."})
    assert response.status_code == 302
    assert db.session.scalar(select(Application.user_id)) == other_lead.id


@pytest.mark.parametrize("role", ["contributor", "mentor"])
def test_a_lead_joins_directly_with_the_role_they_choose(client, auth, lead, chapter, role):
    project = make_project(chapter, status="active", team_max=3)
    auth.login_as(lead)
    response = client.post(f"/projects/{project.id}/team/join", data={"role": role})
    assert response.status_code == 302
    assert places(project) == [(lead.id, role, None)]
    assert fresh(project).team_size == 1
    body = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Leave the team" in body and "Join the team" not in body
    # joining again is refused by the rule: nothing changes
    assert client.post(f"/projects/{project.id}/team/join", data={"role": role}).status_code == 403
    assert fresh(project).team_size == 1


def test_a_bad_role_is_refused_and_changes_nothing(client, auth, lead, chapter):
    project = make_project(chapter, status="recruiting")
    auth.login_as(lead)
    for role in ("task_lead", "owner", ""):
        assert client.post(f"/projects/{project.id}/team/join", data={"role": role}).status_code == 400
    assert places(project) == []


def test_a_full_team_refuses_the_lead_with_a_message(client, auth, lead, chapter):
    project = make_project(chapter, status="recruiting", team=(make_user(),), team_min=1, team_max=1)
    auth.login_as(lead)
    assert "The team is full (1 members)." in client.get(f"/projects/{project.id}").get_data(as_text=True)
    response = client.post(f"/projects/{project.id}/team/join", data={"role": "contributor"},
                           headers={"Referer": f"/projects/{project.id}"}, follow_redirects=True)
    assert "The team is full (1 members)." in response.get_data(as_text=True)
    assert len(places(project)) == 1 and fresh(project).team_size == 1


@pytest.mark.parametrize("status", ["draft", "delivered", "cancelled"])
def test_a_lead_joins_only_a_recruiting_or_active_project(client, auth, lead, chapter, status):
    project = make_project(chapter, status=status)
    auth.login_as(lead)
    assert client.post(f"/projects/{project.id}/team/join", data={"role": "contributor"}).status_code == 403
    assert places(project) == []


def test_a_lead_who_left_takes_their_place_again(client, auth, lead, chapter):
    project = make_project(chapter, status="active")
    auth.login_as(lead)
    client.post(f"/projects/{project.id}/team/join", data={"role": "contributor"})
    assert client.post(f"/projects/{project.id}/team/leave").status_code == 302
    assert places(project)[0][2] is not None
    assert client.post(f"/projects/{project.id}/team/join", data={"role": "mentor"}).status_code == 302
    assert places(project) == [(lead.id, "mentor", None)]
    assert fresh(project).team_size == 1


def test_visitors_are_asked_to_sign_in_to_join(client, chapter):
    project = make_project(chapter, status="recruiting")
    response = client.post(f"/projects/{project.id}/team/join", data={"role": "contributor"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert places(project) == []


def lead_world(lead, chapter, size: int):
    recruiting = make_project(chapter, status="recruiting", title="Recruiting one")
    for _ in range(size):
        make_application(recruiting, commit=False)
    member = make_user()
    active = make_project(chapter, status="active", title="Active one", milestones=2, team=(member,),
                          competencies=("delivery.time", "scoping.pricing"))
    for milestone in db.session.scalars(select(Milestone).where(Milestone.project_id == active.id)):
        milestone.status = "submitted"
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == active.id))
    goals = [LearningGoal(team_member_id=place.id, project_id=active.id, code=code)
             for code in ("delivery.time", "scoping.pricing")]
    db.session.add_all(goals)
    db.session.flush()
    db.session.add(GoalAttestation(goal_id=goals[0].id, level="demonstrated", note="Seen it.",
                                   attested_by_id=lead.id))
    make_project(chapter, status="delivered", title="Delivered one")
    make_project(chapter, status="draft", title="Draft one")
    db.session.commit()
    return recruiting, active


def test_a_leads_dashboard_lists_what_waits_for_them(client, auth, lead, chapter):
    recruiting, active = lead_world(lead, chapter, 3)
    auth.login_as(lead)
    body = client.get("/me").get_data(as_text=True)
    assert "Projects I lead" in body and "You are not on a project team yet." not in body
    assert "Recruiting one" in body and "Active one" in body and "Draft one" in body
    assert "Delivered one" not in body
    assert "3 applications to decide" in body
    assert "2 deliverables to review" in body
    assert "1 learning goal to attest" in body
    assert f"/projects/{recruiting.id}/applications" in body and f"/projects/{active.id}/attestations" in body
    # a plain member sees none of it
    auth.login_as(make_user())
    body = client.get("/me").get_data(as_text=True)
    assert "Projects I lead" not in body and "You are not on a project team yet." in body


def test_a_leads_dashboard_runs_the_same_statements_at_two_sizes(client, auth, lead, chapter):
    from tests.conftest import over_budget

    counts = {}
    for size in (1, 40):
        lead_world(lead, chapter, size)
        auth.login_as(lead)
        with count_queries() as queries:
            assert client.get("/me").status_code == 200
        counts[size] = len(queries)
    assert counts[1] == counts[40]
    assert over_budget({"lead me (signed in)": counts[40]}) == {}
