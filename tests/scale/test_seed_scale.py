"""`flask seed-scale` at a small scale: the sizes asked for, and data consistent with the lifecycles."""
from sqlalchemy import func, select

from accounts.models import User
from chapters.models import Chapter, ChapterMembership
from core.extensions import db
from projects.models import PROJECT_STATES, Application, Milestone, Project, Review, Submission, TeamMember
from sponsors.models import SponsorOrganisation, Sponsorship
from tests.factories import make_user

ARGS = ["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "1200", "--milestones", "350",
        "--quiet"]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def seed(runner, *extra):
    result = runner.invoke(args=[*ARGS, *extra])
    assert result.exit_code == 0, result.output
    return result


def test_seed_scale_makes_the_sizes_asked_for(runner):
    seed(runner)
    assert count(User) == 100 and count(Chapter) == 1 and count(Project) == 100
    assert count(Milestone) == 350
    assert count(SponsorOrganisation) == 2 and count(Sponsorship) == 10
    # Applications: one per member and project at most, so a project never gets more than the members.
    assert 1000 <= count(Application) <= 1200
    assert set(db.session.scalars(select(Project.status).distinct())) == set(PROJECT_STATES)
    assert count(Submission) > 0 and count(Review) > 0


def test_seed_scale_data_follows_the_lifecycles(runner):
    seed(runner)
    current = (select(TeamMember.project_id, func.count().label("n")).where(TeamMember.left_at.is_(None))
               .group_by(TeamMember.project_id).subquery())
    accepted = (select(Application.project_id, func.count().label("n")).where(Application.status == "accepted")
                .group_by(Application.project_id).subquery())
    rows = db.session.execute(
        select(Project.status, Project.team_size, Project.team_min, Project.team_max,
               func.coalesce(current.c.n, 0), func.coalesce(accepted.c.n, 0))
        .outerjoin(current, current.c.project_id == Project.id)
        .outerjoin(accepted, accepted.c.project_id == Project.id)).all()
    for status, size, team_min, team_max, members, accepted_count in rows:
        assert size == members == accepted_count <= team_max
        if status in ("active", "delivered"):
            assert size >= team_min
    assert count(Milestone, Milestone.project.has(Project.status == "delivered"), Milestone.status != "accepted") == 0
    assert count(Milestone, Milestone.project.has(Project.status.in_(("draft", "recruiting"))),
                 Milestone.status != "planned") == 0
    assert count(Application, Application.project.has(Project.status == "draft")) == 0
    assert count(Application, Application.status == "pending",
                 Application.project.has(Project.status != "recruiting")) == 0
    assert count(Sponsorship, Sponsorship.status.in_(("offered", "requested")),
                 Sponsorship.project.has(Project.status.notin_(("recruiting", "active")))) == 0
    leads = count(ChapterMembership, ChapterMembership.role == "lead")
    assert leads == count(Chapter)


def test_seed_scale_refuses_a_database_that_holds_data_unless_forced(runner):
    make_user("someone")
    refused = runner.invoke(args=ARGS)
    assert refused.exit_code != 0 and "already holds data" in refused.output
    assert count(User) == 1
    seed(runner, "--force")
    assert count(User) == 100
    assert db.session.scalar(select(User.id).where(User.handle == "someone")) is None


def test_after_seed_scale_new_rows_get_fresh_ids(runner):
    seed(runner)
    user = make_user("newcomer")
    assert user.id == 101


def test_seed_scale_is_deterministic(runner):
    seed(runner)
    first = db.session.execute(select(Project.title, Project.status).order_by(Project.id)).all()
    seed(runner, "--force")
    assert db.session.execute(select(Project.title, Project.status).order_by(Project.id)).all() == first
