"""Event services: schedule, change and cancel events; answer them (going, not going, waiting list); mark
attendance; the member's calendar settings. Each function owns its request's single commit."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from accounts import notifications
from accounts.models import User
from core import audit, jobs, vocabularies
from core.audit import utcnow
from core.authz import can, require
from core.errors import DomainError, FieldError
from core.extensions import db
from core.urls import path_for
from events import timezones
from events.lifecycle import EVENT
from events.lifecycle import presentations_due
from events.models import (MAX_COMPETENCIES, MAX_PRESENTING, MODES, PRESENTING_STATES, Event, EventCompetency,
                           EventInvitation, EventProject, MemberCalendar, Rsvp)

notifications.register_kind("event.cancelled", _l("An event you answered is cancelled"),
                            _l("“%(event)s” is cancelled: %(reason)s"))
notifications.register_kind("event.changed", _l("An event you are going to changes time or place"),
                            _l("“%(event)s” has changed: it now starts %(starts)s."))
notifications.register_kind("event.promoted", _l("A place frees up at an event you wait for"),
                            _l("A place freed up: you are now going to “%(event)s”."))


def _check(fields: dict, event: Event | None) -> dict:
    """Rules on the fields of an event, each answered next to its field; returns the cleaned fields."""
    errors = {}
    name = fields.get("timezone")
    if not timezones.is_known(name):
        errors["timezone"] = _("Choose a time zone from the list.")
    starts, ends = fields.get("starts_local"), fields.get("ends_local")
    if not errors and starts and ends:
        fields["starts_at"], fields["ends_at"] = timezones.to_utc(starts, name), timezones.to_utc(ends, name)
        if fields["ends_at"] <= fields["starts_at"]:
            errors["ends_local"] = _("The event must end after it starts.")
        elif (event is None or fields["starts_at"] != event.starts) and fields["starts_at"] <= utcnow():
            errors["starts_local"] = _("The event must start in the future.")
    if fields.get("mode") not in MODES:
        errors["mode"] = _("Choose in person or online.")
    elif fields["mode"] == "in_person" and not fields.get("address"):
        errors["address"] = _("Give the address of an event in person.")
    elif fields["mode"] == "online" and not fields.get("online_url"):
        errors["online_url"] = _("Give the link of an online event.")
    elif fields["mode"] == "online" and not fields["online_url"].lower().startswith(("https://", "http://")):
        errors["online_url"] = _("Give a link that starts with https://.")
    codes = list(dict.fromkeys(fields.get("competencies") or []))
    if not set(codes) <= vocabularies.codes("competency"):
        errors["competencies"] = _("Choose competencies from the list.")
    elif len(codes) > MAX_COMPETENCIES:
        errors["competencies"] = _("Choose at most %(count)d competencies.", count=MAX_COMPETENCIES)
    fields["competencies"] = codes
    wanted = list(dict.fromkeys(fields.get("presenting") or []))
    if wanted and fields.get("kind") != "demo_day":
        errors["presenting"] = _("Only a demo day has presenting projects.")
    elif len(wanted) > MAX_PRESENTING:
        errors["presenting"] = _("Choose at most %(count)d projects.", count=MAX_PRESENTING)
    elif wanted and set(wanted) - set(presentable_ids(fields["chapter"])):
        errors["presenting"] = _("Choose active or delivered projects of the chapter.")
    fields["presenting"] = wanted
    if event is not None and fields.get("capacity") is not None and fields["capacity"] < event.going_count:
        errors["capacity"] = _("%(count)d members are already going: the capacity cannot be lower.",
                               count=event.going_count)
    if errors:
        raise FieldError(errors)
    return fields


def _apply(event: Event, fields: dict) -> None:
    for name in ("kind", "title", "description", "mode", "timezone", "capacity", "starts_at", "ends_at"):
        setattr(event, name, fields[name])
    event.address = fields.get("address") or "" if event.mode == "in_person" else ""
    event.online_url = fields.get("online_url") or "" if event.mode == "online" else ""
    wanted = fields["competencies"] if event.kind == "workshop" else []
    event.competencies = [c for c in event.competencies if c.code in wanted] + [
        EventCompetency(code=code) for code in wanted if code not in event.competency_codes]
    presenting = fields["presenting"] if event.kind == "demo_day" else []
    event.presenting = [p for p in event.presenting if p.project_id in presenting] + [
        EventProject(project_id=pid) for pid in presenting if pid not in event.presenting_ids]


def presentable_ids(chapter) -> list[int]:
    """The chapter's projects that may present at a demo day."""
    from projects.models import Project

    return list(db.session.scalars(select(Project.id).where(Project.chapter_id == chapter.id,
                                                            Project.status.in_(PRESENTING_STATES))))


