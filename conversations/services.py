"""Conversation services: post, edit and remove messages, keep each reader's place; mentions and new messages
notify the thread's readers according to their preferences."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from accounts.notifications import notify, register_kind
from conversations import queries, text
from conversations.models import MAX_MESSAGE_LENGTH, Message, Thread, ThreadRead
from core import audit
from core.audit import utcnow
from core.authz import MESSAGE_EDIT_WINDOW, can, require
from core.errors import FieldError
from core.extensions import db
from core.urls import path_for
from projects.services import lead_users, team_users

register_kind("thread_message", _l("A new message in a conversation you take part in"),
              _l("%(actor)s wrote in the conversation on “%(about)s”."), default="digest")
register_kind("thread_mention", _l("Someone mentions you in a conversation"),
              _l("%(actor)s mentioned you in the conversation on “%(about)s”."), default="email")


def thread_url(thread: Thread, message_id: int | None = None) -> str:
    anchor = f"message-{message_id}" if message_id else None
    if thread.kind == "application":
        return path_for("conversations.application", project_id=thread.project_id,
                        application_id=thread.application_id, _anchor=anchor)
    if thread.kind == "milestone":
        return path_for("conversations.milestone", project_id=thread.project_id, milestone_id=thread.milestone_id,
                        _anchor=anchor)
    return path_for("conversations.project", project_id=thread.project_id, _anchor=anchor)


def about(thread: Thread) -> str:
    """What the thread is about, as notifications name it (a title, the same in every language)."""
    return thread.milestone.title if thread.kind == "milestone" else thread.project.title


def checked_body(body: str) -> str:
    """The text of a message, or a FieldError on `body` saying what is wrong with it."""
    body = text.normalised(body)
    trouble = text.problem(body)
    if trouble == "empty":
        raise FieldError.on("body", _("Write a message before sending it."))
    if trouble == "long":
        raise FieldError.on("body", _("A message holds at most %(max)d characters; this one has %(count)d.",
                                      max=MAX_MESSAGE_LENGTH, count=len(body)))
    if trouble == "control":
        raise FieldError.on("body", _("The message holds invisible control characters; remove them and send "
                                      "it again."))
    return body


def readers(thread: Thread) -> list:
    """Everyone who may read the thread: the candidates of its kind, each confirmed by the permission table."""
    project = thread.project
    candidates = lead_users(project)
    if thread.kind == "application":
        candidates.append(thread.application.user)
    else:
        candidates += team_users(project)
        if thread.kind == "milestone":
            candidates += queries.sponsor_members(project)
    unique = {user.id: user for user in candidates if user is not None}
    return [user for user in unique.values() if can(user, f"thread.{thread.kind}.view", thread)]


def _mentioned(thread: Thread, body: str, already: tuple[str, ...] = ()) -> list:
    """The people a message mentions (beyond `already`), all of whom must be in the thread."""
    handles = [h for h in text.mentions(body) if h not in already]
    if len(handles) > text.MAX_MENTIONS:
        raise FieldError.on("body", _("Mention at most %(max)d people in one message.", max=text.MAX_MENTIONS))
    found = queries.users_by_handle(handles)
    outside = [f"@{h}" for h in handles if h not in found
               or not can(found[h], f"thread.{thread.kind}.view", thread)]
    if outside:
        raise FieldError.on("body", _("Only people in this conversation can be mentioned: %(handles)s is not in "
                                      "it. Remove the mention or write to them another way.",
                                      handles=", ".join(outside)))
    return [found[h] for h in handles]


def _saved(thread: Thread) -> Thread:
    """The thread's row, created by its first message; two first messages at once share one thread."""
    if thread.id is not None:
        return thread
    try:
        with db.session.begin_nested():
            db.session.add(thread)
    except IntegrityError:
        existing = db.session.scalar(select(Thread).where(Thread.key == thread.key))
        return queries.attach(existing, thread.project, thread.application, thread.milestone)
    return thread


def _set_read(thread: Thread, user_id: int, message_id: int) -> None:
    row = db.session.get(ThreadRead, (user_id, thread.id))
    if row is None:
        db.session.add(ThreadRead(user_id=user_id, thread_id=thread.id, last_read_id=message_id))
    elif row.last_read_id < message_id:
        row.last_read_id, row.updated_at = message_id, utcnow()


