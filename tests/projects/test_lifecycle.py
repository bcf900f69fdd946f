"""Every project, application and milestone transition, allowed and refused, with each guard."""
import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.errors import TransitionRefused
from core.extensions import db
from projects import milestones as milestone_services
from projects import services
from projects.models import Milestone, ProjectActivity
from tests.factories import add_member, make_chapter, make_project, make_user


@pytest.fixture
def lead(app):
    return make_user("lead")


@pytest.fixture
def chapter(lead):
    return make_chapter(lead)


def audit_trail(entity, entity_id):
    return db.session.execute(select(AuditEvent.action, AuditEvent.from_state, AuditEvent.to_state).where(
        AuditEvent.entity_type == entity, AuditEvent.entity_id == entity_id).order_by(AuditEvent.id)).all()


def test_open_needs_pitch_skill_bounds_and_a_milestone(app, chapter, lead):
    project = make_project(chapter, status="draft", milestones=0, skills=())
    project.summary = ""
    db.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        services.transition_project(project, lead, "open")
    message = refused.value.message
    assert "a summary" in message and "at least one required skill" in message and "milestone" in message
    assert project.status == "draft"


def test_open_then_start_then_deliver(app, chapter, lead):
    member = make_user()
    project = make_project(chapter, status="draft", team_min=1)
    services.transition_project(project, lead, "open")
    assert project.status == "recruiting"
    with pytest.raises(TransitionRefused, match="0 of the 1 members"):
        services.transition_project(project, lead, "start")
    application = services.apply_to_project(project, member, "I would like to join this project.", None)
    services.decide_application(application, lead, "accept")
    services.transition_project(project, lead, "start")
    assert project.status == "active"
    with pytest.raises(TransitionRefused, match="not accepted yet"):
        services.transition_project(project, lead, "deliver")
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    milestone_services.submit_deliverable(milestone, member, note="Done", link="https://example.org/a", upload=None)
    milestone_services.review_milestone(milestone, lead, "accept", "")
    services.transition_project(project, lead, "deliver")
    assert project.status == "delivered"
    assert audit_trail("project", project.id) == [
        ("open", "draft", "recruiting"), ("start", "recruiting", "active"), ("deliver", "active", "delivered")]
    verbs = db.session.scalars(select(ProjectActivity.verb).where(ProjectActivity.project_id == project.id)
                               .order_by(ProjectActivity.id)).all()
    assert verbs == ["open", "joined", "start", "submitted", "accepted", "deliver"]


@pytest.mark.parametrize("state", ["draft", "recruiting", "active"])
def test_cancel_needs_a_reason_from_every_open_state(app, chapter, lead, state):
    project = make_project(chapter, status=state)
    with pytest.raises(TransitionRefused, match="reason"):
        services.transition_project(project, lead, "cancel", "  ")
    services.transition_project(project, lead, "cancel", "The client withdrew.")
    assert (project.status, project.cancel_reason) == ("cancelled", "The client withdrew.")


@pytest.mark.parametrize("state, name", [("delivered", "cancel"), ("cancelled", "open"), ("recruiting", "open"),
                                         ("draft", "start"), ("recruiting", "deliver"), ("delivered", "deliver")])
def test_transitions_from_the_wrong_state_are_refused(app, chapter, lead, state, name):
    project = make_project(chapter, status=state)
    with pytest.raises(TransitionRefused):
        services.transition_project(project, lead, name, "reason")
    db.session.rollback()
    assert project.status == state


def test_delivery_queues_the_credential_job(app, chapter, lead, monkeypatch):
    ran = []
    monkeypatch.setattr("credentials.tasks.issue_for_project", lambda project_id: ran.append(project_id))
    project = make_project(chapter, status="active", milestones=1)
    db.session.execute(db.update(Milestone).where(Milestone.project_id == project.id).values(status="accepted"))
    db.session.commit()
    services.transition_project(project, lead, "deliver")
    assert ran == [project.id]


def test_co_leads_move_projects_too_but_members_cannot(app, chapter, lead):
    from werkzeug.exceptions import Forbidden

    co_lead = add_member(chapter, role="co_lead")
    plain = add_member(chapter)
    project = make_project(chapter, status="draft")
    with pytest.raises(Forbidden):
        services.transition_project(project, plain, "open")
    services.transition_project(project, co_lead, "open")
    assert project.status == "recruiting"


def test_milestone_changes_requested_then_resubmitted(app, chapter, lead):
    member = make_user()
    project = make_project(chapter, status="active", team=(member,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    with pytest.raises(TransitionRefused):
        milestone_services.review_milestone(milestone, lead, "accept", "")  # nothing submitted yet
    db.session.rollback()
    milestone_services.submit_deliverable(milestone, member, note="v1", link="https://example.org/1", upload=None)
    with pytest.raises(TransitionRefused, match="reason"):
        milestone_services.review_milestone(milestone, lead, "request_changes", "")
    db.session.rollback()
    milestone_services.review_milestone(milestone, lead, "request_changes", "Add sources.")
    assert milestone.status == "changes_requested"
    milestone_services.submit_deliverable(milestone, member, note="v2", link="https://example.org/2", upload=None)
    milestone_services.review_milestone(milestone, lead, "accept", "Thanks")
    assert milestone.status == "accepted" and milestone.accepted_by_id == lead.id
    assert [to for _, _, to in audit_trail("milestone", milestone.id)] == [
        "submitted", "changes_requested", "submitted", "accepted"]


def test_deliverables_only_while_active(app, chapter, lead):
    member = make_user()
    project = make_project(chapter, status="recruiting", team=(member,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    with pytest.raises(TransitionRefused, match="only while the project is active"):
        milestone_services.submit_deliverable(milestone, member, note="x", link="https://example.org", upload=None)


def test_the_list_rank_follows_every_status_change(app, chapter, lead):
    """/projects/ reads its order from status_rank (an index), so it must always match the status."""
    from projects.models import STATUS_RANK, Project

    project = make_project(chapter, status="draft", team_min=1, team=(make_user(),))
    ranks = [project.status_rank]
    for name in ("open", "start", "cancel"):
        services.transition_project(project, lead, name, "Reason given." if name == "cancel" else None)
        ranks.append(db.session.scalar(select(Project.status_rank).where(Project.id == project.id)))
    assert ranks == [STATUS_RANK[s] for s in ("draft", "recruiting", "active", "cancelled")]
