"""Milestone reminders and the weekly lead summary (scheduled jobs)."""
from datetime import date, timedelta

from sqlalchemy import select

from accounts.models import Notification
from core.extensions import db
from core.schedule import PERIODIC
from projects import tasks
from projects.models import Milestone
from tests.factories import add_member, make_application, make_chapter, make_project, make_user

TODAY = date(2030, 3, 10)


def notes(kind):
    return db.session.execute(select(Notification.user_id, Notification.params).where(Notification.kind == kind)
                              .order_by(Notification.user_id)).all()


def test_reminders_go_to_the_team_and_the_leads_once_a_day(app):
    lead, member = make_user(), make_user()
    chapter = make_chapter(lead)
    co_lead = add_member(chapter, role="co_lead")
    project = make_project(chapter, status="active", team=(member,), milestones=4)
    soon, late, waiting, far = db.session.scalars(select(Milestone).order_by(Milestone.position)).all()
    soon.due_date = TODAY + timedelta(days=3)
    late.due_date, late.status = TODAY - timedelta(days=1), "changes_requested"
    waiting.due_date, waiting.status = TODAY - timedelta(days=5), "submitted"  # waiting for review: not late
    far.due_date = TODAY + timedelta(days=20)
    db.session.commit()

    assert tasks.send_milestone_reminders(TODAY) == 2
    db.session.commit()
    due_soon, overdue = notes("milestone_due_soon"), notes("milestone_overdue")
    assert sorted(user for user, _ in due_soon) == sorted([lead.id, co_lead.id, member.id])
    assert {params["milestone"] for _, params in overdue} == {late.title}
    assert tasks.send_milestone_reminders(TODAY) == 0  # once a day at most
    db.session.commit()
    assert len(notes("milestone_overdue")) == 3
    assert tasks.send_milestone_reminders(TODAY + timedelta(days=1)) == 1  # still late the next day
    assert project.status == "active"


def test_no_reminders_outside_active_projects(app):
    project = make_project(make_chapter(make_user()), status="recruiting")
    db.session.execute(db.update(Milestone).values(due_date=TODAY - timedelta(days=2)))
    db.session.commit()
    assert tasks.send_milestone_reminders(TODAY) == 0 and project.status == "recruiting"


def test_weekly_summary_tells_each_lead_what_waits_once_a_week(app):
    lead = make_user()
    chapter = make_chapter(lead)
    quiet_lead = make_user()
    make_chapter(quiet_lead)
    recruiting = make_project(chapter, status="recruiting")
    make_application(recruiting)
    make_application(recruiting)
    active = make_project(chapter, status="active", milestones=2)
    first, second = db.session.scalars(select(Milestone).where(Milestone.project_id == active.id)
                                       .order_by(Milestone.position)).all()
    first.status = "submitted"
    second.due_date = date.today() - timedelta(days=2)
    db.session.commit()

    assert tasks.send_weekly_lead_summaries() == 1
    db.session.commit()
    [(user_id, params)] = notes("weekly_lead_summary")
    assert user_id == lead.id and (params["applications"], params["reviews"], params["overdue"]) == (2, 1, 1)
    assert tasks.send_weekly_lead_summaries() == 0


def test_the_scheduler_knows_both_jobs():
    assert PERIODIC["projects.tasks.send_milestone_reminders"].cron == "0 8 * * *"
    assert PERIODIC["projects.tasks.send_weekly_lead_summaries"].cron == "0 8 * * 1"
