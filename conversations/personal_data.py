"""What conversations hold about a member: the messages they wrote (with the thread each belongs to) and how far
they read each thread. When they delete their account, their messages are removed ("message removed" stays, so
that the others' replies keep their place) and their name or handle is taken out of the others' messages."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from conversations.models import Message, Thread, ThreadRead
from core.audit import utcnow
from core.extensions import db
from core.personal_data import PSEUDONYM, Erasure, eraser, part
from projects.models import Milestone, Project


@part("conversations", _l("messages.json: the messages you wrote in conversations (on applications, milestones "
                          "and teams), with the project and milestone each belongs to; read_positions.json: how far "
                          "you have read each conversation."))
def conversations(user) -> dict:
    messages = db.session.execute(
        select(Thread.kind.label("conversation"), Project.title.label("project"), Milestone.title.label("milestone"),
               Message.body, Message.created_at, Message.edited_at, Message.deleted_at.label("removed_at"))
        .join(Thread, Thread.id == Message.thread_id).join(Project, Project.id == Thread.project_id)
        .outerjoin(Milestone, Milestone.id == Thread.milestone_id)
        .where(Message.author_id == user.id).order_by(Message.created_at, Message.id))
    positions = db.session.execute(
        select(Thread.kind.label("conversation"), Project.title.label("project"), Milestone.title.label("milestone"),
               ThreadRead.last_read_id.label("last_message_read"), ThreadRead.updated_at)
        .join(Thread, Thread.id == ThreadRead.thread_id).join(Project, Project.id == Thread.project_id)
        .outerjoin(Milestone, Milestone.id == Thread.milestone_id)
        .where(ThreadRead.user_id == user.id).order_by(Thread.id))
    return {"messages.json": [row._asdict() for row in messages],
            "read_positions.json": [row._asdict() for row in positions]}


@eraser("conversations")
def erase_messages(erasure: Erasure) -> None:
    db.session.execute(update(Message).where(Message.author_id == erasure.user_id, Message.deleted_at.is_(None))
                       .values(body="", deleted_at=utcnow(), deleted_by_id=erasure.user_id))
    db.session.execute(delete(ThreadRead).where(ThreadRead.user_id == erasure.user_id))
    # "@ana, can you…" in the others' messages: the handle as mentioned (a bare handle may be a common word).
    for word in (erasure.email, erasure.name, f"@{erasure.handle}" if erasure.handle else ""):
        if word:
            db.session.execute(update(Message).where(Message.body.contains(word, autoescape=True))
                               .values(body=func.replace(Message.body, word, PSEUDONYM)))
