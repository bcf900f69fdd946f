"""Suspending someone, removing a team member, deleting a milestone and cancelling a project are confirmed on a
page of their own (GET shows it, POST does it; no JavaScript), with a reason kept in the audit log where it
matters; the audit log names what each event was about."""
import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent, record
from core.extensions import db
from projects.models import Milestone, Project, TeamMember
from tests.conftest import count_queries, fresh, over_budget
from tests.factories import (make_admin, make_application, make_chapter, make_organisation, make_project,
                             make_sponsorship, make_user)


def events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def team(app):
    lead, member = make_user("lead"), make_user("member", name="Mo Member")
    project = make_project(make_chapter(lead), status="active", team=(member,), milestones=2)
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id,
                                                          Milestone.position == 2))
    return {"lead": lead, "member": member, "project": project, "place": place, "milestone": milestone}


# ---- Suspension ----

def test_suspending_is_confirmed_with_a_reason_kept_in_the_audit_log(client, auth):
    admin, target = make_admin("root"), make_user("mal", name="Mal Content")
    auth.login_as(admin)
    users = client.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{target.id}/suspension"' in users  # a link to the page, not a button that posts
    page = client.get(f"/admin/users/{target.id}/suspension")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Suspend @mal?" in body and 'name="reason"' in body
    assert fresh(target).suspended_at is None  # showing the page changes nothing
    response = client.post(f"/admin/users/{target.id}/suspension", data={"suspend": "1", "reason": "Spam."})
    assert response.status_code == 302
    assert fresh(target).suspended_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "user",
                                                       AuditEvent.action == "suspend"))
    assert event.reason == "Spam."


@pytest.mark.parametrize("reason, message", [("", "Please give a reason."), ("   ", "Please give a reason."),
                                             ("x" * 2001, "2000"), ("Spam\x07", "control characters")])
def test_a_suspension_without_a_proper_reason_is_refused_next_to_the_field(client, auth, reason, message):
    admin, target = make_admin("root"), make_user("mal")
    auth.login_as(admin)
    before = events()
    response = client.post(f"/admin/users/{target.id}/suspension", data={"suspend": "1", "reason": reason})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="reason-error"' in body and message in body
    assert fresh(target).suspended_at is None and events() == before


def test_the_service_refuses_a_suspension_without_a_reason(app):
    from accounts.services import set_suspended
    from core.errors import FieldError
    target = make_user("mal")
    with pytest.raises(FieldError):
        set_suspended(target, make_admin("root"), True)
    db.session.rollback()
    assert fresh(target).suspended_at is None


def test_reinstating_stays_one_button(client, auth):
    admin, target = make_admin("root"), make_user("mal")
    auth.login_as(admin)
    client.post(f"/admin/users/{target.id}/suspension", data={"suspend": "1", "reason": "Spam."})
    assert client.post(f"/admin/users/{target.id}/suspension", data={"suspend": "0"}).status_code == 302
    assert fresh(target).suspended_at is None


@pytest.mark.parametrize("who", ["member", "visitor", "self"])
def test_only_admins_see_the_suspension_page_and_never_for_themselves(client, auth, who):
    admin, target = make_admin("root"), make_user("mal")
    if who == "member":
        auth.login_as(make_user())
    elif who == "self":
        auth.login_as(admin)
        target = admin
    response = client.get(f"/admin/users/{target.id}/suspension")
    if who == "visitor":
        assert response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == 403
    assert fresh(target).suspended_at is None


# ---- Removal from a team ----

def test_removing_a_member_is_confirmed_with_a_reason(client, auth, team):
    project, place = team["project"], team["place"]
    auth.login_as(team["lead"])
    detail = client.get(f"/projects/{project.id}").get_data(as_text=True)
    url = f"/projects/{project.id}/team/{place.id}/remove"
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    body = client.get(url).get_data(as_text=True)
    assert "Remove Mo Member from" in body and 'name="reason"' in body
    assert fresh(place).left_at is None
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 400 and 'id="reason-error"' in refused.get_data(as_text=True)
    assert fresh(place).left_at is None
    assert client.post(url, data={"reason": "Never came."}).status_code == 302
    assert fresh(place).status == "removed"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "team_member"))
    assert event.reason == "Never came."


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_leads_see_the_removal_page(client, auth, team, who):
    auth.login_as(team["member"] if who == "member" else make_user())
    assert client.get(f"/projects/{team['project'].id}/team/{team['place'].id}/remove").status_code == 403
    assert client.get(f"/projects/{team['project'].id}/team/999999/remove").status_code == 403


def test_the_removal_page_of_someone_not_on_the_team_is_not_found(client, auth, team):
    auth.login_as(team["lead"])
    assert client.get(f"/projects/{team['project'].id}/team/999999/remove").status_code == 404


# ---- Deleting a milestone ----

def test_deleting_a_milestone_is_confirmed_on_its_own_page(client, auth, team):
    project, milestone = team["project"], team["milestone"]
    auth.login_as(team["lead"])
    url = f"/projects/{project.id}/milestones/{milestone.id}/delete"
    edit = client.get(f"/projects/{project.id}/milestones/{milestone.id}/edit").get_data(as_text=True)
    assert f'href="{url}"' in edit and f'action="{url}"' not in edit
    page = client.get(url)
    assert page.status_code == 200 and "Delete the milestone" in page.get_data(as_text=True)
    assert db.session.get(Milestone, milestone.id) is not None
    assert client.post(url).status_code == 302
    db.session.expunge_all()
    assert db.session.get(Milestone, milestone.id) is None


