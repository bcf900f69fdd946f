"""Chapter services: propose, edit, move through the lifecycle, join, leave, appoint."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accounts import notifications
from accounts.models import User
from chapters.lifecycle import CHAPTER
from chapters.models import LEAD_ROLES, Chapter, ChapterMembership
from core import audit, images
from core.authz import require
from core.errors import DomainError
from core.extensions import db
from core.slugs import unique_slug


def propose_chapter(actor, *, name: str, city: str, country: str, description: str) -> Chapter:
    """A member proposes a chapter: it starts pending, and the proposer is its lead."""
    require(actor, "chapter.propose")
    chapter = Chapter(slug=unique_slug(Chapter.slug, name, "chapter"), name=name, city=city, country=country,
                      description=description, status="pending", proposed_by_id=actor.id)
    db.session.add(chapter)
    db.session.flush()
    db.session.add(ChapterMembership(chapter_id=chapter.id, user_id=actor.id, role="lead"))
    audit.record(actor, "chapter", chapter.id, "propose", None, "pending")
    try:
        db.session.commit()
    except IntegrityError:  # another proposal took the same slug at the same moment
        db.session.rollback()
        raise DomainError(_("Another chapter with this name was just proposed. Please try again."))
    return chapter


def update_chapter(chapter: Chapter, actor, *, name: str, city: str, country: str, description: str,
                   cover=None, cover_alt: str | None = None, remove_cover: bool = False) -> None:
    """A lead edits the chapter's details and its cover picture (core/images.py)."""
    require(actor, "chapter.edit", chapter)
    files = images.accept(cover, images.COVER, "cover")
    chapter.name, chapter.city, chapter.country, chapter.description = name, city, country, description
    with images.Replacement(chapter, "cover", files, remove=remove_cover, alt=cover_alt):
        audit.record(actor, "chapter", chapter.id, "edit")
        db.session.commit()


def transition_chapter(chapter: Chapter, actor, name: str, reason: str | None = None) -> None:
    """Approve or archive a chapter (admins), through the chapter workflow."""
    CHAPTER.apply(chapter, name, actor, reason)
    db.session.commit()


notifications.register_kind("chapter.member_joined", _l("Someone joins a chapter you lead"),
                            _l("%(member)s joined %(chapter)s."), default="digest")


def leads_of(chapter: Chapter) -> list[User]:
    return list(db.session.scalars(select(User).join(ChapterMembership, ChapterMembership.user_id == User.id)
                                   .where(ChapterMembership.chapter_id == chapter.id,
                                          ChapterMembership.role.in_(LEAD_ROLES))))


def join_chapter(chapter: Chapter, actor) -> ChapterMembership:
    """Join as a member; the leads are notified (in a daily digest unless they chose otherwise)."""
    require(actor, "chapter.join", chapter)
    membership = ChapterMembership(chapter_id=chapter.id, user_id=actor.id, role="member")
    db.session.add(membership)
    audit.record(actor, "chapter", chapter.id, "join", None, "member")
    notifications.notify(leads_of(chapter), "chapter.member_joined", url=f"/chapters/{chapter.slug}",
                         actor=actor, member=actor.name, chapter=chapter.name)
    try:
        db.session.commit()
    except IntegrityError:  # a double click: the unique constraint already holds the membership
        db.session.rollback()
        raise DomainError(_("You are already a member of this chapter."))
    chapter.forget_roles()
    return membership


def lead_count(chapter: Chapter) -> int:
    return db.session.scalar(select(func.count()).select_from(ChapterMembership).where(
        ChapterMembership.chapter_id == chapter.id, ChapterMembership.role.in_(LEAD_ROLES)))


def _membership(chapter: Chapter, user_id: int) -> ChapterMembership:
    membership = db.session.scalar(select(ChapterMembership).where(
        ChapterMembership.chapter_id == chapter.id, ChapterMembership.user_id == user_id))
    if membership is None:
        raise DomainError(_("This person is not a member of the chapter."))
    return membership


def leave_chapter(chapter: Chapter, actor) -> None:
    """A member leaves; the last lead must appoint another before leaving."""
    require(actor, "chapter.leave", chapter)
    membership = _membership(chapter, actor.id)
    if membership.role in LEAD_ROLES and lead_count(chapter) <= 1:
        raise DomainError(_("A chapter needs a lead: appoint a co-lead before you leave."))
    db.session.delete(membership)
    audit.record(actor, "chapter", chapter.id, "leave", membership.role, None)
    db.session.commit()
    chapter.forget_roles()


def set_member_role(chapter: Chapter, actor, user_id: int, role: str) -> ChapterMembership:
    """A lead appoints a member as co-lead, or makes a co-lead a member again."""
    require(actor, "chapter.appoint", chapter)
    if role not in ("co_lead", "member"):
        raise DomainError(_("Choose co-lead or member."))
    membership = _membership(chapter, user_id)
    if membership.role == "lead":
        raise DomainError(_("The chapter's lead keeps their role."))
    if membership.role != role:
        audit.record(actor, "chapter_membership", membership.id, "set_role", membership.role, role)
        membership.role = role
        db.session.commit()
        chapter.forget_roles()
    return membership