def create_event(chapter, actor, **fields) -> Event:
    """A lead schedules an event of the chapter."""
    require(actor, "event.create", chapter)
    fields = _check({**fields, "chapter": chapter}, None)
    event = Event(chapter=chapter, status="scheduled", going_count=0, created_by_id=actor.id)
    _apply(event, fields)
    db.session.add(event)
    db.session.flush()
    audit.record(actor, "event", event.id, "create", None, "scheduled")
    invite_presenters(event, actor)
    db.session.commit()
    return event


def invite_presenters(event: Event, actor) -> None:
    """A demo day published or changed by a lead (rule event.invite) invites, after the commit, the presenting
    teams and their sponsors' reviewers who are not invited yet (events.tasks.invite_to_demo_day)."""
    if event.presenting and can(actor, "event.invite", event):
        jobs.enqueue("events.tasks.invite_to_demo_day", event.id)


def update_event(event: Event, actor, **fields) -> Event:
    """A lead changes a scheduled event; the members going hear of a new time or place; more places move the
    waiting list up."""
    require(actor, "event.edit", event)
    fields = _check({**fields, "chapter": event.chapter}, event)
    moved = (fields["starts_at"] != event.starts or fields["ends_at"] != event.ends
             or fields["mode"] != event.mode or (fields.get("address") or "") != event.address)
    _apply(event, fields)
    event.sequence = (event.sequence or 0) + 1
    if moved:
        event.reminded_at = None
    audit.record(actor, "event", event.id, "edit")
    db.session.flush()
    _fill_places(event)
    invite_presenters(event, actor)
    if moved:
        notifications.notify(people_of(event, ("going", "waiting")), "event.changed", actor=actor,
                             url=path_for("events.detail", event_id=event.id), event=event.title,
                             starts=timezones.plain(event.starts, event.timezone))
    db.session.commit()
    return event


def cancel_event(event: Event, actor, reason: str | None) -> Event:
    """A lead cancels a scheduled event with a reason; everyone who answered going or waits, and everyone
    invited to a demo day, is told (once each)."""
    EVENT.apply(event, "cancel", actor, reason)
    event.cancel_reason = (reason or "").strip()
    told = {user.id: user for user in [*people_of(event, ("going", "waiting")), *invited(event)]}
    notifications.notify(told.values(), "event.cancelled", actor=actor,
                         url=path_for("events.detail", event_id=event.id), event=event.title,
                         reason=event.cancel_reason)
    db.session.commit()
    return event


def invited(event: Event) -> list[User]:
    """The people invited to a demo day (none for other kinds)."""
    return list(db.session.scalars(select(User).join(EventInvitation, EventInvitation.user_id == User.id)
                                   .where(EventInvitation.event_id == event.id)))


def people_of(event: Event, states) -> list[User]:
    return list(db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id)
                                   .where(Rsvp.event_id == event.id, Rsvp.status.in_(states))))


# ---- Places: one guarded UPDATE each, so two members never take the same last place ----

def _take_place(event: Event) -> bool:
    """Take one place if one is left: `going_count < capacity` is checked by the database in the UPDATE itself
    (PostgreSQL re-checks it after a concurrent UPDATE of the row commits; SQLite writes one at a time)."""
    taken = db.session.execute(
        update(Event).where(Event.id == event.id, Event.status == "scheduled", Event.going_count < Event.capacity)
        .values(going_count=Event.going_count + 1).execution_options(synchronize_session=False)).rowcount
    db.session.expire(event, ["going_count"])
    return taken == 1


def _free_place(event: Event) -> None:
    db.session.execute(update(Event).where(Event.id == event.id, Event.going_count > 0)
                       .values(going_count=Event.going_count - 1).execution_options(synchronize_session=False))
    db.session.expire(event, ["going_count"])


