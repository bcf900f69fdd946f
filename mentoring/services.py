"""Mentoring services: offer to mentor (and pause, resume or withdraw the offer), ask for a mentor, answer,
withdraw or end a mentorship, log its sessions. Each function owns its request's single commit; every state
change is written to the audit log."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from accounts import notifications
from accounts.services import skills_named
from core import audit, vocabularies
from core.audit import utcnow
from core.authz import require
from core.errors import DomainError, FieldError
from core.extensions import db
from core.urls import path_for
from mentoring.lifecycle import MENTORSHIP, OFFER, request_blockers
from mentoring.models import (MAX_CAPACITY, MAX_COMPETENCIES, MAX_SESSION_MINUTES, MAX_SKILLS, OPEN_STATES,
                              MentorOffer, MentorOfferCompetency, MentoringSession, Mentorship)

notifications.register_kind("mentorship.requested", _l("Someone asks you for mentoring"),
                            _l("%(actor)s asks you for mentoring: %(goal)s"))
notifications.register_kind("mentorship.accepted", _l("A mentor accepts your request"),
                            _l("%(actor)s accepted your request for mentoring."), quote="message")
notifications.register_kind("mentorship.declined", _l("A mentor declines your request"),
                            _l("%(actor)s declined your request for mentoring."), quote="message")
notifications.register_kind("mentorship.ended", _l("A mentorship of yours ends"),
                            _l("%(actor)s ended your mentorship."), default="app")


# ---- Offers ----

def _check_offer(fields: dict, offer: MentorOffer | None) -> dict:
    """Rules on the fields of an offer, each answered next to its field; returns the cleaned fields."""
    errors = {}
    codes = list(dict.fromkeys(fields.get("competencies") or []))
    skills = list(dict.fromkeys(fields.get("skills") or []))
    if not set(codes) <= vocabularies.codes("competency"):
        errors["competencies"] = _("Choose competencies from the list.")
    elif len(codes) > MAX_COMPETENCIES:
        errors["competencies"] = _("Choose at most %(count)d competencies.", count=MAX_COMPETENCIES)
    if len(skills) > MAX_SKILLS or any(len(name) > 60 for name in skills):
        errors["skills"] = _("List at most %(count)d skills of at most 60 characters each.", count=MAX_SKILLS)
    if not codes and not skills and "competencies" not in errors:
        errors["competencies"] = _("Choose at least one competency or name a skill you mentor on.")
    capacity = fields.get("capacity")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("Enter a number between %(low)d and %(high)d.", low=1, high=MAX_CAPACITY)
    elif offer is not None and capacity < offer.open_count:
        errors["capacity"] = _("%(count)d mentees already hold a place: the capacity cannot be lower.",
                               count=offer.open_count)
    if errors:
        raise FieldError(errors)
    return {**fields, "competencies": codes, "skills": skills}


def _apply(offer: MentorOffer, fields: dict) -> None:
    offer.bio = fields.get("bio") or ""
    offer.capacity = fields["capacity"]
    wanted = fields["competencies"]
    offer.competencies = [c for c in offer.competencies if c.code in wanted] + [
        MentorOfferCompetency(code=code) for code in wanted if code not in offer.competency_codes]
    offer.skills = skills_named(fields["skills"])


def offer_of(user) -> MentorOffer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(MentorOffer).where(MentorOffer.user_id == user.id))


def offer_id_of(user) -> int | None:
    """The id of the member's offer, if any (one light statement, for links)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(MentorOffer.id).where(MentorOffer.user_id == user.id))


def create_offer(actor, **fields) -> MentorOffer:
    """A member offers to mentor, once (later changes edit the same offer)."""
    require(actor, "mentoring.offer")
    if offer_of(actor) is not None:
        raise DomainError(_("You already offer mentoring: change your offer instead."))
    fields = _check_offer(fields, None)
    offer = MentorOffer(user_id=actor.id, status="active", open_count=0)
    _apply(offer, fields)
    db.session.add(offer)
    try:
        db.session.flush()
    except IntegrityError:  # the same member offering twice at once
        db.session.rollback()
        raise DomainError(_("You already offer mentoring: change your offer instead.")) from None
    audit.record(actor, "mentor_offer", offer.id, "create", None, "active")
    db.session.commit()
    return offer


def update_offer(offer: MentorOffer, actor, **fields) -> MentorOffer:
    """The mentor changes what they offer, their bio or their capacity (never below the places taken)."""
    require(actor, "mentor_offer.edit", offer)
    fields = _check_offer(fields, offer)
    _apply(offer, fields)
    audit.record(actor, "mentor_offer", offer.id, "edit")
    db.session.commit()
    return offer


def transition_offer(offer: MentorOffer, actor, name: str) -> MentorOffer:
    """Pause, resume or withdraw the offer (the workflow checks who, from which state, and its guards)."""
    OFFER.apply(offer, name, actor)
    db.session.commit()
    return offer


# ---- Places: one guarded UPDATE each, so two requests never take the same last place ----

