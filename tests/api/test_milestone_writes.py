"""Milestones and sponsorships through the API: a team member submits, the leads or the sponsor's reviewer
review, either side answers a sponsorship. The same services and workflows as the pages: bad input is a 422,
a transition the state does not allow a 409, a foreign object a 403 or 404, and nothing changes."""
from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from projects.models import Milestone, Review, Submission
from sponsors.models import Sponsorship
from tests.api.helpers import call, token_for
from tests.factories import (add_member, make_chapter, make_organisation, make_project, make_sponsorship,
                             make_user)

LINK = "https://example.org/deliverable"


def state() -> tuple:
    """Milestones, submissions, reviews and sponsorships: what a refused call must leave as it was."""
    db.session.expire_all()
    return (db.session.execute(select(Milestone.id, Milestone.status).order_by(Milestone.id)).all(),
            db.session.execute(select(Submission.id, Submission.note).order_by(Submission.id)).all(),
            db.session.execute(select(Review.id, Review.decision).order_by(Review.id)).all(),
            db.session.execute(select(Sponsorship.id, Sponsorship.status).order_by(Sponsorship.id)).all())


def active_project(milestones: int = 2):
    lead, teammate = make_user(), make_user()
    project = make_project(make_chapter(lead), status="active", team=(teammate,), milestones=milestones)
    first, *rest = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                      .order_by(Milestone.position)).all()
    return lead, teammate, project, first


def submit_url(project, milestone) -> str:
    return f"/api/v1/projects/{project.id}/milestones/{milestone.id}/submission"


def review_url(project, milestone) -> str:
    return f"/api/v1/projects/{project.id}/milestones/{milestone.id}/review"


def test_a_team_member_submits_and_the_lead_requests_changes_then_accepts(client):
    lead, teammate, project, milestone = active_project()
    team_secret, lead_secret = token_for(teammate, ["manage"]), token_for(lead, ["manage"])
    submitted = call(client, "POST", submit_url(project, milestone), team_secret, json={"note": "Draft", "link": LINK})
    assert submitted.status_code == 201, submitted.get_json()
    assert submitted.get_json()["milestone"] == {"id": milestone.id, "title": milestone.title, "status": "submitted"}
    assert submitted.get_json()["link"] == LINK
    changes = call(client, "POST", review_url(project, milestone), lead_secret,
                   json={"decision": "request_changes", "comment": "Cite your sources."})
    assert changes.status_code == 200, changes.get_json()
    assert changes.get_json()["decision"] == "changes_requested" and changes.get_json()["reviewing_for"] is None
    call(client, "POST", submit_url(project, milestone), team_secret, json={"note": "With sources", "link": LINK})
    accepted = call(client, "POST", review_url(project, milestone), lead_secret, json={"decision": "accept"})
    assert accepted.status_code == 200 and accepted.get_json()["milestone"]["status"] == "accepted"
    milestones, submissions, reviews, _ = state()
    assert milestones[0] == (milestone.id, "accepted")
    assert [note for _, note in submissions] == ["Draft", "With sources"]
    assert [decision for _, decision in reviews] == ["changes_requested", "accepted"]


def test_a_transition_the_state_does_not_allow_is_a_409_and_changes_nothing(client):
    lead, teammate, project, milestone = active_project()
    lead_secret = token_for(lead, ["manage"])
    # Nothing was submitted: nothing to review.
    before = state()
    refused = call(client, "POST", review_url(project, milestone), lead_secret, json={"decision": "accept"})
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert "planned" in refused.get_json()["detail"]
    # Submitted once, it waits for review: a second submission is refused.
    team_secret = token_for(teammate, ["manage"])
    call(client, "POST", submit_url(project, milestone), team_secret, json={"note": "Done", "link": LINK})
    after_first = state()
    again = call(client, "POST", submit_url(project, milestone), team_secret, json={"note": "Again", "link": LINK})
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert state() == after_first != before


def test_a_project_that_is_not_active_takes_no_submission(client):
    lead, teammate = make_user(), make_user()
    project = make_project(make_chapter(lead), status="recruiting", team=(teammate,), milestones=1)
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    before = state()
    response = call(client, "POST", submit_url(project, milestone), token_for(teammate, ["manage"]),
                    json={"note": "Early", "link": LINK})
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert state() == before


