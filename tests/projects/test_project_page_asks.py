"""A project page leads with what the project needs from the viewer now ("What this project needs from you"):
applying, sponsoring, reviewing a deliverable, handing in work; each line appears for the viewers the rules and
the milestone workflow allow, and the page's statement count does not grow with the milestones."""
import pytest
from sqlalchemy import select

from core.extensions import db
from projects import milestones as milestone_services
from projects.models import Milestone
from tests.conftest import count_queries
from tests.factories import make_chapter, make_organisation, make_project, make_sponsorship, make_user

PANEL = "What this project needs from you"


@pytest.fixture
def world(app):
    lead = make_user("lead")
    chapter = make_chapter(lead)
    teammate, reviewer = make_user("teammate"), make_user("reviewer")
    recruiting = make_project(chapter, status="recruiting", team_max=4)
    active = make_project(chapter, status="active", team=(teammate,), milestones=3, title="Bookkeeping clinic")
    org = make_organisation(make_user("orgadmin"), reviewers=(reviewer,))
    make_sponsorship(active, org, status="confirmed")
    first = db.session.scalar(select(Milestone).where(Milestone.project_id == active.id).order_by(Milestone.position))
    milestone_services.submit_deliverable(first, teammate, note="Done.", link="https://example.org/d", upload=None)
    return {"lead": lead, "teammate": teammate, "reviewer": reviewer, "recruiting": recruiting, "active": active,
            "first": first}


def panel(client, path) -> str:
    body = client.get(path).get_data(as_text=True)
    if PANEL not in body:
        return ""
    start = body.index(PANEL)
    return body[start:body.index("</section>", start)]


def test_a_visitor_is_asked_to_sign_in_to_apply_and_sees_nothing_to_do_on_an_active_project(client, world):
    assert "Sign in to apply" in panel(client, f"/projects/{world['recruiting'].id}")
    assert panel(client, f"/projects/{world['active'].id}") == ""


def test_a_member_is_asked_to_apply_and_to_sponsor(client, auth, world):
    auth.login_as(make_user("someone"))
    asks = panel(client, f"/projects/{world['recruiting'].id}")
    assert "Apply to join" in asks and "Sponsor this project" in asks
    assert "The team needs 4 more people." in asks


def test_the_sponsors_reviewer_is_asked_to_review_the_waiting_deliverable(client, auth, world):
    auth.login_as(world["reviewer"])
    asks = panel(client, f"/projects/{world['active'].id}")
    first = world["first"]
    assert f'/projects/{world["active"].id}/milestones/{first.id}' in asks and "Review “" in asks
    assert "Submit “" not in asks and "Apply to join" not in asks


def test_the_team_is_asked_to_hand_in_the_planned_milestones_not_the_submitted_one(client, auth, world):
    auth.login_as(world["teammate"])
    asks = panel(client, f"/projects/{world['active'].id}")
    assert asks.count("Submit “") == 2 and "Review “" not in asks
    assert f'milestones/{world["first"].id}"' not in asks


def test_the_page_runs_as_many_statements_with_one_or_many_submitted_milestones(client, auth, world):
    auth.login_as(world["teammate"])
    path = f"/projects/{world['active'].id}"
    client.get(path)
    with count_queries() as before:
        client.get(path)
    for milestone in db.session.scalars(select(Milestone).where(Milestone.project_id == world["active"].id,
                                                                 Milestone.status == "planned")):
        milestone_services.submit_deliverable(milestone, world["teammate"], note="Done.", link="https://example.org/e",
                                              upload=None)
    with count_queries() as after:
        client.get(path)
    assert len(after) == len(before), (len(before), len(after))
