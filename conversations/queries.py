"""Read side of conversations: a subject's thread, a page of its messages, unread positions. Each function runs
a fixed number of statements."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, attributes, contains_eager

from accounts.models import User
from conversations.models import Message, Thread, ThreadRead, thread_key
from core.extensions import db
from projects.models import Application, Milestone, Project
from projects.sponsor_links import confirming_organisations, sponsor_member

PER_PAGE = 20


def attach(thread: Thread, project: Project, application=None, milestone=None) -> Thread:
    """Give a thread the subject the page already loaded (its relationships never load on their own)."""
    attributes.set_committed_value(thread, "project", project)
    attributes.set_committed_value(thread, "application", application)
    attributes.set_committed_value(thread, "milestone", milestone)
    return thread


@dataclass(frozen=True)
class Place:
    """How far a reader has read a thread: the id of the last message they saw (0: none), whether their
    position is stored yet, and how many messages come up to it."""
    last_read_id: int = 0
    stored: bool = False
    read_count: int = 0


def thread_for(kind: str, project: Project, application: Application | None = None,
               milestone: Milestone | None = None, user=None) -> tuple[Thread, Place]:
    """The subject's thread (a new, unsaved one when nobody has written yet) and the reader's place in it:
    one statement."""
    subject_id = {"application": getattr(application, "id", None), "milestone": getattr(milestone, "id", None),
                  "project": project.id}[kind]
    key = thread_key(kind, subject_id)
    user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    read_count = (select(func.count()).select_from(Message)
                  .where(Message.thread_id == Thread.id, Message.id <= func.coalesce(ThreadRead.last_read_id, 0))
                  .correlate(Thread, ThreadRead).scalar_subquery())
    row = db.session.execute(
        select(Thread, ThreadRead.last_read_id, read_count).outerjoin(
            ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user_id))
        .where(Thread.key == key)).first()
    if row is None:
        thread = Thread(key=key, kind=kind, project_id=project.id, application_id=subject_id
                        if kind == "application" else None, milestone_id=subject_id if kind == "milestone" else None,
                        last_message_id=0, message_count=0)
        return attach(thread, project, application, milestone), Place()
    return attach(row[0], project, application, milestone), Place(row[1] or 0, row[1] is not None, row[2] or 0)


def first_unread_page(thread: Thread, place: Place, per_page: int = PER_PAGE) -> int:
    """The page holding the reader's first unread message, else the last page."""
    if thread.last_message_id > place.last_read_id:
        return place.read_count // per_page + 1
    return max(1, (thread.message_count + per_page - 1) // per_page)


def messages(thread: Thread, page: int, per_page: int = PER_PAGE):
    """One page of the thread's messages, oldest first, with their authors: one statement (the total is the
    thread's own count)."""
    if thread.id is None:
        query = select(Message).where(Message.id.is_(None))
    else:
        query = (select(Message).outerjoin(Message.author).options(contains_eager(Message.author))
                 .where(Message.thread_id == thread.id).order_by(Message.id))
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    result.total = thread.message_count
    for message in result.items:
        attributes.set_committed_value(message, "thread", thread)
    return result


def message_by_id(message_id: int) -> Message | None:
    """A message with its thread, the thread's project (and chapter) and its subject: one statement."""
    project, application, milestone = aliased(Project), aliased(Application), aliased(Milestone)
    row = db.session.execute(
        select(Message, Thread, project, application, milestone)
        .join(Thread, Thread.id == Message.thread_id).join(project, project.id == Thread.project_id)
        .outerjoin(application, application.id == Thread.application_id)
        .outerjoin(milestone, milestone.id == Thread.milestone_id)
        .where(Message.id == message_id)).first()
    if row is None:
        return None
    message, thread = row[0], attach(row[1], row[2], row[3], row[4])
    attributes.set_committed_value(message, "thread", thread)
    return message


def users_by_handle(handles: list[str]) -> dict[str, User]:
    if not handles:
        return {}
    return {u.handle: u for u in db.session.scalars(select(User).where(User.handle.in_(handles)))}


def sponsor_members(project: Project) -> list[User]:
    """The members (admins and reviewers) of the project's confirming sponsors."""
    ids = select(sponsor_member.c.user_id).where(
        sponsor_member.c.organisation_id.in_(confirming_organisations(project.id)))
    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


def unread_threads(user, limit: int = 10) -> list[tuple]:
    """The user's threads with messages they have not read, newest first: (thread, project title, milestone
    title or None, applicant name or None, unread count). One statement."""
    applicant = aliased(User)
    unread = (select(func.count()).select_from(Message)
              .where(Message.thread_id == Thread.id, Message.id > ThreadRead.last_read_id,
                     Message.deleted_at.is_(None)).correlate(Thread, ThreadRead).scalar_subquery())
    query = (select(Thread, Project.title, Milestone.title, applicant.name, unread)
             .join(ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id))
             .join(Project, Project.id == Thread.project_id)
             .outerjoin(Milestone, Milestone.id == Thread.milestone_id)
             .outerjoin(Application, Application.id == Thread.application_id)
             .outerjoin(applicant, applicant.id == Application.user_id)
             .where(Thread.last_message_id > ThreadRead.last_read_id)
             .order_by(Thread.last_message_id.desc()).limit(limit))
    return [tuple(row) for row in db.session.execute(query) if row[4]]


def unread_by_application(application_ids: list[int], user) -> dict[int, int]:
    """For a page of applications: how many messages of each one's thread the user has not read (one
    statement; applications without a thread are absent)."""
    if not application_ids:
        return {}
    last_read = (select(ThreadRead.last_read_id).where(ThreadRead.thread_id == Thread.id,
                                                       ThreadRead.user_id == user.id)
                 .correlate(Thread).scalar_subquery())
    query = (select(Thread.application_id, func.count(Message.id))
             .join(Message, Message.thread_id == Thread.id)
             .where(Thread.application_id.in_(application_ids), Message.deleted_at.is_(None),
                    Message.id > func.coalesce(last_read, 0))
             .group_by(Thread.application_id))
    return dict(db.session.execute(query).all())
