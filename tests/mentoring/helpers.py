"""Factories for mentoring tests: an offer, a mentorship in a given state, a session."""
from __future__ import annotations

from datetime import date, timedelta

from core.audit import utcnow
from core.extensions import db
from mentoring.models import OPEN_STATES, MentorOffer, MentorOfferCompetency, MentoringSession, Mentorship
from tests.factories import make_user


def make_offer(mentor=None, *, capacity: int = 2, status: str = "active", competencies=("scoping.pricing",),
               bio: str = "Ten years of freelance accounting; happy to help.", commit: bool = True) -> MentorOffer:
    mentor = mentor or make_user(commit=False)
    offer = MentorOffer(user_id=mentor.id, capacity=capacity, status=status, open_count=0, bio=bio,
                        competencies=[MentorOfferCompetency(code=c) for c in competencies])
    db.session.add(offer)
    db.session.commit() if commit else db.session.flush()
    return offer


def make_mentorship(offer: MentorOffer, mentee=None, *, status: str = "active", days_ago: int = 30,
                    commit: bool = True) -> Mentorship:
    """A mentorship in `status`, asked `days_ago` days ago; an open one holds one of the offer's places."""
    mentee = mentee or make_user(commit=False)
    mentorship = Mentorship(offer_id=offer.id, mentor_id=offer.user_id, mentee_id=mentee.id, status=status,
                            goal="Set a day rate I can defend.", created_at=utcnow() - timedelta(days=days_ago))
    if status in OPEN_STATES:
        offer.open_count += 1
    db.session.add(mentorship)
    db.session.commit() if commit else db.session.flush()
    return mentorship


def make_session(mentorship: Mentorship, minutes: int = 60, notes: str = "Private words.", days_ago: int = 2,
                 commit: bool = True) -> MentoringSession:
    session = MentoringSession(mentorship_id=mentorship.id, logged_by_id=mentorship.mentor_id, minutes=minutes,
                               day=date.today() - timedelta(days=days_ago), notes=notes)
    db.session.add(session)
    db.session.commit() if commit else db.session.flush()
    return session
