"""/me recommends recruiting projects that practise the member's open learning goals, then competencies they
have not practised yet."""
import pytest
from sqlalchemy import select

from core.audit import utcnow
from core.extensions import db
from projects.models import TeamMember

from learning import queries
from tests.factories import make_application, make_chapter, make_delivered_project, make_project, make_user


@pytest.fixture
def world(app):
    lead, member = make_user("lead"), make_user("member")
    chapter = make_chapter(lead, name="Lyon")
    # The member practised the budget and pitching on a delivered project.
    make_delivered_project(chapter, team=(member,), competencies=("admin.budget", "sales.pitching"))
    return {"lead": lead, "member": member, "chapter": chapter}


def test_projects_practising_new_competencies_are_recommended_with_what_is_new(client, auth, world):
    chapter = world["chapter"]
    mixed = make_project(chapter, title="Mixed project", competencies=("admin.budget", "delivery.time"))
    make_project(chapter, title="Nothing new", competencies=("admin.budget", "sales.pitching"))
    make_project(chapter, title="No competencies")
    make_project(chapter, title="Active elsewhere", status="active", competencies=("brand.content",))
    make_project(make_chapter(make_user(), status="pending"), title="Pending chapter", competencies=("brand.content",))
    applied = make_project(chapter, title="Applied already", competencies=("brand.content",))
    make_application(applied, world["member"])
    # Being on a team counts as practising its competencies (brand.network is no longer new).
    make_project(chapter, title="Joined already", competencies=("brand.network",), team=(world["member"],))
    make_project(chapter, title="Network project", status="recruiting", competencies=("brand.network",))
    # Removed from a team: its competencies were not practised, but the project is not recommended again.
    removed = make_project(chapter, title="Removed from it", competencies=("brand.positioning",),
                           team=(world["member"],))
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == removed.id))
    place.left_at, place.removal_reason = utcnow(), "Never came."
    db.session.commit()

    assert [(p.title, codes) for p, codes in queries.recommended_for(world["member"])] == [
        ("Mixed project", ["delivery.time"])]
    auth.login_as(world["member"])
    page = client.get("/me").get_data(as_text=True)
    assert "Practise new business skills" in page and f'href="/projects/{mixed.id}">Mixed project</a>' in page
    assert 'href="/learning/delivery.time">Managing your time</a>' in page
    section = page.split('id="practise-heading"')[1].split("</section>")[0]
    assert "Mixed project" in section and "Nothing new" not in section and "Applied already" not in section
    assert "Network project" not in section


def test_newest_projects_come_first_up_to_five(world):
    for n in range(7):
        make_project(world["chapter"], title=f"Project {n}", competencies=("brand.content",))
    assert [p.title for p, _ in queries.recommended_for(world["member"])] == [f"Project {n}" for n in (6, 5, 4, 3, 2)]


def test_the_section_is_hidden_when_there_is_nothing_to_recommend(client, auth, world):
    make_project(world["chapter"], title="Nothing new", competencies=("admin.budget",))
    auth.login_as(world["member"])
    assert "Practise new business skills" not in client.get("/me").get_data(as_text=True)


def test_a_member_removed_from_a_team_did_not_practise_its_competencies(world):
    from core.extensions import db
    from projects.models import TeamMember

    other = make_user()
    project = make_delivered_project(world["chapter"], team=(other,), competencies=("brand.network",))
    place = db.session.scalar(db.select(TeamMember).where(TeamMember.project_id == project.id))
    place.status, place.removal_reason = "removed", "Never came."
    db.session.commit()
    assert "brand.network" not in queries.practised_codes(other)
    assert queries.practised_codes(world["member"]) == {"admin.budget", "sales.pitching"}
    assert "brand.network" in queries.wanted_codes(other)


def test_open_learning_goals_come_first(world):
    """A goal the member set and has not demonstrated yet (attested practised, or not attested) is wanted even
    where they practised it, and projects practising it are recommended before newer ones; a demonstrated goal
    is not wanted any more."""
    from learning.models import GoalAttestation, LearningGoal

    member = world["member"]
    delivered = db.session.scalar(select(TeamMember).where(TeamMember.user_id == member.id))
    for code, level in (("admin.budget", "practised"), ("sales.pitching", "demonstrated")):
        goal = LearningGoal(team_member_id=delivered.id, project_id=delivered.project_id, code=code)
        db.session.add(goal)
        db.session.flush()
        db.session.add(GoalAttestation(goal_id=goal.id, level=level, note="Seen.", attested_by_id=world["lead"].id))
    db.session.commit()
    assert queries.wanted_codes(member)[0] == "admin.budget"
    assert "sales.pitching" not in queries.wanted_codes(member)
    make_project(world["chapter"], title="Budget project", competencies=("admin.budget",))
    make_project(world["chapter"], title="Newer project", competencies=("brand.content",))
    make_project(world["chapter"], title="Pitching project", competencies=("sales.pitching",))
    assert [(p.title, codes) for p, codes in queries.recommended_for(member)] == [
        ("Budget project", ["admin.budget"]), ("Newer project", ["brand.content"])]
