"""Sponsor review: confirmed sponsors' members review milestones, the final milestone of a sponsored
project is theirs to accept, delivery waits for it; the dashboard and the review-waiting notification."""
import pytest
from sqlalchemy import func, select

from accounts.models import Notification
from core.extensions import db
from projects.models import Milestone, Review, Submission
from tests.conftest import DASHBOARD_BUDGET, GATHERING_PAGE_BUDGET, count_queries, fresh
from tests.factories import add_member, make_chapter, make_organisation, make_project, make_sponsorship, make_user


def milestones_of(project):
    return list(db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                   .order_by(Milestone.position)))


def submitted(milestone, author):
    milestone.status = "submitted"
    db.session.add(Submission(milestone_id=milestone.id, author_id=author.id, note="Done", link="https://x.org/d"))
    db.session.commit()
    return milestone


@pytest.fixture
def w(app):
    lead, member = make_user("lead"), make_user("member")
    chapter = make_chapter(lead)
    project = make_project(chapter, status="active", team=(member,), milestones=2)
    sponsor_admin, reviewer = make_user("sadmin"), make_user("sreviewer")
    org = make_organisation(sponsor_admin, reviewers=(reviewer,), name="Acme Foundation")
    make_sponsorship(project, org, status="confirmed")
    other_reviewer = make_user("otherreviewer")
    other = make_organisation(make_user("otheradmin"), reviewers=(other_reviewer,), name="Other Fund")
    first, final = milestones_of(project)
    return {"lead": lead, "member": member, "project": project, "org": org, "admin": sponsor_admin,
            "reviewer": reviewer, "other": other, "other_reviewer": other_reviewer, "first": first, "final": final}


def review(client, milestone, decision, comment="", **headers):
    return client.post(f"/projects/{milestone.project_id}/milestones/{milestone.id}/review",
                       data={"decision": decision, "comment": comment}, headers=headers)


def deliver(client, project, **headers):
    return client.post(f"/projects/{project.id}/transitions/deliver", headers=headers)


def test_a_sponsor_reviewer_reviews_and_the_review_names_the_sponsor(client, auth, w):
    submitted(w["first"], w["member"])
    auth.login_as(w["reviewer"])
    page = client.get(f"/projects/{w['project'].id}/milestones/{w['first'].id}").get_data(as_text=True)
    assert "Review the deliverable" in page and "Accept the milestone" in page and "https://x.org/d" in page
    assert review(client, w["first"], "accept", "Fine.").status_code == 302
    assert fresh(w["first"]).status == "accepted" and w["first"].accepted_by_id == w["reviewer"].id
    assert db.session.scalar(select(Review.sponsor_organisation_id)) == w["org"].id
    page = client.get(f"/projects/{w['project'].id}/milestones/{w['first'].id}").get_data(as_text=True)
    assert "for Acme Foundation" in page


def test_a_leads_review_names_no_sponsor(client, auth, w):
    submitted(w["first"], w["member"])
    auth.login_as(w["lead"])
    assert review(client, w["first"], "accept").status_code == 302
    assert fresh(w["first"]).status == "accepted"
    assert db.session.scalar(select(Review.sponsor_organisation_id)) is None


def test_sponsor_reviewer_cannot_review_other_sponsors_milestone(client, auth, w):
    submitted(w["first"], w["member"])
    for user in (w["other_reviewer"], make_user("nobody")):
        auth.login_as(user)
        assert review(client, w["first"], "accept").status_code == 403
        assert client.get(f"/projects/{w['project'].id}/submissions/1/file").status_code == 403
    assert fresh(w["first"]).status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_a_sponsor_whose_sponsorship_is_only_offered_or_whose_organisation_is_archived_cannot_review(client, auth, w):
    submitted(w["first"], w["member"])
    make_sponsorship(w["project"], w["other"], status="offered")
    auth.login_as(w["other_reviewer"])
    assert review(client, w["first"], "accept").status_code == 403
    w["org"].status = "archived"
    db.session.commit()
    auth.login_as(w["reviewer"])
    assert review(client, w["first"], "accept").status_code == 403
    assert fresh(w["first"]).status == "submitted"


