"""Scheduled project jobs: milestone reminders (daily) and the chapter leads' weekly summary.

Like every job they run through core.jobs and must not commit: the outbox commits
their writes together with marking the job done.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounts.models import Notification, User
from accounts.notifications import notify, register_kind
from chapters.models import LEAD_ROLES, Chapter, ChapterMembership
from core.audit import utcnow
from core.extensions import db
from core.schedule import periodic
from core.urls import path_for
from projects.models import Application, Milestone, MilestoneReminder, Project, TeamMember

DUE_SOON_DAYS = 3
OPEN_WORK = ("planned", "changes_requested")

register_kind("milestone_due_soon", _l("A milestone of your team is due in 3 days"),
              _l("“%(milestone)s” of “%(project)s” is due on %(due)s."))
register_kind("milestone_overdue", _l("A milestone of your team is overdue"),
              _l("“%(milestone)s” of “%(project)s” was due on %(due)s and is not delivered yet."))
register_kind("weekly_lead_summary", _l("Weekly summary for chapter leads"),
              _l("This week in %(chapter)s: %(applications)d new application(s), %(reviews)d deliverable(s) "
                 "waiting for review, %(overdue)d overdue milestone(s)."))


def _people_of(project_ids: set[int]) -> dict[int, list[User]]:
    """Current team members and chapter leads of each project (two queries)."""
    people: dict[int, dict[int, User]] = {project_id: {} for project_id in project_ids}
    team = db.session.execute(select(TeamMember.project_id, User).join(User, User.id == TeamMember.user_id)
                              .where(TeamMember.project_id.in_(project_ids), TeamMember.left_at.is_(None)))
    leads = db.session.execute(
        select(Project.id, User).join(ChapterMembership, ChapterMembership.chapter_id == Project.chapter_id)
        .join(User, User.id == ChapterMembership.user_id)
        .where(Project.id.in_(project_ids), ChapterMembership.role.in_(LEAD_ROLES)))
    for project_id, user in [*team, *leads]:
        people[project_id][user.id] = user
    return {project_id: list(users.values()) for project_id, users in people.items()}


def send_milestone_reminders(today: date | None = None) -> int:
    """Remind the team and the leads of milestones due in 3 days and of overdue ones, once a day at most."""
    today = today or date.today()
    already = select(MilestoneReminder.milestone_id).where(MilestoneReminder.sent_on == today)
    due = list(db.session.execute(
        select(Milestone, Project).join(Project, Project.id == Milestone.project_id)
        .where(Project.status == "active", Milestone.status.in_(OPEN_WORK), Milestone.id.not_in(already),
               (Milestone.due_date == today + timedelta(days=DUE_SOON_DAYS)) | (Milestone.due_date < today))))
    if not due:
        return 0
    people = _people_of({project.id for _, project in due})
    for milestone, project in due:
        kind = "milestone_overdue" if milestone.due_date < today else "milestone_due_soon"
        db.session.add(MilestoneReminder(milestone_id=milestone.id, sent_on=today, kind=kind))
        notify(people[project.id], kind, milestone=milestone.title, project=project.title,
               due=milestone.due_date.isoformat(),
               url=path_for("projects.milestone", project_id=project.id, milestone_id=milestone.id))
    return len(due)


def _count_by_chapter(query) -> dict[int, int]:
    return dict(db.session.execute(query.group_by(Project.chapter_id)).all())


def send_weekly_lead_summaries(today: date | None = None) -> int:
    """Tell each chapter lead what waits for them: new applications, reviews, overdue milestones."""
    today = today or date.today()
    week_ago = utcnow() - timedelta(days=7)
    applications = _count_by_chapter(
        select(Project.chapter_id, func.count()).join(Application, Application.project_id == Project.id)
        .where(Application.status == "pending", Application.created_at >= week_ago))
    reviews = _count_by_chapter(select(Project.chapter_id, func.count()).join(Milestone).where(
        Milestone.status == "submitted"))
    overdue = _count_by_chapter(select(Project.chapter_id, func.count()).join(Milestone).where(
        Project.status == "active", Milestone.status.in_(OPEN_WORK), Milestone.due_date < today))
    chapters = set(applications) | set(reviews) | set(overdue)
    if not chapters:
        return 0
    recently_told = select(Notification.user_id).where(Notification.kind == "weekly_lead_summary",
                                                       Notification.created_at >= utcnow() - timedelta(days=6))
    leads = db.session.execute(
        select(ChapterMembership.chapter_id, User).join(User, User.id == ChapterMembership.user_id)
        .where(ChapterMembership.chapter_id.in_(chapters), ChapterMembership.role.in_(LEAD_ROLES),
                         User.id.not_in(recently_told))).all()
    names = dict(db.session.execute(select(Chapter.id, Chapter.name).where(Chapter.id.in_(chapters))).all())
    for chapter_id, lead in leads:
        notify([lead], "weekly_lead_summary", url=path_for("accounts.dashboard"), chapter=names[chapter_id],
               applications=applications.get(chapter_id, 0), reviews=reviews.get(chapter_id, 0),
               overdue=overdue.get(chapter_id, 0))
    return len(leads)


periodic("projects.tasks.send_milestone_reminders", cron="0 8 * * *")
periodic("projects.tasks.send_weekly_lead_summaries", cron="0 8 * * 1")
