"""Read-side queries for event pages; each runs a fixed number of SQL statements whatever the data size."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from accounts.models import User
from core.audit import utcnow
from core.extensions import db
from events.models import Event, MemberCalendar, Rsvp


def chapter_events(chapter, *, past: bool, page: int = 1, per_page: int = 10):
    """Upcoming events (soonest first, cancelled ones included and marked) or past ones (latest first)."""
    now = utcnow()
    query = select(Event).where(Event.chapter_id == chapter.id)
    query = (query.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc()) if past
             else query.where(Event.ends_at > now).order_by(Event.starts_at, Event.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=50)


def upcoming(*, chapter=None, limit: int = 5) -> list[Event]:
    """Scheduled events that have not ended, soonest first (of one chapter, or of every active chapter)."""
    from chapters.models import Chapter

    query = (select(Event).join(Event.chapter).options(contains_eager(Event.chapter))
             .where(Event.status == "scheduled", Event.ends_at > utcnow()))
    query = query.where(Event.chapter_id == chapter.id) if chapter is not None else query.where(
        Chapter.status == "active")
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id).limit(limit)))


def my_upcoming(user, limit: int = 10) -> list[tuple[Event, str]]:
    """The events the member is going to or waits for, soonest first, with their answer."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = db.session.execute(
        select(Event, Rsvp.status).join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.user_id == user.id, Rsvp.status.in_(("going", "waiting")), Event.status == "scheduled",
               Event.ends_at > utcnow()).order_by(Event.starts_at, Event.id).limit(limit))
    return [(event, status) for event, status in rows]


def viewer_rsvp(event: Event, user) -> Rsvp | None:
    """The viewer's answer, and whether they are going, remembered on the event for the link rule; in the same
    statement, the presenting project a demo day invited them for (`event.viewer_invited_for`, or None)."""
    rsvp = invited_for = None
    if getattr(user, "is_authenticated", False):
        from sqlalchemy import and_

        from events.models import EventInvitation

        rsvp, invited_for = db.session.execute(
            select(Rsvp, EventInvitation.project_id).select_from(Event)
            .outerjoin(Rsvp, and_(Rsvp.event_id == Event.id, Rsvp.user_id == user.id))
            .outerjoin(EventInvitation, and_(EventInvitation.event_id == Event.id,
                                             EventInvitation.user_id == user.id))
            .where(Event.id == event.id)).one()
    event.viewer_going = rsvp is not None and rsvp.status == "going"
    event.viewer_invited_for = invited_for
    return rsvp


def waiting_position(event: Event, rsvp: Rsvp | None) -> int | None:
    if rsvp is None or rsvp.status != "waiting":
        return None
    from sqlalchemy import func, or_, and_
    ahead = db.session.scalar(select(func.count()).select_from(Rsvp).where(
        Rsvp.event_id == event.id, Rsvp.status == "waiting",
        or_(Rsvp.waiting_since < rsvp.waiting_since, and_(Rsvp.waiting_since == rsvp.waiting_since, Rsvp.id < rsvp.id))))
    return ahead + 1


def answers(event: Event, limit: int = 500) -> list[Rsvp]:
    """Going then waiting (in order), for the organisers (one query)."""
    return list(db.session.scalars(
        select(Rsvp).join(Rsvp.user).options(contains_eager(Rsvp.user))
        .where(Rsvp.event_id == event.id, Rsvp.status.in_(("going", "waiting")))
        .order_by(Rsvp.status, Rsvp.waiting_since, User.name, Rsvp.id).limit(limit)))


def viewer_timezone(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(MemberCalendar.timezone).where(MemberCalendar.user_id == user.id))


def going_events(user, limit: int = 500) -> list[Event]:
    """For the personal feed: the events the member is going to, recent and upcoming."""
    return list(db.session.scalars(
        select(Event).join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.user_id == user.id, Rsvp.status == "going")
        .order_by(Event.starts_at.desc()).limit(limit)))


def attended(user, limit: int = 50) -> list[tuple[Event, list[str]]]:
    """Events the member attended, latest first, each with the competency codes it covered (one query)."""
    from events.models import EventCompetency

    latest = (select(Event.id).join(Rsvp, Rsvp.event_id == Event.id)
              .where(Rsvp.user_id == user.id, Rsvp.attended.is_(True), Event.status == "scheduled")
              .order_by(Event.starts_at.desc()).limit(limit).scalar_subquery())
    rows = db.session.execute(
        select(Event, EventCompetency.code).outerjoin(EventCompetency, EventCompetency.event_id == Event.id)
        .where(Event.id.in_(latest)).order_by(Event.starts_at.desc(), Event.id, EventCompetency.code))
    events: dict[int, tuple[Event, list[str]]] = {}
    for event, code in rows:
        codes = events.setdefault(event.id, (event, []))[1]
        if code:
            codes.append(code)
    return list(events.values())


def competency_labels(event: Event) -> list[str]:
    """The names of the competencies a workshop covers, in the reader's language (no query)."""
    from core import vocabularies

    labels = vocabularies.labels("competency") if event.competencies else {}
    return [labels.get(code, code) for code in event.competency_codes]


def presentable_projects(chapter) -> list[tuple[int, str]]:
    """(id, title) of the chapter's projects that may present at a demo day, for the event form."""
    from projects.models import Project
    from events.models import PRESENTING_STATES

    return list(db.session.execute(select(Project.id, Project.title).where(
        Project.chapter_id == chapter.id, Project.status.in_(PRESENTING_STATES)).order_by(Project.title).limit(200)))


def presenting(event: Event) -> list[tuple]:
    """(project, how many people its presentation invited) for the projects presenting at a demo day (one query,
    whatever the kind: the page costs the same for every event)."""
    from sqlalchemy import func

    from projects.models import Project
    from events.models import EventInvitation, EventProject

    invited = (select(func.count()).select_from(EventInvitation)
               .where(EventInvitation.event_id == event.id, EventInvitation.project_id == Project.id)
               .correlate(Project).scalar_subquery())
    return [(project, count) for project, count in db.session.execute(
        select(Project, invited).join(EventProject, EventProject.project_id == Project.id)
        .where(EventProject.event_id == event.id).order_by(Project.title))]
