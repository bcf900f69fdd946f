"""Read-side queries for mentoring pages; each runs a fixed number of SQL statements whatever the data size."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from accounts.models import Skill, User, label_for
from chapters.models import Chapter, ChapterMembership
from core import text_search, vocabularies
from core.extensions import db
from core.memo import per_request
from mentoring.models import (OPEN_STATES, MentorOffer, MentorOfferCompetency, MentoringSession, Mentorship,
                              mentor_offer_skill)

PER_PAGE = 12
LISTED_STATES = ("active", "paused")


@dataclass
class Filters:
    competency: str = ""
    skill: str = ""
    chapter: str = ""
    available: bool = False


def offers(filters: Filters, page: int = 1, per_page: int = PER_PAGE):
    """Offers that are not withdrawn, of members whose profile is visible, across chapters: those taking
    requests with a place left first, then newest first. The page's offers come in one query, their
    competencies and skills in one each, the total in one."""
    query = (select(MentorOffer).join(MentorOffer.user).options(contains_eager(MentorOffer.user))
             .where(MentorOffer.status.in_(LISTED_STATES), User.profile_hidden.is_(False),
                    User.suspended_at.is_(None), User.deleted_at.is_(None)))
    if filters.competency:
        query = query.where(MentorOffer.id.in_(select(MentorOfferCompetency.offer_id)
                                               .where(MentorOfferCompetency.code == filters.competency)))
    if filters.skill:
        query = query.where(MentorOffer.id.in_(
            select(mentor_offer_skill.c.offer_id).join(Skill, Skill.id == mentor_offer_skill.c.skill_id)
            .where(Skill.slug == filters.skill)))
    if filters.chapter:  # a chapter's address, or the start of its name or its city
        chapters = select(Chapter.id).where(Chapter.status == "active", or_(
            Chapter.slug == filters.chapter.lower(), text_search.starts_with(Chapter.name, filters.chapter),
            text_search.starts_with(Chapter.city, filters.chapter)))
        query = query.where(MentorOffer.user_id.in_(
            select(ChapterMembership.user_id).where(ChapterMembership.chapter_id.in_(chapters))))
    if filters.available:
        query = query.where(MentorOffer.status == "active", MentorOffer.open_count < MentorOffer.capacity)
    taking = (MentorOffer.status == "active") & (MentorOffer.open_count < MentorOffer.capacity)
    from sqlalchemy import case
    query = query.order_by(case((taking, 0), else_=1), MentorOffer.created_at.desc(), MentorOffer.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=50)


def skill_choices() -> list[tuple[str, str]]:
    """Skills that listed offers name, for the filter (by name in the reader's language)."""
    listed = (select(mentor_offer_skill.c.offer_id).join(MentorOffer, MentorOffer.id == mentor_offer_skill.c.offer_id)
              .where(mentor_offer_skill.c.skill_id == Skill.id, MentorOffer.status.in_(LISTED_STATES)))
    rows = db.session.execute(select(Skill.slug, Skill.name, Skill.name_fr).where(listed.exists()).limit(300))
    named = [(slug, label_for(name, name_fr)) for slug, name, name_fr in rows]
    return sorted(named, key=lambda choice: choice[1].casefold())


def competency_labels(offer: MentorOffer) -> list[str]:
    labels = vocabularies.labels("competency") if offer.competencies else {}
    return [labels.get(code, code) for code in offer.competency_codes]


def offer_by_id(offer_id: int) -> MentorOffer | None:
    return db.session.get(MentorOffer, offer_id)


def mentor_chapters(offer: MentorOffer, limit: int = 10) -> list[Chapter]:
    """The active chapters the mentor belongs to (one query)."""
    return list(db.session.scalars(
        select(Chapter).join(ChapterMembership, ChapterMembership.chapter_id == Chapter.id)
        .where(ChapterMembership.user_id == offer.user_id, Chapter.status == "active")
        .order_by(Chapter.name).limit(limit)))


def viewer_open_mentorship(offer: MentorOffer, user) -> Mentorship | None:
    """The viewer's request or mentorship open with this mentor, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Mentorship).where(Mentorship.offer_id == offer.id,
                                                      Mentorship.mentee_id == user.id,
                                                      Mentorship.status.in_(OPEN_STATES)))


def mentorship_by_id(mentorship_id: int) -> Mentorship | None:
    """A mentorship with its mentor and mentee (one query)."""
    mentor, mentee = aliased(User), aliased(User)
    return db.session.scalar(
        select(Mentorship).join(mentor, mentor.id == Mentorship.mentor_id).join(mentee, mentee.id == Mentorship.mentee_id)
        .options(contains_eager(Mentorship.mentor.of_type(mentor)), contains_eager(Mentorship.mentee.of_type(mentee)))
        .where(Mentorship.id == mentorship_id))


def sessions(mentorship: Mentorship, limit: int = 200) -> list[MentoringSession]:
    return list(db.session.scalars(select(MentoringSession).where(MentoringSession.mentorship_id == mentorship.id)
                                   .order_by(MentoringSession.day.desc(), MentoringSession.id.desc()).limit(limit)))


def requests_waiting(offer: MentorOffer, limit: int = 50) -> list[Mentorship]:
    """The requests waiting for the mentor's answer, oldest first, with their mentee (one query)."""
    return list(db.session.scalars(
        select(Mentorship).join(User, User.id == Mentorship.mentee_id).options(contains_eager(Mentorship.mentee))
        .where(Mentorship.offer_id == offer.id, Mentorship.status == "requested")
        .order_by(Mentorship.created_at, Mentorship.id).limit(limit)))


def my_mentorships(user, limit: int = 20) -> list[Mentorship]:
    """The member's mentorships on either side, open ones first then the latest (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    mentor, mentee = aliased(User), aliased(User)
    from sqlalchemy import case
    return list(db.session.scalars(
        select(Mentorship).join(mentor, mentor.id == Mentorship.mentor_id).join(mentee, mentee.id == Mentorship.mentee_id)
        .options(contains_eager(Mentorship.mentor.of_type(mentor)), contains_eager(Mentorship.mentee.of_type(mentee)))
        .where(or_(Mentorship.mentor_id == user.id, Mentorship.mentee_id == user.id))
        .order_by(case((Mentorship.status.in_(OPEN_STATES), 0), else_=1), Mentorship.created_at.desc(),
                  Mentorship.id.desc()).limit(limit)))


@dataclass(frozen=True)
class MentoringRecord:
    """What a mentor's portfolio shows: their hours mentoring and how many members they mentored."""

    minutes: int
    mentees: int

    @property
    def hours(self):
        from learning.models import hours_of

        return hours_of(self.minutes)


def mentoring_record(user) -> MentoringRecord:
    """The minutes of every session of the member's mentorships as mentor, and their distinct mentees (those
    they accepted): one statement, shared by the sections of one page."""
    def load() -> MentoringRecord:
        if not user.has_mentorships:  # loaded with the member: no statement for those who never had one
            return MentoringRecord(0, 0)
        minutes = (select(func.coalesce(func.sum(MentoringSession.minutes), 0))
                   .join(Mentorship, Mentorship.id == MentoringSession.mentorship_id)
                   .where(Mentorship.mentor_id == user.id).scalar_subquery())
        mentees = (select(func.count(distinct(Mentorship.mentee_id)))
                   .where(Mentorship.mentor_id == user.id, Mentorship.status.in_(("active", "ended"))).scalar_subquery())
        row = db.session.execute(select(minutes.label("minutes"), mentees.label("mentees"))).one()
        return MentoringRecord(int(row.minutes or 0), int(row.mentees or 0))

    return per_request("mentoring_record", user, load)