def test_lead_cannot_accept_the_final_milestone_of_a_sponsored_project(client, auth, w):
    submitted(w["final"], w["member"])
    auth.login_as(w["lead"])
    page = client.get(f"/projects/{w['project'].id}/milestones/{w['final'].id}").get_data(as_text=True)
    assert "Request changes" in page and "Accept the milestone" not in page
    assert "its final milestone is accepted by a reviewer of a confirming sponsor" in page
    response = review(client, w["final"], "accept", Accept="application/json")
    assert response.status_code == 409
    assert "accepted by a reviewer of a confirming sponsor" in response.get_json()["message"]
    assert fresh(w["final"]).status == "submitted"
    html = review(client, w["final"], "accept")
    assert html.status_code == 302 and fresh(w["final"]).status == "submitted"
    # The lead may still ask for changes on it.
    assert review(client, w["final"], "request_changes", "Add the budget.").status_code == 302
    assert fresh(w["final"]).status == "changes_requested"


def test_a_lead_accepts_the_final_milestone_of_a_project_without_a_confirmed_sponsor(client, auth, app):
    lead, member = make_user(), make_user()
    project = make_project(make_chapter(lead), status="active", team=(member,), milestones=1)
    make_sponsorship(project, make_organisation(), status="offered")
    [final] = milestones_of(project)
    submitted(final, member)
    auth.login_as(lead)
    assert review(client, final, "accept").status_code == 302 and fresh(final).status == "accepted"
    assert deliver(client, project).status_code == 302 and fresh(project).status == "delivered"


def test_delivery_waits_for_the_sponsor_to_accept_the_final_milestone(client, auth, w):
    project = w["project"]
    submitted(w["first"], w["member"])
    submitted(w["final"], w["member"])
    auth.login_as(w["lead"])
    assert review(client, w["first"], "accept").status_code == 302
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Mark as delivered" in page
    assert "a reviewer of a confirming sponsor must accept its final milestone" in page
    response = deliver(client, project, Accept="application/json")
    assert response.status_code == 409 and "confirming sponsor" in response.get_json()["message"]
    assert fresh(project).status == "active"
    # Even with every milestone accepted, a lead's acceptance of the final one would not do: the sponsor's does.
    auth.login_as(w["admin"])
    assert review(client, w["final"], "accept", "Well done.").status_code == 302
    auth.login_as(w["lead"])
    assert deliver(client, project).status_code == 302
    assert fresh(project).status == "delivered"


def test_the_final_milestone_is_the_highest_position(client, auth, w):
    """After the milestones are reordered, the guard follows the new final milestone."""
    w["first"].position, w["final"].position = 2, 1
    db.session.commit()
    submitted(w["first"], w["member"])
    auth.login_as(w["lead"])
    assert review(client, w["first"], "accept", Accept="application/json").status_code == 409
    submitted(w["final"], w["member"])
    assert review(client, w["final"], "accept").status_code == 302 and fresh(w["final"]).status == "accepted"


# Notifications ----------------------------------------------------------------------------------------------------

def notes(user, kind="sponsor.review_waiting"):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                         Notification.kind == kind)).all()


def test_sponsor_members_hear_that_a_milestone_waits_for_their_review(client, auth, w):
    make_sponsorship(w["project"], w["other"], status="offered")
    auth.login_as(w["member"])
    response = client.post(f"/projects/{w['project'].id}/milestones/{w['final'].id}/submit",
                           data={"note": "Final report", "link": "https://example.org/final"})
    assert response.status_code == 302
    for user in (w["reviewer"], w["admin"]):
        [note] = notes(user)
        assert note.url == f"/projects/{w['project'].id}/milestones/{w['final'].id}"
        assert note.params["organisation"] == "Acme Foundation" and note.params["milestone"] == "Milestone 2"
    assert notes(w["other_reviewer"]) == [] and notes(w["lead"]) == [] and notes(w["member"]) == []
    auth.login_as(w["reviewer"])
    page = client.get("/notifications").get_data(as_text=True)
    assert "waits for your review for Acme Foundation" in page
    # Running the job again (a retry) tells nobody twice.
    from sponsors.tasks import tell_sponsor_reviewers
    tell_sponsor_reviewers(w["final"].id)
    db.session.commit()
    assert len(notes(w["reviewer"])) == 1


