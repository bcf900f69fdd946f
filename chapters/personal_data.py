"""What chapters hold about a member: for their data export, and erased when they delete their account."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from chapters.models import LEAD_ROLES, Chapter, ChapterMembership
from core.extensions import db
from core.personal_data import Erasure, eraser, handover, part


@part("chapters", _l("memberships.json: the chapters you belong to, your role in each and when you joined; "
                     "proposed.json: the chapters you proposed."))
def chapters(user) -> dict:
    memberships = db.session.execute(
        select(Chapter.name, Chapter.slug, ChapterMembership.role, ChapterMembership.joined_at)
        .join(Chapter, Chapter.id == ChapterMembership.chapter_id).where(ChapterMembership.user_id == user.id)
        .order_by(ChapterMembership.joined_at))
    proposed = db.session.execute(select(Chapter.name, Chapter.slug, Chapter.status, Chapter.created_at)
                                  .where(Chapter.proposed_by_id == user.id).order_by(Chapter.created_at))
    return {"memberships.json": [row._asdict() for row in memberships],
            "proposed.json": [row._asdict() for row in proposed]}


@handover
def last_lead_of(user) -> list[str]:
    """A chapter that is not archived keeps a lead: its last lead appoints a co-lead before leaving."""
    other = aliased(ChapterMembership)
    others = (select(func.count()).select_from(other)
              .where(other.chapter_id == Chapter.id, other.user_id != user.id, other.role.in_(LEAD_ROLES))
              .scalar_subquery())
    names = db.session.scalars(
        select(Chapter.name).join(ChapterMembership, ChapterMembership.chapter_id == Chapter.id)
        .where(ChapterMembership.user_id == user.id, ChapterMembership.role.in_(LEAD_ROLES),
               Chapter.status != "archived", others == 0).order_by(Chapter.name))
    return [_("You are the last lead of %(chapter)s: appoint a co-lead before you leave.", chapter=name)
            for name in names]


@eraser("chapters")
def erase_memberships(erasure: Erasure) -> None:
    db.session.execute(delete(ChapterMembership).where(ChapterMembership.user_id == erasure.user_id))
