"""Workshops attended feed the competency profile (issue 14 item 4) as their own kind of evidence: a competency met
only in workshops gets a short bar ("Workshop attended"), never a level; a level attested on a project stays what
it is; "your next step" still proposes projects for it. The portfolio lists the events attended with the
workshops' competencies, and reading them costs no statement more."""
import pytest

from core.extensions import db
from learning import chart
from learning.profile import WORKSHOP, GoalRecord, Workshop, build_profile
from tests.conftest import count_queries, over_budget
from tests.factories import (add_member, make_chapter, make_delivered_project, make_event, make_project, make_rsvp,
                             make_user)
from tests.learning.test_learner_view import goal, profile_part


@pytest.fixture
def w(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon")
    mia = add_member(chapter, make_user("mia", name="Mia Learner"))
    project = make_delivered_project(chapter, title="Food bank scheduler", team=(mia,),
                                     competencies=("scoping.pricing",))
    goal(project, mia, "scoping.pricing", "demonstrated", lead)
    workshop = make_event(chapter, kind="workshop", title="Contracts and quotes", starts_in_hours=-72,
                          competencies=("admin.contracts", "scoping.pricing"))
    make_rsvp(workshop, mia, attended=True)
    db.session.commit()
    return {"lead": lead, "chapter": chapter, "mia": mia, "project": project, "workshop": workshop}


def bar(body: str, label: str) -> str:
    """The chart's bar for the competency named `label`."""
    start = body.index(f"<title>{label}: ")
    return body[body.rindex("<g ", 0, start):body.index("</g>", start)]


def test_a_workshop_attended_shows_on_the_profile_as_its_own_evidence(client, w):
    body = client.get("/u/mia").get_data(as_text=True)
    part = profile_part(body)
    assert 'data-level="workshop"' in bar(part, "Contracts and intellectual property")  # met only in the workshop: the short bar
    assert 'data-level="demonstrated"' in bar(part, "Pricing")  # the project's level stays
    assert part.count("Workshop attended: Contracts and quotes") == 2  # on both competencies' lines
    assert f'href="/events/{w["workshop"].id}"' in part
    assert "1 with no level attested but a workshop attended" in part
    events = body[body.index('aria-labelledby="profile-events-heading"'):]
    assert "Contracts and quotes" in events and "Contracts and intellectual property" in events  # "Events attended", with its competencies


def test_a_workshop_never_counts_as_shown_so_the_next_step_still_proposes_projects(client, auth, w):
    make_project(w["chapter"], title="Contract templates for associations", competencies=("admin.contracts",))
    auth.login_as(w["mia"])
    part = profile_part(client.get("/u/mia").get_data(as_text=True))
    steps = part[part.index('id="next-step-heading"'):]
    assert "Contract templates for associations" in steps


@pytest.mark.parametrize("how", ["going only", "marked absent", "cancelled", "a meetup"])
def test_only_workshops_the_organiser_marked_attended_count(client, w, how):
    if how == "a meetup":
        other = make_event(w["chapter"], kind="meetup", starts_in_hours=-30, competencies=("sales.prospecting",))
    else:
        other = make_event(w["chapter"], kind="workshop", starts_in_hours=-30, competencies=("sales.prospecting",),
                           status="cancelled" if how == "cancelled" else "scheduled")
    make_rsvp(other, w["mia"], attended={"going only": None, "marked absent": False}.get(how, True))
    part = profile_part(client.get("/u/mia").get_data(as_text=True))
    assert "Prospecting" not in part


def test_the_profile_reads_in_french(client, w):
    part = profile_part(client.get("/u/mia", headers={"Accept-Language": "fr"}).get_data(as_text=True))
    assert "Atelier suivi : Contracts and quotes" in part
    assert "sans niveau attesté mais vue en atelier" in part


# ---- the weighing, as plain data ----

def record(code, level) -> GoalRecord:
    return GoalRecord(user_id=1, code=code, project_id=1, project_title="P", project_status="active", current=True,
                      level=level, minutes=60, revoked=False)


def attended(code, event_id=1) -> Workshop:
    from core.audit import utcnow
    return Workshop(event_id=event_id, title=f"Workshop {event_id}", starts_at=utcnow(), code=code)


def test_a_workshop_weighs_less_than_any_attested_level_and_more_than_a_goal_not_attested():
    widths = {level: chart.bar_length(level) for level in (None, WORKSHOP, "not_shown", "practised", "demonstrated")}
    assert widths[None] < widths[WORKSHOP] < widths["not_shown"] < widths["practised"] < widths["demonstrated"]
    profile = build_profile([record("scoping.pricing", "not_shown"), record("sales.discovery", None)],
                            [], [attended("scoping.pricing"), attended("sales.discovery"), attended("admin.contracts"),
                                 attended("admin.contracts", 2), attended("admin.contracts", 2)])
    lines = {line.code: line for line in profile.competencies}
    assert lines["scoping.pricing"].chart_level == "not_shown"  # a level attested on a project wins
    assert lines["sales.discovery"].chart_level == WORKSHOP  # a goal not attested yet, but heard about
    assert lines["admin.contracts"].chart_level == WORKSHOP and lines["admin.contracts"].best is None
    assert [w.event_id for w in lines["admin.contracts"].workshops] == [1, 2]  # each workshop once
    assert lines["admin.contracts"].minutes == 0 and lines["admin.contracts"].projects == []
    assert profile.shown == set() and profile.from_workshops_only == 2


# ---- statements ----

def grow(w, size):
    for n in range(size):
        event = make_event(w["chapter"], kind="workshop", starts_in_hours=-100 - n, commit=False,
                           competencies=("admin.contracts", "sales.prospecting", "delivery.planning"))
        make_rsvp(event, w["mia"], attended=True, commit=False)
    db.session.commit()


@pytest.mark.parametrize("viewer", ["visitor", "mia"])
def test_the_portfolio_costs_the_same_with_no_workshop_or_many(app, client, auth, w, viewer):
    app.config["PAGE_CACHE"] = False
    if viewer != "visitor":
        auth.login_as(w[viewer])
    db.session.delete(db.session.merge(w["workshop"]))
    db.session.commit()
    counts = {}
    for size in (0, 3, 30):
        grow(w, size)
        with count_queries() as queries:
            assert client.get("/u/mia").status_code == 200
        counts[size] = len(queries)
    assert counts[0] == counts[3] == counts[30], counts
    assert over_budget({f"{viewer} portfolio": counts[30]}) == {}, counts