def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client):
    lead, teammate, project, milestone = active_project()
    team_secret, lead_secret = token_for(teammate, ["manage"]), token_for(lead, ["manage"])
    before = state()
    for body, field in [({"note": "Done"}, "link"), ({"link": LINK}, "note"),
                        ({"note": "Done", "link": "javascript:alert(1)"}, "link"),
                        ({"note": "Done", "link": LINK, "file": "x"}, "file"),
                        ({"note": "x" * 5001, "link": LINK}, "note")]:
        response = call(client, "POST", submit_url(project, milestone), team_secret, json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"]["json"], response.get_json()
    call(client, "POST", submit_url(project, milestone), team_secret, json={"note": "Done", "link": LINK})
    before = state()
    for body, field in [({"decision": "maybe"}, "decision"), ({"decision": "request_changes"}, "comment"),
                        ({"decision": "request_changes", "comment": "   "}, "comment"),
                        ({"decision": "accept", "reviewing_for": "chapter"}, "reviewing_for"),
                        ({"decision": "accept", "reviewing_for": 2**31}, "reviewing_for")]:
        response = call(client, "POST", review_url(project, milestone), lead_secret, json=body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"]["json"], response.get_json()
    assert state() == before


def test_only_the_team_submits_and_only_leads_and_sponsor_reviewers_review(client):
    lead, teammate, project, milestone = active_project()
    chapter_member = add_member(project.chapter, make_user())
    before = state()
    assert call(client, "POST", submit_url(project, milestone), token_for(chapter_member, ["manage"]),
                json={"note": "Not mine", "link": LINK}).status_code == 403
    assert call(client, "POST", submit_url(project, milestone), token_for(lead, ["manage"]),
                json={"note": "Not mine", "link": LINK}).status_code == 403
    # A token without the manage scope is refused before anything is read.
    assert call(client, "POST", submit_url(project, milestone), token_for(teammate, ["read", "apply"]),
                json={"note": "Done", "link": LINK}).status_code == 403
    assert state() == before
    call(client, "POST", submit_url(project, milestone), token_for(teammate, ["manage"]),
         json={"note": "Done", "link": LINK})
    submitted = state()
    for user in (chapter_member, teammate):  # the author never reviews their own work
        response = call(client, "POST", review_url(project, milestone), token_for(user, ["manage"]),
                        json={"decision": "accept"})
        assert response.status_code in (403, 409) and response.mimetype == "application/problem+json"
    assert state() == submitted


def test_a_sponsor_reviewer_accepts_the_final_milestone_for_their_organisation(client):
    lead, teammate, project, milestone = active_project(milestones=1)
    reviewer = make_user()
    org = make_organisation(make_user(), reviewers=(reviewer,))
    make_sponsorship(project, org, status="confirmed")
    call(client, "POST", submit_url(project, milestone), token_for(teammate, ["manage"]),
         json={"note": "Final", "link": LINK})
    # The lead may not accept a sponsored project's final milestone: the sponsor does (the workflow's guard).
    refused = call(client, "POST", review_url(project, milestone), token_for(lead, ["manage"]),
                   json={"decision": "accept"})
    assert refused.status_code == 409 and "sponsor" in refused.get_json()["detail"]
    # Reviewing for an organisation one does not belong to is refused.
    other = make_organisation(make_user())
    secret = token_for(reviewer, ["manage"])
    assert call(client, "POST", review_url(project, milestone), secret,
                json={"decision": "accept", "reviewing_for": other.id}).status_code == 403
    assert state()[0] == [(milestone.id, "submitted")]
    accepted = call(client, "POST", review_url(project, milestone), secret, json={"decision": "accept"})
    assert accepted.status_code == 200 and accepted.get_json()["reviewing_for"] == org.id
    assert state()[0] == [(milestone.id, "accepted")]


def test_foreign_or_missing_milestones_and_hidden_projects_are_404(client):
    lead, teammate, project, milestone = active_project()
    other_lead, other_teammate, other, other_milestone = active_project()
    draft = make_project(project.chapter, status="draft", milestones=1)
    draft_milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == draft.id))
    secret = token_for(teammate, ["manage"])
    before = state()
    for url in (submit_url(project, other_milestone), submit_url(draft, draft_milestone),
                f"/api/v1/projects/{project.id}/milestones/999999/submission",
                f"/api/v1/projects/999999/milestones/{milestone.id}/submission"):
        response = call(client, "POST", url, secret, json={"note": "Done", "link": LINK})
        assert response.status_code == 404 and response.mimetype == "application/problem+json", url
    assert state() == before


def test_leads_confirm_an_offer_and_the_organisation_answers_a_request(client):
    lead = make_user()
    project = make_project(make_chapter(lead))
    admin = make_user()
    org = make_organisation(admin)
    offer = make_sponsorship(project, org, status="offered", created_by=admin)
    request = make_sponsorship(project, org, status="requested", kind="in_kind", created_by=lead)
    lead_secret, admin_secret = token_for(lead, ["manage"]), token_for(admin, ["manage"])
    before = state()
    # Nobody answers their own side's proposal.
    own = call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", admin_secret, json={"answer": "confirm"})
    assert own.status_code == 409 and own.mimetype == "application/problem+json"
    assert state() == before
    confirmed = call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", lead_secret, json={"answer": "confirm"})
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["status"] == "confirmed"
    assert confirmed.get_json()["organisation"] == {"slug": org.slug, "name": org.name}
    declined = call(client, "POST", f"/api/v1/sponsorships/{request.id}/answer", admin_secret,
                    json={"answer": "decline"})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    answered = state()
    # Already answered: the workflow refuses from the current state.
    again = call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", lead_secret, json={"answer": "decline"})
    assert again.status_code == 409 and "confirmed" in again.get_json()["detail"]
    assert state() == answered
    assert [status for _, status in answered[3]] == ["confirmed", "declined"]


def test_a_sponsorship_answer_refuses_bad_input_strangers_and_unknown_ids(client):
    lead = make_user()
    project = make_project(make_chapter(lead))
    admin = make_user()
    offer = make_sponsorship(project, make_organisation(admin), status="offered", created_by=admin)
    before = state()
    secret = token_for(lead, ["manage"])
    for body, field in (({"answer": "maybe"}, "answer"), ({}, "answer"), ({"answer": "confirm", "extra": 1}, "extra"),
                        ({"answer": 1}, "answer")):
        response = call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", secret, json=body)
        assert response.status_code == 422 and field in response.get_json()["errors"]["json"], body
    stranger = call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", token_for(make_user(), ["manage"]),
                    json={"answer": "confirm"})
    assert stranger.status_code == 403 and stranger.mimetype == "application/problem+json"
    missing = call(client, "POST", "/api/v1/sponsorships/999999/answer", secret, json={"answer": "confirm"})
    assert missing.status_code == 404
    # The side that made the offer withdraws it; the leads may not.
    assert call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", secret,
                json={"answer": "withdraw"}).status_code == 403
    assert state() == before
    withdrawn = call(client, "POST", f"/api/v1/sponsorships/{offer.id}/answer", token_for(admin, ["manage"]),
                     json={"answer": "withdraw"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
