"""The member's writes through the API (profile, applications, notifications) and the leads' decisions:
the same services and rules as the pages, answered as JSON, bad input refused without a change."""
from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import Notification, User
from core.extensions import db
from projects.models import Application, TeamMember
from tests.api.helpers import call, token_for
from tests.conftest import fresh
from tests.factories import add_member, make_application, make_chapter, make_project, make_user

MOTIVATION = "I would like to learn how to price freelance work."


def applications() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(select(Application.id, Application.user_id, Application.status)
                              .order_by(Application.id)).all()


def test_a_member_applies_and_the_leads_are_told(client):
    lead = make_user()
    project = make_project(make_chapter(lead))
    member = make_user()
    response = call(client, "POST", "/api/v1/me/applications", token_for(member, ["apply"]),
                    json={"project_id": project.id, "motivation": MOTIVATION,
                          "portfolio_url": "https://example.org/me"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["project"]["id"] == project.id
    assert applications() == [(body["id"], member.id, "pending")]
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == lead.id)) == "application_received"


def test_applying_twice_or_to_a_team_one_is_on_is_refused_without_a_change(client):
    teammate = make_user()
    project = make_project(make_chapter(make_user()), team=(teammate,))
    applicant = make_user()
    make_application(project, applicant)
    before = applications()
    for user in (applicant, teammate):
        response = call(client, "POST", "/api/v1/me/applications", token_for(user, ["apply"]),
                        json={"project_id": project.id, "motivation": MOTIVATION})
        assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert applications() == before


def test_an_unverified_member_is_told_to_verify_first(client):
    project = make_project(make_chapter(make_user()))
    response = call(client, "POST", "/api/v1/me/applications", token_for(make_user(email_verified_at=None), ["apply"]),
                    json={"project_id": project.id, "motivation": MOTIVATION})
    assert response.status_code == 403 and "Verify your email" in response.get_json()["detail"]
    assert applications() == []


def test_applying_to_a_draft_or_a_missing_project_is_404(client):
    draft = make_project(make_chapter(make_user()), status="draft")
    secret = token_for(make_user(), ["apply"])
    for project_id in (draft.id, 999999):
        response = call(client, "POST", "/api/v1/me/applications", secret,
                        json={"project_id": project_id, "motivation": MOTIVATION})
        assert response.status_code == 404, project_id
    assert applications() == []


