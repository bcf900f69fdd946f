"""Applications and the team: apply once, decide, withdraw, never overfill, roles, removal, leaving."""
import threading

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

from accounts.models import Notification, User
from core.errors import DomainError
from core.extensions import db
from projects import services
from projects.models import Application, Project, TeamMember
from tests.conftest import fresh
from tests.factories import make_application, make_chapter, make_project, make_user


@pytest.fixture
def lead(app):
    return make_user("lead", name="Lea Lead")


@pytest.fixture
def project(lead):
    return make_project(make_chapter(lead), status="recruiting", team_max=2, title="Water map")


def kinds(user):
    return db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id)).all()


def test_apply_once_and_the_leads_are_told(client, auth, project, lead):
    member = make_user(name="Mo Member")
    auth.login_as(member)
    response = client.post(f"/projects/{project.id}/apply", data={
        "motivation": "I want to learn mapping with real data.", "portfolio_url": "https://example.org/mo"})
    assert response.status_code == 302
    application = db.session.scalar(select(Application))
    assert (application.status, application.portfolio_url) == ("pending", "https://example.org/mo")
    assert kinds(lead) == ["application_received"]
    again = client.post(f"/projects/{project.id}/apply", data={"motivation": "Once more, with feeling please."},
                        follow_redirects=True)
    assert "You have already applied to this project." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_bad_applications_are_refused_next_to_the_field(client, auth, project):
    auth.login_as(make_user())
    response = client.post(f"/projects/{project.id}/apply", data={"motivation": "short", "portfolio_url": "nope"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="motivation-error"' in body and 'id="portfolio_url-error"' in body
    assert db.session.scalar(select(Application)) is None


@pytest.mark.parametrize("status", ["draft", "active", "delivered", "cancelled"])
def test_only_recruiting_projects_take_applications(client, auth, lead, status):
    project = make_project(make_chapter(lead), status=status)
    auth.login_as(make_user())
    response = client.post(f"/projects/{project.id}/apply", data={"motivation": "Please let me join the team."})
    assert response.status_code == (404 if status == "draft" else 403)  # drafts are invisible
    assert db.session.scalar(select(Application)) is None


def test_accepting_adds_a_contributor_and_tells_the_applicant(client, auth, project, lead):
    application = make_application(project)
    auth.login_as(lead)
    client.post(f"/projects/{project.id}/applications/{application.id}/accept", data={"message": "Welcome!"})
    application, project = fresh(application), fresh(project)
    assert (application.status, application.decision_message, application.decided_by_id) == (
        "accepted", "Welcome!", lead.id)
    member = db.session.scalar(select(TeamMember))
    assert (member.user_id, member.role, project.team_size) == (application.user_id, "contributor", 1)
    assert kinds(application.user) == ["application_decided"]


def test_declining_keeps_the_team_as_it_is(client, auth, project, lead):
    application = make_application(project)
    auth.login_as(lead)
    client.post(f"/projects/{project.id}/applications/{application.id}/decline")
    assert fresh(application).status == "declined" and fresh(project).team_size == 0
    again = client.post(f"/projects/{project.id}/applications/{application.id}/accept", follow_redirects=True)
    assert "This cannot be done while the application is declined." in again.get_data(as_text=True)


def test_the_applicant_withdraws(client, auth, project):
    applicant = make_user()
    application = make_application(project, applicant)
    auth.login_as(applicant)
    client.post(f"/projects/{project.id}/applications/{application.id}/withdraw")
    assert fresh(application).status == "withdrawn"


def test_a_full_team_refuses_more_members(client, auth, project, lead):
    first, second, third = (make_application(project) for _ in range(3))
    auth.login_as(lead)
    for application in (first, second):
        client.post(f"/projects/{project.id}/applications/{application.id}/accept")
    response = client.post(f"/projects/{project.id}/applications/{third.id}/accept", follow_redirects=True)
    assert "The team is full (2 members)." in response.get_data(as_text=True)
    assert fresh(third).status == "pending" and fresh(project).team_size == 2


def test_the_database_refuses_an_overfull_team(app, project):
    from sqlalchemy.exc import IntegrityError

    project.team_size = project.team_max + 1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def decide_at_the_same_moment(app, calls) -> list[str]:
    """Run each (user id, application id, decision) in a thread of its own, with its own database session,
    all deciding at the same moment (a barrier); returns what each was told ("decided" or the message)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    barrier, outcomes = threading.Barrier(len(calls)), []

    def decide(user_id, application_id, decision):
        with app.app_context(), Session(engine) as session:
            db.session.registry.set(session)  # this thread's service calls use its own connection
            application = session.get(Application, application_id)
            session.get(Project, application.project_id)
            actor = session.get(User, user_id)
            barrier.wait()
            try:
                services.decide_application(application, actor, decision)
                outcomes.append("decided")
            except DomainError as error:
                outcomes.append(error.message)
            except Exception as error:  # noqa: BLE001 - the point is that nothing else escapes
                outcomes.append(f"error {type(error).__name__}")

    threads = [threading.Thread(target=decide, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engine.dispose()
    db.session.expire_all()
    return outcomes


@pytest.mark.postgres_only
def test_two_leads_accepting_at_the_same_moment_never_overfill_the_team(app, lead):
    """Two sessions accept two applications for the last place at once; exactly one wins."""
    project = make_project(make_chapter(lead), status="recruiting", team_max=1)
    applications = [make_application(project), make_application(project)]
    outcomes = decide_at_the_same_moment(app, [(lead.id, a.id, "accept") for a in applications])
    assert sorted(outcomes) == ["The team is full (1 members).", "decided"]
    assert db.session.scalar(select(func.count()).select_from(TeamMember)) == 1
    assert db.session.get(Project, project.id).team_size == 1


def test_lead_changes_roles_and_removes_with_a_reason(client, auth, project, lead):
    member = make_user(name="Mo")
    db.session.add(TeamMember(project_id=project.id, user_id=member.id))
    project.team_size = 1
    db.session.commit()
    place = db.session.scalar(select(TeamMember))
    auth.login_as(lead)
    client.post(f"/projects/{project.id}/team/{place.id}/role", data={"role": "task_lead"})
    assert fresh(place).role == "task_lead"
    refused = client.post(f"/projects/{project.id}/team/{place.id}/remove", data={"reason": ""},
                          follow_redirects=True)
    assert "Please give a reason." in refused.get_data(as_text=True)
    client.post(f"/projects/{project.id}/team/{place.id}/remove", data={"reason": "Did not show up."})
    place = fresh(place)
    assert place.left_at is not None and place.removal_reason == "Did not show up."
    assert fresh(project).team_size == 0
    assert "Mo" not in client.get(f"/projects/{project.id}").get_data(as_text=True).split('id="team"')[1][:400]


def test_a_member_leaves_the_team(client, auth, project):
    member = make_user()
    db.session.add(TeamMember(project_id=project.id, user_id=member.id))
    project.team_size = 1
    db.session.commit()
    auth.login_as(member)
    client.post(f"/projects/{project.id}/team/leave")
    assert fresh(project).team_size == 0
    assert db.session.scalar(select(TeamMember.left_at)) is not None
    assert client.post(f"/projects/{project.id}/team/leave").status_code == 403


def test_milestone_and_status_notifications_reach_the_right_people(app, lead):
    from projects import milestones
    from projects.models import Milestone

    member, applicant = make_user(), make_user()
    project = make_project(make_chapter(lead), status="recruiting", team=(member,))
    make_application(project, applicant)
    services.transition_project(project, lead, "start")
    assert kinds(member) == ["project_status_changed"] and kinds(applicant) == []
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    milestones.submit_deliverable(milestone, member, note="Done", link="https://example.org/d", upload=None)
    assert kinds(lead) == ["milestone_submitted"]
    milestones.review_milestone(milestone, lead, "request_changes", "More please.")
    assert kinds(member) == ["project_status_changed", "milestone_reviewed"]
    services.transition_project(project, lead, "cancel", "Funding fell through.")
    assert kinds(member)[-1] == "project_status_changed"


def _decided_elsewhere(application, status="declined"):
    """Another lead's decision, committed on its own connection after this session loaded the application."""
    with db.engine.begin() as connection:
        connection.execute(update(Application).where(Application.id == application.id)
                           .values(status=status, version=Application.version + 1))


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_a_stale_decision_is_refused_with_a_message_not_a_500(app, project, lead, decision):
    application = make_application(project)
    application.status  # loaded at version 1, as the lead's page saw it
    _decided_elsewhere(application)
    with pytest.raises(DomainError, match="Someone else has just decided this application."):
        services.decide_application(application, lead, decision)
    db.session.expire_all()
    assert fresh(application).status == "declined"
    assert db.session.scalar(select(func.count()).select_from(TeamMember)) == 0
    assert fresh(project).team_size == 0


def test_a_lead_deciding_an_application_decided_meanwhile_gets_a_conflict_page(client, auth, project, lead,
                                                                               monkeypatch):
    application = make_application(project)
    auth.login_as(lead)
    real_apply = services.APPLICATION.apply

    def decided_meanwhile(obj, name, actor, reason=None):
        _decided_elsewhere(obj)
        return real_apply(obj, name, actor, reason)

    monkeypatch.setattr(services.APPLICATION, "apply", decided_meanwhile)
    response = client.post(f"/projects/{project.id}/applications/{application.id}/accept")
    assert response.status_code in (302, 409)
    followed = client.get(response.headers["Location"]) if response.status_code == 302 else response
    assert "Someone else has just decided this application." in followed.get_data(as_text=True)
    assert fresh(application).status == "declined" and fresh(project).team_size == 0


@pytest.mark.postgres_only
@pytest.mark.parametrize("decisions", [("accept", "accept"), ("accept", "decline"), ("decline", "decline")])
def test_two_leads_deciding_the_same_application_at_once_get_one_success_and_one_message(app, lead, decisions):
    """Two sessions decide one application at the same moment: one wins, the other is told, nobody gets a 500."""
    chapter = make_chapter(lead)
    co_lead = make_user("colead")
    from tests.factories import add_member
    add_member(chapter, co_lead, role="co_lead")
    project = make_project(chapter, status="recruiting", team_max=3)
    application = make_application(project)
    outcomes = decide_at_the_same_moment(app, [(user.id, application.id, decision)
                                               for user, decision in zip((lead, co_lead), decisions)])
    assert sorted(outcomes) == ["Someone else has just decided this application.", "decided"]
    assert db.session.get(Application, application.id).status in ("accepted", "declined")
    team = db.session.scalar(select(func.count()).select_from(TeamMember))
    assert db.session.get(Project, project.id).team_size == team <= 1
