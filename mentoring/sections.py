"""Mentoring sections on /me (my mentorships) and on portfolios (hours mentoring and mentees); the audit log's
names for offers and mentorships; mentoring hours as evidence on the learning profile."""
from flask_babel import gettext as _, ngettext

from core import audit
from core.pages import section
from core.urls import path_for
from learning.profile import Practice, practice_source
from mentoring import queries

# Mentoring is not a competency of the framework (version 1.0, aligned in issued credentials: adding one would
# be a new version). Its closest competency is giving feedback and holding difficult conversations, which is
# what a mentor does in every session: mentoring hours are evidence for it on the mentor's learning profile.
MENTORING_COMPETENCY = "relations.feedback"


@section("dashboard", "mentoring/_my_mentorships.html", order=17)
def my_mentorships(user):
    """On /me: the member's mentorships on either side, one statement whether or not they have any (a page's count
    must not depend on its data); a mentor's way to their offer comes from their mentorships, anyone else's goes
    to the offer form (create or change)."""
    mentorships = queries.my_mentorships(user, limit=10)
    offer_id = next((m.offer_id for m in mentorships if m.mentor_id == user.id), None)
    return {"mentorships": mentorships, "offer_id": offer_id}


@section("profile", "mentoring/_profile_mentoring.html", order=26)
def mentoring(user):
    """On a portfolio: the member's hours mentoring and the number of members they mentored (one statement,
    shared with the learning profile's evidence)."""
    record = queries.mentoring_record(user)
    if not record.mentees and not record.minutes:
        return None
    return {"record": record}


@practice_source
def mentoring_practice(user) -> list[Practice]:
    record = queries.mentoring_record(user)
    if not record.minutes:
        return []
    return [Practice(code=MENTORING_COMPETENCY, kind="mentoring", minutes=record.minutes,
                     title=ngettext("Mentoring %(num)d member", "Mentoring %(num)d members", record.mentees))]


@audit.subjects_of("mentor_offer")
def _offers(ids):
    from sqlalchemy import select

    from accounts.models import User
    from core.extensions import db
    from mentoring.models import MentorOffer

    rows = db.session.execute(select(MentorOffer.id, User.name).join(User, User.id == MentorOffer.user_id)
                              .where(MentorOffer.id.in_(ids)))
    return {oid: audit.Subject(_("Mentoring offer of %(name)s", name=name), path_for("mentoring.offer", offer_id=oid))
            for oid, name in rows}


@audit.subjects_of("mentorship")
def _mentorships(ids):
    from sqlalchemy import select

    from core.extensions import db
    from mentoring.models import Mentorship

    found = db.session.scalars(select(Mentorship.id).where(Mentorship.id.in_(ids)))
    return {mid: audit.Subject(_("Mentorship %(number)d", number=mid),
                               path_for("mentoring.mentorship", mentorship_id=mid)) for mid in found}