def test_bad_input_is_a_422_problem_naming_the_fields(client):
    project = make_project(make_chapter(make_user()))
    secret = token_for(make_user(), ["apply"])
    for body, field in [({"project_id": project.id, "motivation": "short"}, "motivation"),
                        ({"project_id": "one", "motivation": MOTIVATION}, "project_id"),
                        ({"project_id": project.id, "motivation": MOTIVATION, "admin": True}, "admin"),
                        ({"project_id": project.id, "motivation": MOTIVATION, "portfolio_url": "javascript:x"},
                         "portfolio_url"),
                        ({"project_id": 2**70, "motivation": MOTIVATION}, "project_id"),
                        # Past PostgreSQL's INTEGER: refused before it reaches the driver (a 500 there).
                        ({"project_id": 2**31, "motivation": MOTIVATION}, "project_id"),
                        ({"motivation": MOTIVATION}, "project_id")]:
        response = call(client, "POST", "/api/v1/me/applications", secret, json=body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"]["json"], response.get_json()
    for raw in ("not json", "[1, 2]", "null"):
        response = client.post("/api/v1/me/applications", data=raw, content_type="application/json", csrf=False,
                               headers={"Authorization": f"Bearer {secret}"})
        assert 400 <= response.status_code < 500 and response.mimetype == "application/problem+json", raw
    assert applications() == []


def test_an_oversize_body_is_413(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = call(client, "POST", "/api/v1/me/applications", token_for(make_user(), ["apply"]),
                    json={"project_id": 1, "motivation": "x" * 2000})
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_a_member_withdraws_their_application_but_not_anothers(client):
    project = make_project(make_chapter(make_user()))
    mine = make_application(project, applicant := make_user())
    theirs = make_application(project, make_user())
    secret = token_for(applicant, ["apply"])
    assert call(client, "POST", f"/api/v1/me/applications/{theirs.id}/withdraw", secret).status_code == 404
    response = call(client, "POST", f"/api/v1/me/applications/{mine.id}/withdraw", secret)
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    again = call(client, "POST", f"/api/v1/me/applications/{mine.id}/withdraw", secret)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert [status for _, _, status in applications()] == ["withdrawn", "pending"]


def test_a_member_lists_only_their_own_applications(client):
    project = make_project(make_chapter(make_user()))
    member = make_user()
    mine = [make_application(make_project(project.chapter), member) for _ in range(3)]
    make_application(project, make_user())
    first = call(client, "GET", "/api/v1/me/applications?limit=2", token_for(member, ["read"]))
    assert [a["id"] for a in first.get_json()] == [mine[2].id, mine[1].id]
    assert 'rel="next"' in first.headers["Link"]


def test_a_member_reads_and_edits_their_profile(client):
    member = make_user(skills=("Python",))
    secret = token_for(member, ["read", "manage"])
    assert call(client, "GET", "/api/v1/me", secret).get_json()["email"] == member.email
    response = call(client, "PATCH", "/api/v1/me", secret, json={"city": "Paris", "skills": ["Python", "Pricing"],
                                                                   "profile_hidden": True})
    assert response.status_code == 200 and response.get_json()["city"] == "Paris"
    member = fresh(member)
    assert (member.city, member.name, member.profile_hidden) == ("Paris", member.name, True)
    assert sorted(s.name for s in member.skills) == ["Pricing", "Python"]
    for body in ({"country": "XX"}, {"name": ""}, {"email": "new@example.org"}, {"locale": "de"},
                 {"skills": "Python"}):
        refused = call(client, "PATCH", "/api/v1/me", secret, json=body)
        assert refused.status_code == 422, body
    assert (fresh(member).country, fresh(member).email) == ("FR", member.email)


def test_a_member_lists_their_notifications_and_marks_them_read(client):
    lead = make_user()
    project = make_project(make_chapter(lead))
    for _ in range(3):
        call(client, "POST", "/api/v1/me/applications", token_for(make_user(), ["apply"]),
             json={"project_id": project.id, "motivation": MOTIVATION})
    other = make_user()
    db.session.add(Notification(user_id=other.id, kind="application_received", url="/", params={}))
    db.session.commit()
    secret = token_for(lead, ["read", "manage"])
    listed = call(client, "GET", "/api/v1/me/notifications?limit=2", secret)
    assert len(listed.get_json()) == 2 and "applied to" in listed.get_json()[0]["message"]
    first_id = listed.get_json()[0]["id"]
    marked = call(client, "POST", "/api/v1/me/notifications/read", secret, json={"ids": [first_id]})
    assert marked.get_json() == {"marked": 1}
    assert len(call(client, "GET", "/api/v1/me/notifications?unread=true", secret).get_json()) == 2
    # Another member's notification is not theirs to mark.
    foreign = db.session.scalar(select(Notification.id).where(Notification.user_id == other.id))
    assert call(client, "POST", "/api/v1/me/notifications/read", secret, json={"ids": [foreign]}).get_json() == \
        {"marked": 0}
    assert call(client, "POST", "/api/v1/me/notifications/read", secret, json={}).get_json() == {"marked": 2}
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.read_at.is_(None))) == 1
    assert call(client, "POST", "/api/v1/me/notifications/read", secret, json={"ids": ["x"]}).status_code == 422
    assert call(client, "POST", "/api/v1/me/notifications/read", secret, json={"ids": [2**31]}).status_code == 422


def test_a_lead_lists_and_decides_applications(client):
    lead = make_user()
    chapter = make_chapter(lead)
    project = make_project(chapter)
    applicant = make_user()
    application = make_application(project, applicant)
    declined = make_application(project, make_user())
    secret = token_for(lead, ["read", "manage"])
    listed = call(client, "GET", f"/api/v1/projects/{project.id}/applications", secret)
    assert {a["applicant"]["handle"] for a in listed.get_json()} == {applicant.handle, declined.user.handle}
    accepted = call(client, "POST", f"/api/v1/projects/{project.id}/applications/{application.id}/decision", secret,
                    json={"decision": "accept", "message": "Welcome!"})
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    assert db.session.scalar(select(TeamMember.user_id).where(TeamMember.project_id == project.id)) == applicant.id
    call(client, "POST", f"/api/v1/projects/{project.id}/applications/{declined.id}/decision", secret,
         json={"decision": "decline"})
    again = call(client, "POST", f"/api/v1/projects/{project.id}/applications/{application.id}/decision", secret,
                 json={"decision": "decline"})
    assert again.status_code == 409
    assert call(client, "POST", f"/api/v1/projects/{project.id}/applications/{application.id}/decision", secret,
                json={"decision": "maybe"}).status_code == 422
    assert [status for _, _, status in applications()] == ["accepted", "declined"]


def test_a_non_lead_may_not_list_or_decide_and_foreign_ids_are_404(client):
    project = make_project(make_chapter(make_user()))
    application = make_application(project, make_user())
    member = add_member(project.chapter, make_user())
    secret = token_for(member)
    assert call(client, "GET", f"/api/v1/projects/{project.id}/applications", secret).status_code == 403
    assert call(client, "POST", f"/api/v1/projects/{project.id}/applications/{application.id}/decision", secret,
                json={"decision": "accept"}).status_code == 403
    other_lead = make_user()
    other = make_project(make_chapter(other_lead))
    lead_secret = token_for(other_lead)
    # An application of another project, through the lead's own project: no such application there.
    assert call(client, "POST", f"/api/v1/projects/{other.id}/applications/{application.id}/decision", lead_secret,
                json={"decision": "accept"}).status_code == 404
    assert [status for _, _, status in applications()] == ["pending"]