def _fill_places(event: Event) -> list[Rsvp]:
    """Move the waiting list up, first come first served, while places are left; each promoted member is told."""
    promoted = []
    while True:
        first = db.session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.status == "waiting")
                                  .order_by(Rsvp.waiting_since, Rsvp.id).limit(1))
        if first is None or not _take_place(event):
            break
        claimed = db.session.execute(update(Rsvp).where(Rsvp.id == first.id, Rsvp.status == "waiting")
                                     .values(status="going", waiting_since=None, updated_at=utcnow())
                                     .execution_options(synchronize_session=False)).rowcount
        db.session.expire(first)
        if not claimed:  # someone else moved them meanwhile: give the place back and look again
            _free_place(event)
            continue
        promoted.append(first)
    if promoted:
        users = db.session.scalars(select(User).where(User.id.in_([r.user_id for r in promoted])))
        notifications.notify(users, "event.promoted", url=path_for("events.detail", event_id=event.id),
                             event=event.title)
    return promoted


def answer(event: Event, actor, going: bool) -> Rsvp:
    """The member answers: going takes a place if one is left, else a place on the waiting list; not going
    gives back their place (or leaves the list), and the first one waiting moves up."""
    require(actor, "event.rsvp", event)
    rsvp = db.session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == actor.id))
    if rsvp is None:
        rsvp = Rsvp(event_id=event.id, user_id=actor.id, status="not_going")
        db.session.add(rsvp)
    before = rsvp.status
    if going and before == "not_going":
        if _take_place(event):
            rsvp.status, rsvp.waiting_since = "going", None
        else:
            rsvp.status, rsvp.waiting_since = "waiting", utcnow()
    elif not going and before in ("going", "waiting"):
        rsvp.status, rsvp.waiting_since = "not_going", None
        if before == "going":
            _free_place(event)
            db.session.flush()
            _fill_places(event)
    try:
        db.session.commit()
    except IntegrityError:  # the same member answering twice at once: the other answer stands
        db.session.rollback()
        raise DomainError(_("Your answer was already recorded; reload the page.")) from None
    return rsvp


def mark_attendance(event: Event, actor, attended_ids: set[int]) -> int:
    """The organiser marks who of the members going attended; the others did not. Returns how many attended."""
    require(actor, "event.mark_attendance", event)
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.status == "going")).all()
    unknown = set(attended_ids) - {r.user_id for r in rsvps}
    if unknown:
        raise FieldError.on("attended", _("Only members who answered going can be marked as attending."))
    for rsvp in rsvps:
        rsvp.attended = rsvp.user_id in attended_ids
    audit.record(actor, "event", event.id, "attendance")
    if presentations_due(event):  # the organiser closes a demo day that has ended: its feeds need not wait
        jobs.enqueue("events.tasks.record_presentations", event.id)
    db.session.commit()
    return sum(1 for r in rsvps if r.attended)


# ---- The member's calendar ----

def calendar_of(user) -> MemberCalendar | None:
    return db.session.get(MemberCalendar, user.id)


def reset_feed(actor) -> str:
    """A new secret address for the member's personal feed; the old one stops working at once."""
    require(actor, "calendar.manage")
    calendar = calendar_of(actor) or MemberCalendar(user_id=actor.id)
    calendar.token = secrets.token_urlsafe(32)
    db.session.add(calendar)
    audit.record(actor, "calendar", actor.id, "reset_feed")
    db.session.commit()
    return calendar.token


def set_timezone(actor, name: str) -> None:
    """The zone in which event pages show the member times ("" for the event's own zone)."""
    require(actor, "calendar.manage")
    if name and not timezones.is_known(name):
        raise FieldError.on("timezone", _("Choose a time zone from the list."))
    calendar = calendar_of(actor) or MemberCalendar(user_id=actor.id)
    calendar.timezone = name or None
    db.session.add(calendar)
    db.session.commit()


def feed_owner(user_id: int, token: str) -> User | None:
    """The member whose feed `token` opens, compared in constant time; None for a wrong or reset token."""
    calendar = db.session.get(MemberCalendar, user_id)
    if calendar is None or not calendar.token or not secrets.compare_digest(calendar.token, token or ""):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active and user.deleted_at is None else None


