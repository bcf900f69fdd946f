"""Event jobs: the day-before reminder to the members going (in the app and by email, as each member chose for
this kind); a demo day's invitations to the presenting teams and their sponsors' reviewers; and, once a demo day
has taken place, "Presented at …" in each presenting project's activity feed. Like every job they take ids, run
through core.jobs, do not commit and are idempotent."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select, union

from accounts.models import User
from accounts.notifications import notify, register_kind
from core import audit
from core.audit import utcnow
from core.extensions import db
from core.schedule import periodic
from core.urls import path_for
from events import timezones
from events.lifecycle import presentations_due
from events.models import Event, EventInvitation, EventProject, Rsvp

INVITED = "event.invited"
register_kind(INVITED, _l("You are invited to a demo day where your project presents or one you sponsor"),
              _l("You are invited to the demo day “%(event)s”, %(starts)s, where “%(project)s” presents."))
MAX_RECORDED = 200  # demo days recorded per run of the scheduler

register_kind("event.reminder", _l("Reminder the day before an event you are going to"),
              _l("Tomorrow: “%(event)s”, %(starts)s."))


def send_event_reminders() -> int:
    """Remind the members going to each scheduled event that starts within the next 24 hours, once per event
    (a moved event is reminded again: editing clears reminded_at). Returns how many events were reminded."""
    now = utcnow()
    due = list(db.session.scalars(select(Event).where(
        Event.status == "scheduled", Event.reminded_at.is_(None), Event.starts_at > now,
        Event.starts_at <= now + timedelta(hours=24))))
    for event in due:
        people = db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id)
                                    .where(Rsvp.event_id == event.id, Rsvp.status == "going"))
        notify(people, "event.reminder", url=path_for("events.detail", event_id=event.id), event=event.title,
               starts=timezones.plain(event.starts, event.timezone))
        event.reminded_at = now
    return len(due)


periodic("events.tasks.send_event_reminders", cron="0 * * * *")  # hourly: "the day before" in every time zone


def invitees(event: Event) -> list[tuple[int, int, str]]:
    """(user id, project id, role) of everyone a demo day invites, in one statement: the current members of each
    presenting team ("team"), and the members of each presenting project's confirmed sponsors that are active
    ("sponsor"); suspended and deleted accounts, and the chapter's leads (who organise it), are left out. Someone
    with several reasons appears once per reason (the caller keeps the first, team before sponsor)."""
    from chapters.models import LEAD_ROLES, ChapterMembership
    from projects.models import TeamMember
    from sponsors.models import SponsorMember, SponsorOrganisation, Sponsorship

    presenting = select(EventProject.project_id).where(EventProject.event_id == event.id)
    team = (select(TeamMember.user_id.label("user_id"), TeamMember.project_id.label("project_id"),
                   literal("team").label("role"))
            .where(TeamMember.project_id.in_(presenting), TeamMember.left_at.is_(None)))
    sponsors = (select(SponsorMember.user_id.label("user_id"), Sponsorship.project_id.label("project_id"),
                       literal("sponsor").label("role"))
                .join(SponsorOrganisation, SponsorOrganisation.id == SponsorMember.organisation_id)
                .join(Sponsorship, Sponsorship.organisation_id == SponsorOrganisation.id)
                .where(Sponsorship.project_id.in_(presenting), Sponsorship.status == "confirmed",
                       SponsorOrganisation.status == "active"))
    both = union(team, sponsors).subquery()
    organisers = select(ChapterMembership.user_id).where(ChapterMembership.chapter_id == event.chapter_id,
                                                         ChapterMembership.role.in_(LEAD_ROLES))
    rows = db.session.execute(
        select(both.c.user_id, both.c.project_id, both.c.role).join(User, User.id == both.c.user_id)
        .where(User.suspended_at.is_(None), User.deleted_at.is_(None), both.c.user_id.notin_(organisers))
        .order_by(both.c.role.desc(), both.c.project_id, both.c.user_id))  # "team" before "sponsor"
    return [(row.user_id, row.project_id, row.role) for row in rows]


def invite_to_demo_day(event_id: int) -> int:
    """Invite to a scheduled demo day everyone of its presenting teams and their sponsors who is not invited yet
    (in the app and by email, as each chose for this kind); returns how many were invited. Editing the demo day
    runs this again: only people new to it (a project added, a member who joined a team) are invited."""
    from projects.models import Project

    event = db.session.get(Event, event_id)
    if event is None or not event.is_open_demo_day:
        return 0
    already = set(db.session.scalars(select(EventInvitation.user_id).where(EventInvitation.event_id == event.id)))
    by_project: dict[int, list[int]] = {}
    for user_id, project_id, role in invitees(event):
        if user_id not in already:
            already.add(user_id)
            db.session.add(EventInvitation(event_id=event.id, user_id=user_id, project_id=project_id, role=role))
            by_project.setdefault(project_id, []).append(user_id)
    if not by_project:
        return 0
    titles = dict(db.session.execute(select(Project.id, Project.title).where(Project.id.in_(list(by_project)))).all())
    users = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_([uid for ids in by_project.values() for uid in ids])))}
    url = path_for("events.detail", event_id=event.id)
    starts = timezones.plain(event.starts, event.timezone)
    for project_id, user_ids in by_project.items():
        notify([users[uid] for uid in user_ids], INVITED, url=url, event=event.title, starts=starts,
               project=titles[project_id])
    count = sum(len(ids) for ids in by_project.values())
    audit.record(None, "event", event.id, "invite", reason=str(count))
    return count


def record_presentations(event_id: int | None = None) -> int:
    """Once a demo day has taken place, each presenting project's activity feed records "Presented at …", once
    (rule: events.lifecycle.presentations_due). With an id (the organiser marked attendance after the end) that
    demo day only; without (the scheduler, hourly) every demo day due. Returns how many demo days were recorded."""
    from projects import activity
    from projects.models import Project

    query = select(Event).where(Event.kind == "demo_day", Event.status == "scheduled",
                                Event.ends_at <= utcnow(), Event.presentations_recorded_at.is_(None))
    if event_id is not None:
        query = query.where(Event.id == event_id)
    due = [event for event in db.session.scalars(query.order_by(Event.ends_at, Event.id).limit(MAX_RECORDED))
           if presentations_due(event)]
    for event in due:
        projects = db.session.scalars(select(Project).join(EventProject, EventProject.project_id == Project.id)
                                      .where(EventProject.event_id == event.id).order_by(Project.id))
        for project in projects:
            activity.record(project, None, "presented", event=event.title, event_id=event.id)
        event.presentations_recorded_at = utcnow()
        audit.record(None, "event", event.id, "presented")
    return len(due)


periodic("events.tasks.record_presentations", cron="20 * * * *")  # hourly: a demo day's feeds the hour it ends