def test_an_unsponsored_projects_submission_tells_no_sponsor(client, auth, app):
    lead, member = make_user(), make_user()
    project = make_project(make_chapter(lead), status="active", team=(member,))
    reviewer = make_user()
    make_sponsorship(project, make_organisation(reviewers=(reviewer,)), status="declined")
    [milestone] = milestones_of(project)
    auth.login_as(member)
    client.post(f"/projects/{project.id}/milestones/{milestone.id}/submit",
                data={"note": "x", "link": "https://example.org/x"})
    assert fresh(milestone).status == "submitted" and notes(reviewer) == []


def test_sponsorship_notifications_reach_the_other_side(client, auth, w):
    lead, admin = w["lead"], w["admin"]
    project = make_project(make_chapter(lead), status="recruiting")
    auth.login_as(admin)
    client.post(f"/projects/{project.id}/sponsorships/offer",
                data={"organisation": str(w["org"].id), "kind": "funding", "amount": "10", "currency": "EUR"})
    assert len(notes(lead, "sponsorship.offered")) == 1
    auth.login_as(lead)
    client.post(f"/projects/{project.id}/sponsorships/request",
                data={"organisation": str(w["other"].id), "kind": "funding", "amount": "20", "currency": "EUR"})
    other_admin = db.session.get(type(lead), w["other"].created_by_id)
    assert len(notes(other_admin, "sponsorship.requested")) == 1
    from sponsors.models import Sponsorship
    offer, request = db.session.scalars(select(Sponsorship).where(Sponsorship.project_id == project.id)
                                        .order_by(Sponsorship.id)).all()
    client.post(f"/sponsorships/{offer.id}/confirm")
    assert len(notes(admin, "sponsorship.confirmed")) == 1
    auth.login_as(other_admin)
    client.post(f"/sponsorships/{request.id}/decline")
    assert len(notes(lead, "sponsorship.declined")) == 1


# Dashboard ---------------------------------------------------------------------------------------------------------

def test_the_dashboard_shows_sponsored_projects_with_progress_and_the_reviews_waiting(client, auth, w):
    submitted(w["final"], w["member"])
    w["first"].status = "accepted"
    db.session.commit()
    unsponsored = make_project(make_chapter(), status="active", title="Not ours")
    submitted(milestones_of(unsponsored)[0], w["member"])
    auth.login_as(w["reviewer"])
    body = client.get(f"/sponsors/{w['org'].slug}/dashboard").get_data(as_text=True)
    assert w["project"].title in body and "1 of 2" in body and "Not ours" not in body
    milestone_path = f"/projects/{w['project'].id}/milestones/{w['final'].id}"
    assert f'href="{milestone_path}"' in body
    assert f'/sponsors/{w["org"].slug}/projects/{w["project"].id}/report' in body
    # The organisation page links members to it, and /me lists their organisations.
    assert f'/sponsors/{w["org"].slug}/dashboard' in client.get(f"/sponsors/{w['org'].slug}").get_data(as_text=True)
    me = client.get("/me").get_data(as_text=True)
    assert "My sponsor organisations" in me and f'/sponsors/{w["org"].slug}/dashboard' in me
    assert "1 milestone waiting for review" in me


def test_only_members_see_the_dashboard(client, auth, w):
    url = f"/sponsors/{w['org'].slug}/dashboard"
    assert client.get(url).headers["Location"].startswith("/auth/login")
    for user in (w["other_reviewer"], w["lead"], make_user()):
        auth.login_as(user)
        assert client.get(url).status_code == 403
    assert f"/sponsors/{w['org'].slug}/dashboard" not in client.get(f"/sponsors/{w['org'].slug}").get_data(as_text=True)
    assert "My sponsor organisations" not in client.get("/me").get_data(as_text=True)
    assert client.get("/sponsors/no-such-organisation/dashboard").status_code == 404


