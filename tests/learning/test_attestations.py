"""Attestations: before delivery a mentor on the team (or a chapter lead when the team has none) records, for
each member's goal, the level shown and a sentence, on /projects/<id>/attestations; one per goal, never one's
own; "Mark as delivered" names the members still waiting; /learning/ counts the members who demonstrated."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from learning import queries, services
from learning.models import GoalAttestation, LearningGoal
from projects.models import Project, TeamMember
from tests.conftest import count_queries
from tests.factories import make_chapter, make_project, make_user

CODES = ("admin.budget", "sales.pitching", "delivery.time")


@pytest.fixture
def world(app):
    lead, ada, bob, mentor = make_user("lead", name="Lea Lead"), make_user("ada", name="Ada Lovelace"), \
        make_user("bob", name="Bob Marley"), make_user("mentor", name="Mia Mentor")
    chapter = make_chapter(lead, name="Lyon")
    project = make_project(chapter, status="active", team=(ada, bob), competencies=CODES)
    for milestone in project_milestones(project):
        milestone.status = "accepted"
    db.session.commit()
    services.set_goals(project, ada, codes=["admin.budget", "delivery.time"], role_id=None)
    services.set_goals(project, bob, codes=["sales.pitching"], role_id=None)
    return {"lead": lead, "ada": ada, "bob": bob, "mentor": mentor, "chapter": chapter, "project": project}


def project_milestones(project):
    from projects.models import Milestone
    return db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)).all()


def goal(user, code):
    return db.session.scalar(select(LearningGoal).join(TeamMember).where(TeamMember.user_id == user.id,
                                                                          LearningGoal.code == code))


def add_mentor(world, user=None):
    user = user or world["mentor"]
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == world["project"].id,
                                                       TeamMember.user_id == user.id))
    if place is None:
        place = TeamMember(project_id=world["project"].id, user_id=user.id)
        db.session.add(place)
    place.role = "mentor"
    db.session.commit()


def attestations():
    db.session.expire_all()
    return db.session.execute(select(GoalAttestation.goal_id, GoalAttestation.level, GoalAttestation.note)
                              .order_by(GoalAttestation.id)).all()


def form(target, level="demonstrated", note="Kept the budget to the euro."):
    return {f"goal-{target.id}-level": level, f"goal-{target.id}-note": note}


def post(client, world, target, **data):
    return client.post(f"/projects/{world['project'].id}/attestations/{target.id}", data=form(target, **data))


def test_a_mentor_attests_each_goal_on_the_page(client, auth, world):
    add_mentor(world)
    auth.login_as(world["mentor"])
    page = client.get(f"/projects/{world['project'].id}/attestations").get_data(as_text=True)
    assert "Ada Lovelace" in page and "Bob Marley" in page and page.count("Record the attestation") == 3
    budget = goal(world["ada"], "admin.budget")
    response = post(client, world, budget)
    assert response.status_code == 302
    assert attestations() == [(budget.id, "demonstrated", "Kept the budget to the euro.")]
    page = client.get(f"/projects/{world['project'].id}/attestations").get_data(as_text=True)
    assert "Kept the budget to the euro." in page and "attested by Mia Mentor" in page
    assert page.count("Record the attestation") == 2
    auth.login_as(world["ada"])
    page = client.get(f"/projects/{world['project'].id}/goals").get_data(as_text=True)
    assert "Demonstrated</span>: Kept the budget to the euro." in page


def test_a_lead_attests_when_the_team_has_no_mentor_and_not_when_it_has_one(client, auth, world):
    auth.login_as(world["lead"])
    assert post(client, world, goal(world["ada"], "admin.budget")).status_code == 302
    add_mentor(world)
    assert post(client, world, goal(world["bob"], "sales.pitching")).status_code == 403
    assert len(attestations()) == 1
    page = client.get(f"/projects/{world['project'].id}/attestations").get_data(as_text=True)
    assert "Record the attestation" not in page and "Waiting for an attestation." in page


def test_a_mentors_own_goal_is_attested_by_another_mentor_or_else_by_a_lead(client, auth, world):
    add_mentor(world, world["bob"])  # Bob mentors and has a goal: nobody attests their own
    own = goal(world["bob"], "sales.pitching")
    auth.login_as(world["bob"])
    assert post(client, world, own).status_code == 403
    assert post(client, world, goal(world["ada"], "admin.budget")).status_code == 302  # Bob attests Ada
    auth.login_as(world["lead"])
    assert post(client, world, goal(world["ada"], "delivery.time")).status_code == 403  # a mentor is there
    assert post(client, world, own).status_code == 302  # ... but not for his own goal
    assert [row.goal_id for row in attestations()] == [goal(world["ada"], "admin.budget").id, own.id]


@pytest.mark.parametrize("who", ["ada", "bob", "stranger", "other_lead"])
def test_team_members_and_others_may_not_attest(client, auth, world, who):
    user = world.get(who) or make_user(who)
    if who == "other_lead":
        make_chapter(user, name="Other chapter")  # leads another chapter, not this project's
    auth.login_as(user)
    target = goal(world["ada"], "admin.budget")  # Ada's own goal for Ada; a teammate's for Bob
    assert post(client, world, target).status_code == 403
    assert client.get(f"/projects/{world['project'].id}/attestations").status_code == 403
    assert attestations() == []


def test_visitors_are_asked_to_sign_in(client, world):
    target = goal(world["ada"], "admin.budget")
    for response in (client.get(f"/projects/{world['project'].id}/attestations"), post(client, world, target)):
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert attestations() == []


def test_a_goal_of_another_project_is_not_found(client, auth, world):
    other = make_project(world["chapter"], status="active", competencies=("admin.budget",))
    auth.login_as(world["lead"])
    target = goal(world["ada"], "admin.budget")
    response = client.post(f"/projects/{other.id}/attestations/{target.id}", data=form(target))
    assert response.status_code == 404 and attestations() == []


@pytest.mark.parametrize("level, note, field, message", [
    ("", "Seen.", "level", "Choose a level from the list."),
    ("excellent", "Seen.", "level", "Choose a level from the list."),
    ("practised", "   ", "note", "Write one sentence on what you saw."),
    ("practised", "x" * 301, "note", "Field cannot be longer than 300 characters."),
])
def test_bad_attestations_are_refused_next_to_the_field(client, auth, world, level, note, field, message):
    auth.login_as(world["lead"])
    target = goal(world["ada"], "admin.budget")
    response = post(client, world, target, level=level, note=note)
    assert response.status_code == 400
    expected = f'<div id="goal-{target.id}-{field}-error" class="invalid-feedback d-block">{message}</div>'
    assert expected in response.get_data(as_text=True)
    assert attestations() == []


def test_a_second_attestation_of_a_goal_is_refused_with_a_message(client, auth, world):
    auth.login_as(world["lead"])
    target = goal(world["ada"], "admin.budget")
    post(client, world, target)
    response = post(client, world, target, level="not_shown", note="Changed my mind.")
    assert response.status_code == 400
    assert "This goal is already attested." in response.get_data(as_text=True)
    assert attestations() == [(target.id, "demonstrated", "Kept the budget to the euro.")]


def test_the_database_refuses_a_second_attestation_too(world):
    target = goal(world["ada"], "admin.budget")
    for note in ("First.", "Second."):
        db.session.add(GoalAttestation(goal_id=target.id, level="practised", note=note))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_delivery_names_the_members_still_waiting_then_goes_through(client, auth, world):
    project = world["project"]
    auth.login_as(world["lead"])
    detail = client.get(f"/projects/{project.id}").get_data(as_text=True)
    # Not listed in advance on the project page (an apply-only guard: the page's statement budget) ...
    assert "Waiting for an attestation" not in detail and f"/projects/{project.id}/attestations" in detail
    # ... but the refusal names them.
    response = client.post(f"/projects/{project.id}/transitions/deliver", follow_redirects=True)
    assert "Waiting for an attestation of the learning goals of: Ada Lovelace, Bob Marley." in \
        response.get_data(as_text=True)
    assert db.session.get(Project, project.id).status == "active"
    post(client, world, goal(world["ada"], "admin.budget"))
    post(client, world, goal(world["bob"], "sales.pitching"))
    assert queries.waiting_for_attestation(project) == ["Ada Lovelace"]  # her second goal
    post(client, world, goal(world["ada"], "delivery.time"), level="not_shown", note="No time entries kept.")
    response = client.post(f"/projects/{project.id}/transitions/deliver")
    db.session.expire_all()
    assert response.status_code == 302 and db.session.get(Project, project.id).status == "delivered"


def test_members_who_left_or_have_no_goal_wait_for_nothing(world):
    project = world["project"]
    bob_place = db.session.scalar(select(TeamMember).where(TeamMember.user_id == world["bob"].id))
    bob_place.left_at = db.func.now()
    db.session.commit()
    assert queries.waiting_for_attestation(project) == ["Ada Lovelace"]
    db.session.execute(LearningGoal.__table__.delete().where(LearningGoal.team_member_id != bob_place.id))
    db.session.commit()
    assert queries.waiting_for_attestation(project) == []


def test_the_framework_pages_count_members_who_demonstrated(client, world):
    assert "0 members have shown it so far." in client.get("/learning/admin.budget").get_data(as_text=True)
    services.attest(goal(world["ada"], "admin.budget"), world["lead"], level="demonstrated", note="Seen.")
    services.attest(goal(world["ada"], "delivery.time"), world["lead"], level="practised", note="Seen.")
    assert queries.shown_counts() == {"admin.budget": 1}
    # The visitor's cached page renders afresh: the attestation table changed.
    assert "1 member has shown it so far." in client.get("/learning/admin.budget").get_data(as_text=True)
    index = client.get("/learning/").get_data(as_text=True)
    row = index[index.index('href="/learning/admin.budget"'):]
    assert row[:row.index("</tr>")].rstrip().endswith('<td class="text-end">1</td>')
    with count_queries() as statements:
        queries.shown_counts()
    assert len(statements) == 1


def attestation_page_statements(client, path):
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_new_pages_run_a_fixed_number_of_queries(client, auth, world):
    project, counts = world["project"], {}
    for size in (3, 12):
        while db.session.scalar(select(db.func.count()).select_from(TeamMember)
                                .where(TeamMember.project_id == project.id)) < size:
            member = make_user()
            db.session.add(TeamMember(project_id=project.id, user_id=member.id))
            db.session.commit()
            services.set_goals(project, member, codes=list(CODES[:2]), role_id=None)
            services.attest(goal(member, CODES[0]), world["lead"], level="practised", note="Seen in the clinic.")
        auth.login_as(world["lead"])
        pages = {"attestations": attestation_page_statements(client, f"/projects/{project.id}/attestations"),
                 "project_as_lead": attestation_page_statements(client, f"/projects/{project.id}")}
        auth.login_as(world["ada"])
        pages.update(goals=attestation_page_statements(client, f"/projects/{project.id}/goals"),
                     project_as_member=attestation_page_statements(client, f"/projects/{project.id}"),
                     dashboard=attestation_page_statements(client, "/me"))
        counts[size] = pages
    assert counts[3] == counts[12], counts


def test_a_lead_on_the_team_does_not_attest_their_own_goal(client, auth, world):
    project = world["project"]
    db.session.add(TeamMember(project_id=project.id, user_id=world["lead"].id))
    db.session.commit()
    services.set_goals(project, world["lead"], codes=["admin.budget"], role_id=None)
    auth.login_as(world["lead"])
    assert post(client, world, goal(world["lead"], "admin.budget")).status_code == 403
    assert post(client, world, goal(world["ada"], "admin.budget")).status_code == 302  # the others' goals, yes
    assert [row.goal_id for row in attestations()] == [goal(world["ada"], "admin.budget").id]


def test_a_members_export_holds_their_goals_and_the_attestations_they_wrote(world):
    from core.personal_data import PARTS
    services.attest(goal(world["ada"], "admin.budget"), world["lead"], level="demonstrated", note="Seen.")
    mine = PARTS["learning"].collect(world["ada"])
    assert [(g["code"], g["level"]) for g in mine["goals.json"]] == [("admin.budget", "demonstrated"),
                                                                    ("delivery.time", None)]
    assert mine["attestations_written.json"] == []
    written = PARTS["learning"].collect(world["lead"])["attestations_written.json"]
    assert [(row["code"], row["note"]) for row in written] == [("admin.budget", "Seen.")]