def test_the_deletion_page_is_refused_to_others_and_once_work_is_submitted(client, auth, team):
    project, milestone = team["project"], team["milestone"]
    url = f"/projects/{project.id}/milestones/{milestone.id}/delete"
    auth.login_as(team["member"])
    assert client.get(url).status_code == 403
    milestone.status = "submitted"
    db.session.commit()
    auth.login_as(team["lead"])
    refused = client.get(url, follow_redirects=True)
    assert "cannot be changed once work on it has been submitted" in refused.get_data(as_text=True)
    assert client.post(url).status_code in (302, 409)
    assert db.session.get(Milestone, milestone.id) is not None


# ---- Cancelling a project ----

def test_cancelling_a_project_is_confirmed_with_a_reason(client, auth, team):
    project = team["project"]
    auth.login_as(team["lead"])
    url = f"/projects/{project.id}/transitions/cancel"
    detail = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    page = client.get(url)
    assert page.status_code == 200 and "Cancel “" in page.get_data(as_text=True)
    assert fresh(project).status == "active"
    refused = client.post(url, data={"reason": " "})
    assert refused.status_code == 400 and 'id="reason-error"' in refused.get_data(as_text=True)
    assert fresh(project).status == "active"
    assert client.post(url, data={"reason": "The client left."}).status_code == 302
    assert fresh(project).status == "cancelled"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "project",
                                                       AuditEvent.action == "cancel"))
    assert event.reason == "The client left."


def test_the_cancel_page_is_for_leads_of_a_project_that_can_still_be_cancelled(client, auth, team):
    project = team["project"]
    url = f"/projects/{project.id}/transitions/cancel"
    auth.login_as(team["member"])
    assert client.get(url).status_code == 403
    auth.login_as(team["lead"])
    assert client.get(f"/projects/{project.id}/transitions/start").status_code == 404  # no page for the others
    project.status = "delivered"
    db.session.commit()
    refused = client.get(url, follow_redirects=True)
    assert "This cannot be done while the project is delivered." in refused.get_data(as_text=True)
    assert fresh(project).status == "delivered"


# ---- The audit log ----

def test_the_audit_log_names_people_chapters_projects_and_milestones(client, auth, team):
    project = team["project"]
    admin = make_admin("root")
    org = make_organisation(name="Acme Fund")
    sponsorship = make_sponsorship(project, org)
    application = make_application(project, make_user("ann", name="Ann Applicant"))
    chapter = project.chapter
    for entity, entity_id in [("chapter", chapter.id), ("project", project.id), ("milestone", team["milestone"].id),
                              ("team_member", team["place"].id), ("application", application.id),
                              ("user", team["member"].id), ("organisation", org.id),
                              ("sponsorship", sponsorship.id), ("project", 999999)]:
        record(admin, entity, entity_id, "edit")
    db.session.commit()
    auth.login_as(admin)
    body = client.get("/admin/audit").get_data(as_text=True)
    assert f'<a href="/chapters/{chapter.slug}">{chapter.name}</a>' in body
    assert f'<a href="/projects/{project.id}">{project.title}</a>' in body
    assert f"Milestone 2 · {project.title}" in body
    assert f"Mo Member · {project.title}" in body and f"Ann Applicant · {project.title}" in body
    assert "Mo Member (@member)" in body and f"Acme Fund · {project.title}" in body
    assert "#999999" in body  # deleted since: its number is all that is left
    assert f"chapter #{chapter.id}" not in body and f"project #{project.id}" not in body


def test_the_audit_log_runs_a_fixed_number_of_queries(client, auth):
    admin = make_admin("root")
    auth.login_as(admin)
    counts = {}
    for size in (2, 40):
        lead = make_user()
        for n in range(size):
            project = make_project(make_chapter(lead, commit=False), status="draft", milestones=1)
            for entity, entity_id in [("chapter", project.chapter_id), ("project", project.id),
                                      ("user", lead.id)]:
                record(admin, entity, entity_id, "edit")
        db.session.commit()
        with count_queries() as queries:
            assert client.get("/admin/audit").status_code == 200
        counts[size] = len(queries)
    assert counts[2] == counts[40]
    assert not over_budget({"admin audit": counts[40]})


@pytest.mark.parametrize("page", ["remove", "delete", "cancel"])
def test_visitors_are_asked_to_sign_in_before_any_confirmation_page(client, team, page):
    project = team["project"]
    url = {"remove": f"/projects/{project.id}/team/{team['place'].id}/remove",
           "delete": f"/projects/{project.id}/milestones/{team['milestone'].id}/delete",
           "cancel": f"/projects/{project.id}/transitions/cancel"}[page]
    assert client.get(url).headers["Location"].startswith("/auth/login")
    assert client.post(url, data={"reason": "x"}).headers["Location"].startswith("/auth/login")
    assert fresh(project).status == "active" and fresh(team["place"]).left_at is None
    assert db.session.get(Milestone, team["milestone"].id) is not None