def post_message(thread: Thread, actor, body: str) -> Message:
    """Add a message to a thread (created with its first message). People it @mentions must be in the thread
    and are told; the thread's other readers hear of it as they chose."""
    require(actor, f"thread.{thread.kind}.post", thread)
    body = checked_body(body)
    mentioned = _mentioned(thread, body)
    thread = _saved(thread)
    message = Message(thread_id=thread.id, author_id=actor.id, body=body)
    db.session.add(message)
    db.session.flush()
    # In SQL, so that two messages posted at once both count and the newest stays the newest.
    db.session.execute(update(Thread).where(Thread.id == thread.id)
                       .values(last_message_id=case((Thread.last_message_id < message.id, message.id),
                                                    else_=Thread.last_message_id),
                               message_count=Thread.message_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.expire(thread, ["last_message_id", "message_count"])
    everyone = readers(thread)
    # The thread becomes one of each reader's (/me lists it while it has messages they have not read).
    known = set(db.session.scalars(select(ThreadRead.user_id).where(ThreadRead.thread_id == thread.id)))
    db.session.add_all([ThreadRead(user_id=reader.id, thread_id=thread.id, last_read_id=0)
                        for reader in everyone if reader.id not in known and reader.id != actor.id])
    _set_read(thread, actor.id, message.id)
    url = thread_url(thread, message.id)
    notify(mentioned, "thread_mention", url=url, actor=actor, about=about(thread))
    mentioned_ids = {user.id for user in mentioned}
    notify([u for u in everyone if u.id not in mentioned_ids], "thread_message", url=url, actor=actor,
           about=about(thread))
    db.session.commit()
    return message


def edit_message(message: Message, actor, body: str) -> None:
    """The author corrects their message within the edit window; people newly mentioned are told."""
    require(actor, "message.edit", message)
    body = checked_body(body)
    thread = message.thread
    mentioned = _mentioned(thread, body, already=tuple(text.mentions(message.body)))
    if body != message.body:
        message.body, message.edited_at = body, utcnow()
        notify(mentioned, "thread_mention", url=thread_url(thread, message.id), actor=actor, about=about(thread))
    db.session.commit()


def edit_refusal(message: Message, user) -> str:
    """Why `user`, who reads the thread, may not change this message (the permission table decided)."""
    if message.author_id != getattr(user, "id", None):
        return _("You can change only your own messages.")
    if message.is_removed:
        return _("This message was removed; it cannot be changed.")
    if not can(user, f"thread.{message.thread.kind}.post", message.thread):
        return _("This conversation is closed: its messages can no longer be changed.")
    return _("A message can be changed for %(minutes)d minutes after it is posted; this one can no longer be "
             "changed. Write a new message instead.", minutes=int(MESSAGE_EDIT_WINDOW.total_seconds() // 60))


def remove_message(message: Message, actor) -> None:
    """The author or a lead removes a message: its text is erased, "message removed" stays in its place."""
    require(actor, "message.delete", message)
    if message.author_id != actor.id:  # a lead moderating: kept in the audit log
        audit.record(actor, "message", message.id, "remove")
    message.body, message.deleted_at, message.deleted_by_id = "", utcnow(), actor.id
    db.session.commit()


def mark_read(thread: Thread, user, place, upto_message_id: int) -> None:
    """Remember that `user` has seen the thread up to a message (never backwards): one statement, none when
    nothing new was shown. The page is already rendered: the commit keeps the loaded objects as they are
    (none of them changed), so that nothing is read again after it."""
    if thread.id is None or upto_message_id <= place.last_read_id or not getattr(user, "is_authenticated", False):
        return
    if place.stored:
        db.session.execute(update(ThreadRead).where(ThreadRead.user_id == user.id, ThreadRead.thread_id == thread.id,
                                                    ThreadRead.last_read_id < upto_message_id)
                           .values(last_read_id=upto_message_id, updated_at=utcnow())
                           .execution_options(synchronize_session=False))
    else:
        db.session.add(ThreadRead(user_id=user.id, thread_id=thread.id, last_read_id=upto_message_id))
    session = db.session()
    session.expire_on_commit = False
    try:
        try:
            session.commit()
        except IntegrityError:  # the same reader's other tab stored their place first
            session.rollback()
    finally:
        session.expire_on_commit = True
