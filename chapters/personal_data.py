"""What chapters hold about a member, for their data export."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from chapters.models import Chapter, ChapterMembership
from core.extensions import db
from core.personal_data import part


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
