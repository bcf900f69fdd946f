"""What events hold about a member: for their data export, and erased when they delete their account."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from core.extensions import db
from core.personal_data import Erasure, eraser, part
from events.models import Event, EventInvitation, MemberCalendar, Rsvp


@part("events", _l("answers.json: your answers to chapter events (going, waiting, not going) and whether you "
                   "attended; invitations.json: the demo days you were invited to and why; calendar.json: your "
                   "time zone for event pages (your feed's secret is not exported)."))
def events(user) -> dict:
    answers = db.session.execute(
        select(Event.title.label("event"), Event.starts_at, Rsvp.status, Rsvp.attended, Rsvp.created_at,
               Rsvp.updated_at).join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.user_id == user.id).order_by(Event.starts_at))
    invitations = db.session.execute(
        select(Event.title.label("event"), Event.starts_at, EventInvitation.role, EventInvitation.invited_at)
        .join(Event, Event.id == EventInvitation.event_id).where(EventInvitation.user_id == user.id)
        .order_by(Event.starts_at))
    calendar = db.session.get(MemberCalendar, user.id)
    return {"answers.json": [row._asdict() for row in answers],
            "invitations.json": [row._asdict() for row in invitations],
            "calendar.json": {"timezone": calendar.timezone if calendar else None,
                              "personal_feed": bool(calendar and calendar.token)}}


@eraser("events")
def erase_answers(erasure: Erasure) -> None:
    """Answers and calendar settings go; places the member held are given back (no promotion: their absence
    is not the waiting list's news). The events they created stay, with created_by cleared by the database."""
    from sqlalchemy import update

    going = select(Rsvp.event_id).where(Rsvp.user_id == erasure.user_id, Rsvp.status == "going")
    db.session.execute(update(Event).where(Event.id.in_(going), Event.going_count > 0)
                       .values(going_count=Event.going_count - 1).execution_options(synchronize_session=False))
    db.session.execute(delete(Rsvp).where(Rsvp.user_id == erasure.user_id))
    db.session.execute(delete(EventInvitation).where(EventInvitation.user_id == erasure.user_id))
    db.session.execute(delete(MemberCalendar).where(MemberCalendar.user_id == erasure.user_id))
