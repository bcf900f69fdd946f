"""The learner's view (issue 21 item 7): the competency profile on portfolios (chart and table, only what is public
to visitors), "your next step" on the member's own portfolio, and chapter health for the chapter's leads."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit import utcnow
from core.authz import can
from core.extensions import db
from learning import chart, health_queries
from learning.models import GoalAttestation, LearningGoal, Reflection, TimeEntry
from learning.profile import Evidence, GoalRecord, build_profile, median_duration
from projects.models import Milestone, Review, Submission, TeamMember
from tests.conftest import count_queries, over_budget
from tests.factories import (add_member, issue_credentials, make_admin, make_application, make_chapter,
                             make_delivered_project, make_project, make_user)

PRIVATE = "A private thought nobody else may read."


def place(project, user) -> TeamMember:
    return db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                                      TeamMember.user_id == user.id))


def goal(project, user, code, level=None, attester=None) -> LearningGoal:
    found = LearningGoal(team_member_id=place(project, user).id, project_id=project.id, code=code)
    db.session.add(found)
    db.session.flush()
    if level:
        db.session.add(GoalAttestation(goal_id=found.id, level=level, note="Seen in the work.",
                                       attested_by_id=getattr(attester, "id", None)))
    return found


def milestones(project) -> list[Milestone]:
    return db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                              .order_by(Milestone.position)).all()


def hours(project, user, minutes):
    first = milestones(project)[0]
    db.session.add(TimeEntry(user_id=user.id, project_id=project.id, milestone_id=first.id,
                             day=utcnow().date(), minutes=minutes, note="Work"))


def deliverable(milestone, author, reviewer, accepted=True, reflection=None, public=False):
    submission = Submission(milestone_id=milestone.id, author_id=author.id, note="Here", link="https://example.org")
    db.session.add(submission)
    db.session.flush()
    db.session.add(Review(milestone_id=milestone.id, submission_id=submission.id, reviewer_id=reviewer.id,
                          decision="accepted" if accepted else "changes_requested"))
    if reflection:
        db.session.add(Reflection(submission_id=submission.id, project_id=milestone.project_id, author_id=author.id,
                                  did=reflection, learned=reflection, differently=reflection, public=public))
    return submission


@pytest.fixture
def world(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon")
    member, mate = make_user("mia", name="Mia Learner"), make_user("mate")
    delivered = make_delivered_project(chapter, title="Food bank scheduler", team=(member, mate),
                                       competencies=("sales.discovery", "scoping.estimating"))
    goal(delivered, member, "sales.discovery", "demonstrated", lead)
    goal(delivered, member, "scoping.estimating", "practised", lead)
    hours(delivered, member, 90)
    hours(delivered, member, 30)
    hours(delivered, mate, 600)  # someone else's hours never count
    first, second = milestones(delivered)
    deliverable(first, member, lead, reflection="What I learned in public on the interviews.", public=True)
    deliverable(second, member, lead, reflection=PRIVATE)
    revoked = make_delivered_project(chapter, title="Revoked newsletter", team=(member,),
                                     competencies=("brand.content",))
    goal(revoked, member, "brand.content", "demonstrated", lead)
    running = make_project(chapter, status="active", title="Running clinic", team=(member,),
                           competencies=("delivery.time",))
    goal(running, member, "delivery.time")
    hours(running, member, 60)
    recruiting = make_project(chapter, title="Open water map", competencies=("relations.feedback", "sales.discovery"))
    applied = make_project(chapter, title="Applied already", competencies=("relations.feedback",))
    make_application(applied, member)
    db.session.commit()
    credential = next(c for c in issue_credentials(revoked) if c.recipient_id == member.id)
    credential.revoked_at, credential.revocation_reason = utcnow(), "Issued by mistake."
    db.session.commit()
    return {"lead": lead, "chapter": chapter, "member": member, "mate": mate, "delivered": delivered,
            "running": running, "recruiting": recruiting, "applied": applied}


# ---- the portfolio ----

def profile_part(body: str) -> str:
    """The competency profile and the next step (the portfolio's project list names every project anyway)."""
    start = body.find('<section class="mb-4" aria-labelledby="competency-profile-heading">')
    start = start if start >= 0 else body.find('<section class="mb-4" aria-labelledby="next-step-heading">')
    if start < 0:
        return ""
    return body[start:body.index('aria-labelledby="profile-projects-heading"')]


def test_visitor_sees_the_public_profile_only(client, world):
    body = profile_part(client.get("/u/mia").get_data(as_text=True))
    assert 'role="img"' in body and 'aria-labelledby="competency-chart-title competency-chart-desc"' in body
    assert "Discovery conversations" in body and "Estimating effort" in body
    assert "Food bank scheduler</a>: Demonstrated" in body and "Food bank scheduler</a>: Practised" in body
    assert "2.00 h" in body  # 90 + 30 minutes, the member's own hours on the delivered project
    assert "What I learned in public" not in body  # the reflection is linked, not copied
    assert "Reflection on Milestone 1" in body and "Deliverable accepted: Milestone 2" in body
    assert "Reflection on Milestone 2" not in body and PRIVATE not in body  # private reflections never appear
    assert "Running clinic" not in body  # not delivered: the credential has not published it
    assert "Revoked newsletter" not in body  # the member's credential for it was revoked
    assert "next-step-heading" not in body


def test_member_sees_their_running_goals_and_their_next_step(client, auth, world):
    auth.login_as(world["member"])
    body = client.get("/u/mia").get_data(as_text=True)
    assert "Running clinic</a>: Not attested yet" in body and "Revoked newsletter" in body
    assert 'data-level="pending"' in body
    assert "Your next step" in body and "Open water map" in body
    section = body[body.index("next-step-heading"):]
    assert "Feedback" in section or "relations.feedback" in section
    assert "/learning/sales.discovery" not in section  # demonstrated already: not a next step
    assert "Applied already" not in section  # applied to


def test_other_members_see_neither_private_goals_nor_the_next_step(client, auth, world):
    auth.login_as(world["mate"])
    body = profile_part(client.get("/u/mia").get_data(as_text=True))
    assert "Discovery conversations" in body
    assert "Running clinic" not in body and "next-step-heading" not in body


def test_an_admin_sees_every_goal(client, auth, world):
    auth.login_as(make_admin())
    body = client.get("/u/mia").get_data(as_text=True)
    assert "Running clinic" in body and "Revoked newsletter" in body and "next-step-heading" not in body


def test_a_member_who_left_before_delivery_does_not_show_it_to_visitors(client, world):
    place(world["delivered"], world["member"]).left_at = utcnow()
    db.session.commit()
    assert "Food bank scheduler" not in profile_part(client.get("/u/mia").get_data(as_text=True))


def test_a_member_without_goals_has_no_profile_section(client, world):
    body = client.get("/u/mate").get_data(as_text=True)
    assert "competency-chart" not in body and "competency-profile-heading" not in body


def test_the_profile_reads_in_french(client, world):
    body = profile_part(client.get("/u/mia", headers={"Accept-Language": "fr"}).get_data(as_text=True))
    assert "Compétences entrepreneuriales" in body and "Profil de compétences de Mia Learner" in body
    assert "Food bank scheduler</a>: Démontrée" in body and "Heures par projet" in body
    assert "Réflexion sur « Milestone 1 »" in body


# ---- pure parts: the chart, the profile, the median ----

LABELS = {"demonstrated": "Demonstrated", "practised": "Practised", "not_shown": "Not shown", None: "Pending"}


def test_chart_escapes_every_text_and_names_itself():
    svg = str(chart.render([("Area <b>", [chart.Bar('Pricing "<script>alert(1)</script>', "practised")])],
                           chart_id="c1", title="Profile of <Mia>", description="One & only",
                           level_labels=LABELS))
    assert "<script>" not in svg and "<b>" not in svg and "<Mia>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;Mia&gt;" in svg and "One &amp; only" in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Profile of &lt;Mia&gt;</title>' in svg and '<desc id="c1-desc">' in svg


def test_chart_bars_grow_with_the_level():
    levels = ["demonstrated", "practised", "not_shown", None]
    svg = str(chart.render([("Area", [chart.Bar(level or "none", level) for level in levels])],
                           chart_id="c", title="t", description="d", level_labels=LABELS))
    widths = [chart.bar_length(level) for level in levels]
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == 4 and widths[0] == chart.BAR_MAX
    for level, width in zip(levels, widths):
        assert f'data-level="{level or "pending"}"' in svg and f'width="{width}"' in svg
    assert ">Not shown</text>" in svg and ">Pending</text>" in svg and 'stroke-dasharray' in svg


def record(code, project_id, level, minutes):
    return GoalRecord(user_id=1, code=code, project_id=project_id, project_title=f"P{project_id}",
                      project_status="delivered", current=True, level=level, minutes=minutes, revoked=False)


def test_hours_count_for_each_competency_of_their_project():
    profile = build_profile(
        [record("scoping.pricing", 1, "practised", 120), record("sales.discovery", 1, "demonstrated", 120),
         record("scoping.pricing", 2, "demonstrated", 60)],
        [Evidence("reflection", 7, 2, 3, "Launch"), Evidence("reflection", 7, 2, 3, "Launch")])
    lines = {line.code: line for line in profile.competencies}
    assert [line.code for line in profile.competencies] == ["sales.discovery", "scoping.pricing"]  # framework order
    assert lines["scoping.pricing"].minutes == 180 and str(lines["scoping.pricing"].hours) == "3.00"
    assert lines["sales.discovery"].minutes == 120
    assert lines["scoping.pricing"].best == "demonstrated" and lines["sales.discovery"].best == "demonstrated"
    assert [e.id for e in lines["scoping.pricing"].evidence] == [7] and lines["sales.discovery"].evidence == []
    assert [(p.project_id, p.minutes, p.codes) for p in profile.projects] == [
        (1, 120, ["sales.discovery", "scoping.pricing"]), (2, 60, ["scoping.pricing"])]
    assert profile.shown == {"scoping.pricing", "sales.discovery"}


def test_best_level_of_unattested_goals_is_none():
    profile = build_profile([record("scoping.pricing", 1, None, 0), record("scoping.pricing", 2, "not_shown", 0)], [])
    assert profile.competencies[0].best == "not_shown"
    assert build_profile([record("scoping.pricing", 1, None, 0)], []).competencies[0].best is None


def test_median_duration():
    t = utcnow()
    assert median_duration([(t, t + timedelta(hours=h)) for h in (2, 10, 4)]) == timedelta(hours=4)
    assert median_duration([(t, t + timedelta(hours=h)) for h in (1, 3)]) == timedelta(hours=2)
    assert median_duration([(t, None), (t, t - timedelta(hours=1))]) is None
    assert median_duration([]) is None


def test_record_rule():
    visitor = type("Visitor", (), {"is_authenticated": False, "is_suspended": False})()
    public = record("scoping.pricing", 1, "practised", 0)
    assert can(visitor, "learning.view_record", public)
    for hidden in (GoalRecord(**{**public.__dict__, "project_status": "active"}),
                   GoalRecord(**{**public.__dict__, "current": False}),
                   GoalRecord(**{**public.__dict__, "revoked": True})):
        assert not can(visitor, "learning.view_record", hidden)


# ---- chapter health ----

def health_world():
    lead = make_user("healthlead")
    chapter = make_chapter(lead, name="Health")
    other = make_chapter(make_user(), name="Other")
    now = utcnow()
    project = make_project(chapter, status="active", title="Measured", competencies=("sales.discovery",
                                                                                     "scoping.pricing"))
    for hours_, status in ((2, "accepted"), (10, "declined"), (4, "accepted")):
        application = make_application(project, make_user(), status=status, commit=False)
        application.created_at, application.decided_at = now - timedelta(days=20), now - timedelta(days=20,
                                                                                                    hours=-hours_)
    old = make_application(project, make_user(), status="accepted", commit=False)
    old.created_at, old.decided_at = now - timedelta(days=500), now - timedelta(days=400)  # outside the window
    make_application(project, make_user(), status="withdrawn", commit=False)
    elsewhere = make_application(make_project(other), make_user(), status="accepted", commit=False)
    elsewhere.created_at, elsewhere.decided_at = now - timedelta(days=3), now  # another chapter's
    first = milestones(project)[0]
    for days in (1, 3):
        submission = Submission(milestone_id=first.id, author_id=lead.id, note="x", created_at=now - timedelta(days=10))
        db.session.add(submission)
        db.session.flush()
        db.session.add(Review(milestone_id=first.id, submission_id=submission.id, reviewer_id=lead.id,
                              decision="changes_requested", created_at=now - timedelta(days=10 - days)))
    for status, days in (("delivered", 10), ("delivered", 100), ("delivered", 300), ("cancelled", 50),
                         ("cancelled", 400)):
        ended = make_project(chapter, status=status, commit=False)
        ended.status_changed_at = now - timedelta(days=days)
    team = [make_user() for _ in range(4)]
    for user in team:
        db.session.add(TeamMember(project_id=project.id, user_id=user.id))
    db.session.flush()
    goal(project, team[0], "sales.discovery", "demonstrated", lead)
    goal(project, team[1], "sales.discovery", "demonstrated", lead)
    goal(project, team[2], "sales.discovery", "practised", lead)
    goal(project, team[3], "scoping.pricing")
    db.session.commit()
    return chapter, lead


def test_chapter_health_aggregates_known_data(app):
    chapter, _lead = health_world()
    health = health_queries.chapter_health(chapter)
    assert health.reply_median == timedelta(hours=4) and health.replies == 3
    assert health.review_median == timedelta(days=2) and health.reviews == 2
    assert (health.delivered, health.cancelled) == (3, 1) and health.delivery_rate == 0.75
    assert health.levels == {"sales.discovery": {"demonstrated": 2, "practised": 1}, "scoping.pricing": {None: 1}}


def test_chapter_health_without_data_says_so(client, auth, app):
    lead = make_user()
    chapter = make_chapter(lead)
    health = health_queries.chapter_health(chapter)
    assert health.reply_median is None and health.delivery_rate is None and health.levels == {}
    auth.login_as(lead)
    body = client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
    assert "Chapter health" in body and "no data yet" in body


@pytest.mark.parametrize("role, sees", [("lead", True), ("co_lead", True), ("admin", True), ("member", False),
                                        ("other_lead", False), ("visitor", False)])
def test_chapter_health_is_for_leads_and_admins(client, auth, app, role, sees):
    chapter, lead = health_world()
    user = {"lead": lead, "co_lead": add_member(chapter, make_user(), role="co_lead"), "admin": make_admin(),
            "member": add_member(chapter, make_user()), "other_lead": make_chapter().proposed_by_id}.get(role)
    if isinstance(user, int):
        user = db.session.get(type(lead), user)
    if user is not None:
        auth.login_as(user)
    body = client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
    assert ("Chapter health" in body) == sees
    if sees:
        assert "4.0 hours" in body and "2.0 days" in body and "75 %" in body
        assert "3 delivered, 1 cancelled" in body


# ---- statements ----

def grow(world, size):
    """`size` more delivered projects with goals, hours and evidence for the member, and recruiting projects."""
    lead, chapter, member = world["lead"], world["chapter"], world["member"]
    codes = ("sales.discovery", "scoping.estimating", "delivery.planning")
    for n in range(size):
        project = make_delivered_project(chapter, title=f"Grown {size}-{n}", team=(member,), competencies=codes)
        for k, code in enumerate(codes):
            goal(project, member, code, ("demonstrated", "practised", "not_shown")[(n + k) % 3], lead)
        hours(project, member, 60 + n)
        first = milestones(project)[0]
        deliverable(first, member, lead, reflection=f"Public reflection number {n} on it.", public=True)
        make_project(chapter, title=f"Recruiting {size}-{n}", competencies=("relations.feedback",), commit=False)
        application = make_application(make_project(chapter, status="active", commit=False), make_user(commit=False),
                                       status="accepted", commit=False)
        application.decided_at = utcnow()
    db.session.commit()


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "member", "lead"])
def test_pages_run_a_fixed_number_of_statements(app, client, auth, world, viewer):
    app.config["PAGE_CACHE"] = False
    if viewer != "visitor":
        auth.login_as(world[viewer])
    counts = {}
    for size in (3, 40):
        grow(world, size)
        counts[size] = {"portfolio": statements(client, "/u/mia"),
                        "chapter": statements(client, f"/chapters/{world['chapter'].slug}")}
    print(viewer, counts)
    assert counts[3] == counts[40], counts
    assert over_budget({f"{viewer} {name}": n for name, n in counts[40].items()}) == {}, counts[40]