def take_place(offer: MentorOffer) -> bool:
    """Take one of the mentor's places if one is left and the offer is active: checked by the database in the
    UPDATE itself (PostgreSQL re-checks the row after a concurrent UPDATE commits; SQLite writes one at a time)."""
    taken = db.session.execute(
        update(MentorOffer).where(MentorOffer.id == offer.id, MentorOffer.status == "active",
                                  MentorOffer.open_count < MentorOffer.capacity)
        .values(open_count=MentorOffer.open_count + 1).execution_options(synchronize_session=False)).rowcount
    db.session.expire(offer, ["open_count"])
    return taken == 1


def free_place(offer_id: int) -> None:
    db.session.execute(update(MentorOffer).where(MentorOffer.id == offer_id, MentorOffer.open_count > 0)
                       .values(open_count=MentorOffer.open_count - 1).execution_options(synchronize_session=False))


# ---- Mentorships ----

def request_mentoring(offer: MentorOffer, actor, goal: str) -> Mentorship:
    """A member asks a mentor for help with a goal: refused, with the reason, for their own offer, a paused or
    withdrawn one, a second open request to the same mentor, or a mentor with no place left."""
    require(actor, "mentorship.request", offer)
    goal = (goal or "").strip()
    if not goal:
        raise FieldError.on("goal", _("Say what you would like help with."))
    blockers = request_blockers(offer, actor)
    if blockers:
        raise DomainError(" ".join(blockers))
    if not take_place(offer):
        raise DomainError(_("This mentor has no place left this month: every place is taken."))
    mentorship = Mentorship(offer_id=offer.id, mentor_id=offer.user_id, mentee_id=actor.id, goal=goal,
                            status="requested")
    db.session.add(mentorship)
    try:
        db.session.flush()
    except IntegrityError:  # the same member asking twice at once: the other request stands
        db.session.rollback()
        raise DomainError(_("You already have a request or a mentorship open with this mentor.")) from None
    audit.record(actor, "mentorship", mentorship.id, "request", None, "requested")
    notifications.notify([offer.user], "mentorship.requested", actor=actor,
                         url=path_for("mentoring.mentorship", mentorship_id=mentorship.id), goal=goal[:200])
    db.session.commit()
    return mentorship


def _people(*ids):
    from accounts.models import User

    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


def answer(mentorship: Mentorship, actor, accept: bool, message: str | None) -> Mentorship:
    """The mentor accepts or declines (with a message, required to decline); the mentee is told, in the app and
    by email as they chose. A declined request gives its place back."""
    message = (message or "").strip() or None
    MENTORSHIP.apply(mentorship, "accept" if accept else "decline", actor, message)
    mentorship.answer_message = message
    mentorship.answered_at = utcnow()
    if not accept:
        free_place(mentorship.offer_id)
    notifications.notify(_people(mentorship.mentee_id), "mentorship.accepted" if accept else "mentorship.declined",
                         actor=actor, url=path_for("mentoring.mentorship", mentorship_id=mentorship.id),
                         message=message or "")
    db.session.commit()
    return mentorship


def withdraw(mentorship: Mentorship, actor) -> Mentorship:
    """The mentee takes back a request the mentor has not answered; its place is free again."""
    MENTORSHIP.apply(mentorship, "withdraw", actor)
    free_place(mentorship.offer_id)
    db.session.commit()
    return mentorship


def end(mentorship: Mentorship, actor, reason: str | None) -> Mentorship:
    """Either of the pair ends an active mentorship; its place is free again and the other one is told."""
    MENTORSHIP.apply(mentorship, "end", actor, reason)
    mentorship.end_reason = (reason or "").strip() or None
    mentorship.ended_at = utcnow()
    free_place(mentorship.offer_id)
    notifications.notify(_people(mentorship.other_of(actor)), "mentorship.ended", actor=actor,
                         url=path_for("mentoring.mentorship", mentorship_id=mentorship.id))
    db.session.commit()
    return mentorship


def log_session(mentorship: Mentorship, actor, *, day: date | None, minutes: int | None,
                notes: str = "") -> MentoringSession:
    """Either of the pair logs a session of the active mentorship: a day from its request to today, a length
    from one minute to ten hours, and notes only the two of them read."""
    require(actor, "mentorship.log_session", mentorship)
    errors = {}
    if day is None:
        errors["day"] = _("Give the day of the session.")
    elif day > date.today():
        errors["day"] = _("The session cannot be in the future.")
    elif day < mentorship.created_at.date():
        errors["day"] = _("The session cannot be before the request for mentoring.")
    if minutes is None or minutes < 1:
        errors["minutes"] = _("A session lasts at least one minute.")
    elif minutes > MAX_SESSION_MINUTES:
        errors["minutes"] = _("A session lasts at most %(count)d minutes.", count=MAX_SESSION_MINUTES)
    if errors:
        raise FieldError(errors)
    session = MentoringSession(mentorship_id=mentorship.id, logged_by_id=actor.id, day=day, minutes=minutes,
                               notes=(notes or "").strip())
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "mentorship", mentorship.id, "log_session")
    db.session.commit()
    return session


def open_mentorship_of(offer_id: int, mentee_id: int) -> Mentorship | None:
    return db.session.scalar(select(Mentorship).where(Mentorship.offer_id == offer_id,
                                                      Mentorship.mentee_id == mentee_id,
                                                      Mentorship.status.in_(OPEN_STATES)))
