from sqlalchemy import func, select

from accounts.models import User
from chapters.models import Chapter
from core.extensions import db
from tests.factories import make_user


def test_create_admin_creates_an_account(runner):
    result = runner.invoke(args=["create-admin", "Boss@Example.org", "--password", "a strong password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.is_admin) == ("boss@example.org", True)


def test_create_admin_promotes_an_existing_member(runner):
    user = make_user("ada")
    result = runner.invoke(args=["create-admin", "ADA@example.org"])
    assert result.exit_code == 0 and "Promoted" in result.output
    db.session.refresh(user)
    assert user.is_admin


def test_create_admin_asks_for_a_password_when_creating(runner):
    result = runner.invoke(args=["create-admin", "new@example.org"], input="pass phrase 1\npass phrase 1\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.is_admin).where(User.email == "new@example.org"))
    assert db.session.scalar(select(User.email_verified_at).where(User.email == "new@example.org")) is not None


def test_seed_demo_fills_an_empty_database_once(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.org" in first.output and "demo-password-1" in first.output
    statuses = set(db.session.scalars(select(Chapter.status)))
    assert statuses == {"pending", "active", "archived"}
    countries = set(db.session.scalars(select(Chapter.country)))
    assert len(countries) >= 4
    from projects.models import PROJECT_STATES, Application, Milestone, Project, TeamMember

    assert set(db.session.scalars(select(Project.status))) == set(PROJECT_STATES)
    assert set(db.session.scalars(select(Milestone.status))) == {"planned", "submitted", "accepted",
                                                                 "changes_requested"}
    assert set(db.session.scalars(select(Application.status))) == {"pending", "accepted", "declined", "withdrawn"}
    assert db.session.scalar(select(func.count()).select_from(TeamMember)) >= 5
    users = db.session.scalar(select(func.count()).select_from(User))
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email_verified_at.is_(None))) == 0
    second = runner.invoke(args=["seed-demo"])
    assert "already holds data" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users