def test_the_dashboard_is_paginated(client, auth, w):
    chapter = make_chapter()
    for n in range(25):
        project = make_project(chapter, status="active", title=f"Sponsored {n:02d}", commit=False)
        make_sponsorship(project, w["org"], status="confirmed", commit=False)
    db.session.commit()
    auth.login_as(w["admin"])
    first = client.get(f"/sponsors/{w['org'].slug}/dashboard").get_data(as_text=True)
    second = client.get(f"/sponsors/{w['org'].slug}/dashboard?page=2").get_data(as_text=True)
    titles = lambda body: {f"Sponsored {n:02d}" for n in range(25) if f"Sponsored {n:02d}<" in body}  # noqa: E731
    assert len(titles(first)) == 20 and titles(second) and not titles(first) & titles(second)
    assert 'rel="next"' in first


def build(size: int):
    admin = make_user()
    org = make_organisation(admin, reviewers=(make_user(commit=False),))
    chapter = make_chapter()
    member = make_user()
    for n in range(size):
        project = make_project(chapter, status="active", team=(member,), milestones=3, commit=False)
        make_sponsorship(project, org, status="confirmed", commit=False)
        make_sponsorship(project, make_organisation(commit=False), status="confirmed", commit=False)
        db.session.flush()
        first = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id,
                                                          Milestone.position == 1))
        first.status = "submitted"
        db.session.add(Submission(milestone_id=first.id, author_id=member.id, note="x", link="https://a.b"))
    db.session.commit()
    return admin, org


def test_the_dashboard_and_reports_run_a_fixed_number_of_queries(client, auth, app):
    counts = {}
    for size in (3, 45):
        admin, org = build(size)
        auth.login_as(admin)
        counts[size] = {}
        for name, path in {"dashboard": f"/sponsors/{org.slug}/dashboard",
                           "reviews page 2": f"/sponsors/{org.slug}/dashboard?reviews_page=2",
                           "csv": f"/sponsors/{org.slug}/report.csv", "me": "/me"}.items():
            with count_queries() as queries:
                assert client.get(path).status_code == 200
            counts[size][name] = len(queries)
    assert counts[3] == counts[45], counts
    me = counts[45].pop("me")
    assert me <= DASHBOARD_BUDGET and max(counts[45].values()) <= GATHERING_PAGE_BUDGET, counts[45]


def test_the_dashboard_leaves_out_milestones_of_projects_no_longer_active(client, auth, w):
    submitted(w["final"], w["member"])
    w["project"].status = "cancelled"
    db.session.commit()
    auth.login_as(w["reviewer"])
    body = client.get(f"/sponsors/{w['org'].slug}/dashboard").get_data(as_text=True)
    assert "No milestone is waiting for review." in body and w["project"].title in body


def join_organisation(org, user, role="reviewer"):
    from sponsors.models import SponsorMember
    db.session.add(SponsorMember(organisation_id=org.id, user_id=user.id, role=role))
    db.session.commit()
    org.forget_roles()


def review_as(client, milestone, decision, reviewing_for, comment="Fine."):
    return client.post(f"/projects/{milestone.project_id}/milestones/{milestone.id}/review",
                       data={"decision": decision, "comment": comment, "reviewing_for": reviewing_for})


