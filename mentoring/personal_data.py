"""What mentoring holds about a member: for their data export, and erased when they delete their account."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from core.audit import utcnow
from core.extensions import db
from core.personal_data import Erasure, eraser, part, scrub_text
from mentoring.models import (OPEN_STATES, MentorOffer, MentorOfferCompetency, MentoringSession, Mentorship,
                              mentor_offer_skill)


@part("mentoring", _l("offer.json: your offer to mentor; mentorships.json: your mentorships as mentor or mentee, "
                      "with their goal, answer and sessions (the private notes of the two of you included)."))
def mentoring(user) -> dict:
    offer = db.session.scalar(select(MentorOffer).where(MentorOffer.user_id == user.id))
    mentorships = db.session.scalars(select(Mentorship).where(
        or_(Mentorship.mentor_id == user.id, Mentorship.mentee_id == user.id)).order_by(Mentorship.id)).all()
    sessions = db.session.scalars(select(MentoringSession).where(
        MentoringSession.mentorship_id.in_([m.id for m in mentorships])).order_by(MentoringSession.day)).all()
    by_mentorship: dict[int, list] = {}
    for s in sessions:
        by_mentorship.setdefault(s.mentorship_id, []).append(
            {"day": s.day, "minutes": s.minutes, "notes": s.notes, "logged_by_you": s.logged_by_id == user.id})
    return {
        "offer.json": None if offer is None else {
            "status": offer.status, "bio": offer.bio, "capacity": offer.capacity,
            "competencies": offer.competency_codes, "skills": [skill.slug for skill in offer.skills],
            "created_at": offer.created_at},
        "mentorships.json": [{"role": "mentor" if m.mentor_id == user.id else "mentee", "status": m.status,
                              "goal": m.goal, "answer_message": m.answer_message, "end_reason": m.end_reason,
                              "requested_at": m.created_at, "answered_at": m.answered_at, "ended_at": m.ended_at,
                              "sessions": by_mentorship.get(m.id, [])} for m in mentorships],
    }


@eraser("mentoring")
def erase_mentoring(erasure: Erasure) -> None:
    """The member's offer is withdrawn and emptied; their open requests and mentorships end (the places they held
    with other mentors are given back); the words either side wrote stay, without the member's name."""
    mine = select(MentorOffer.id).where(MentorOffer.user_id == erasure.user_id)
    held = db.session.execute(select(Mentorship.offer_id).where(
        Mentorship.mentee_id == erasure.user_id, Mentorship.status.in_(OPEN_STATES),
        Mentorship.offer_id.not_in(mine))).scalars().all()
    for offer_id in held:
        db.session.execute(update(MentorOffer).where(MentorOffer.id == offer_id, MentorOffer.open_count > 0)
                           .values(open_count=MentorOffer.open_count - 1).execution_options(synchronize_session=False))
    db.session.execute(update(Mentorship).where(
        or_(Mentorship.mentor_id == erasure.user_id, Mentorship.mentee_id == erasure.user_id),
        Mentorship.status.in_(OPEN_STATES)).values(status="ended", ended_at=utcnow())
        .execution_options(synchronize_session=False))
    # The offer stays, withdrawn and emptied: the mentee's record of the sessions they had keeps its mentor.
    db.session.execute(delete(MentorOfferCompetency).where(MentorOfferCompetency.offer_id.in_(mine)))
    db.session.execute(delete(mentor_offer_skill).where(mentor_offer_skill.c.offer_id.in_(mine)))
    db.session.execute(update(MentorOffer).where(MentorOffer.user_id == erasure.user_id)
                       .values(status="withdrawn", bio="", open_count=0).execution_options(synchronize_session=False))
    for column in (Mentorship.goal, Mentorship.answer_message, Mentorship.end_reason, MentoringSession.notes):
        scrub_text(column, erasure)