@pytest.mark.parametrize("decision", ["accept", "request_changes"])
def test_an_author_who_is_also_a_sponsor_reviewer_never_reviews_their_own_final_milestone(client, auth, w, decision):
    join_organisation(w["org"], w["member"])
    submitted(w["final"], w["member"])
    auth.login_as(w["member"])
    page = client.get(f"/projects/{w['project'].id}/milestones/{w['final'].id}").get_data(as_text=True)
    assert "Accept the milestone" not in page and "Request changes" not in page
    response = client.post(f"/projects/{w['project'].id}/milestones/{w['final'].id}/review",
                           data={"decision": decision, "comment": "Looks good."},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert "You submitted this deliverable: someone else reviews it." in response.get_json()["message"]
    assert fresh(w["final"]).status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0


def test_a_lead_or_admin_who_submitted_a_deliverable_does_not_review_it(client, auth, w):
    from tests.factories import make_admin
    admin_lead = make_admin("adminlead")
    add_member(w["project"].chapter, admin_lead, role="co_lead")
    join_organisation(w["org"], admin_lead)
    submitted(w["first"], admin_lead)
    auth.login_as(admin_lead)
    for capacity in ("", str(w["org"].id)):
        response = review_as(client, w["first"], "accept", capacity)
        assert response.status_code == 302
        assert fresh(w["first"]).status == "submitted"
    auth.login_as(w["lead"])
    assert review(client, w["first"], "accept").status_code == 302
    assert fresh(w["first"]).status == "accepted"


def test_a_lead_who_is_also_a_sponsor_reviewer_counts_for_the_sponsor_only_when_reviewing_for_it(client, auth, w):
    join_organisation(w["org"], w["lead"])
    submitted(w["final"], w["member"])
    auth.login_as(w["lead"])
    page = client.get(f"/projects/{w['project'].id}/milestones/{w['final'].id}").get_data(as_text=True)
    assert "As the chapter&#39;s lead" in page and "For Acme Foundation" in page
    assert review_as(client, w["final"], "accept", "").status_code == 302
    assert fresh(w["final"]).status == "submitted"
    assert review(client, w["final"], "accept", Accept="application/json").status_code == 409  # no choice made
    assert fresh(w["final"]).status == "submitted"
    assert review_as(client, w["final"], "accept", str(w["org"].id)).status_code == 302
    assert fresh(w["final"]).status == "accepted"
    assert db.session.scalar(select(Review.sponsor_organisation_id)) == w["org"].id


def test_a_reviewer_in_two_sponsors_chooses_which_one_the_review_is_for(client, auth, w):
    make_sponsorship(w["project"], w["other"], status="confirmed")
    join_organisation(w["other"], w["reviewer"])
    submitted(w["first"], w["member"])
    auth.login_as(w["reviewer"])
    page = client.get(f"/projects/{w['project'].id}/milestones/{w['first'].id}").get_data(as_text=True)
    assert "For Acme Foundation" in page and "For Other Fund" in page and "As the chapter" not in page
    refused = review(client, w["first"], "accept", Accept="application/json")
    assert refused.status_code == 409 and "Choose whom you review for." in refused.get_json()["message"]
    assert review_as(client, w["first"], "accept", "").status_code == 403  # not a lead
    assert review_as(client, w["first"], "accept", "abc").status_code == 400
    assert review_as(client, w["first"], "accept", "99999999999999999999999").status_code == 400
    assert fresh(w["first"]).status == "submitted"
    assert review_as(client, w["first"], "accept", str(w["other"].id)).status_code == 302
    assert db.session.scalar(select(Review.sponsor_organisation_id)) == w["other"].id


def test_a_sponsor_reviewer_cannot_review_for_an_organisation_they_do_not_belong_to(client, auth, w):
    make_sponsorship(w["project"], w["other"], status="confirmed")
    submitted(w["first"], w["member"])
    auth.login_as(w["reviewer"])
    assert review_as(client, w["first"], "accept", str(w["other"].id)).status_code == 403
    assert fresh(w["first"]).status == "submitted"


def test_a_leads_acceptance_of_the_final_milestone_never_counts_as_the_sponsors(client, auth, w):
    """Even when the final milestone is accepted (here by a lead's review), delivery waits for a sponsor's."""
    from projects.lifecycle import PROJECT, sponsor_accepted_final
    for milestone in (w["first"], w["final"]):
        milestone.status = "accepted"
    db.session.add(Review(milestone_id=w["final"].id, reviewer_id=w["lead"].id, decision="accepted",
                          sponsor_organisation_id=None, comment=""))
    db.session.commit()
    project = fresh(w["project"])
    assert sponsor_accepted_final(project, w["lead"]) is not None
    assert "a reviewer of a confirming sponsor must accept" in " ".join(PROJECT.blockers(project, w["lead"],
                                                                                          "deliver"))
    auth.login_as(w["lead"])
    deliver(client, w["project"])
    assert fresh(w["project"]).status == "active"
    db.session.add(Review(milestone_id=w["final"].id, reviewer_id=w["reviewer"].id, decision="accepted",
                          sponsor_organisation_id=w["org"].id, comment=""))
    db.session.commit()
    assert sponsor_accepted_final(fresh(w["project"]), w["lead"]) is None
    deliver(client, w["project"])
    assert fresh(w["project"]).status == "delivered"
