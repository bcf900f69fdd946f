"""In-app notifications: kinds are registered by the packages that send them, messages are
rendered in the reader's language when shown."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from accounts.models import Notification
from core.audit import utcnow
from core.extensions import db


@dataclass(frozen=True)
class Kind:
    """A kind of notification: `label` names it on the preferences page, `message` is a
    lazy string with %(name)s placeholders filled from the notification's params."""

    name: str
    label: Any
    message: Any
    translated: tuple[str, ...] = ()  # params holding a word to translate when shown (a state name)


KINDS: dict[str, Kind] = {}


def register_kind(name: str, label, message, translated: tuple[str, ...] = ()) -> Kind:
    return KINDS.setdefault(name, Kind(name, label, message, translated))


def notify(users: Iterable, kind: str, *, url: str, actor=None, **params) -> list[Notification]:
    """Add a notification of `kind` for each user (the actor excluded); the caller commits."""
    if kind not in KINDS:
        raise LookupError(f"Unknown notification kind {kind!r}")
    actor_id = getattr(actor, "id", None)
    if actor is not None:
        params.setdefault("actor", actor.name)
    recipients = {user.id: user for user in users if user is not None and user.id != actor_id}
    notes = [Notification(user_id=user_id, kind=kind, actor_id=actor_id, url=url, params=params)
             for user_id in recipients]
    db.session.add_all(notes)
    return notes


def message(notification: Notification) -> str:
    kind = KINDS.get(notification.kind)
    if kind is None:
        return _("Something happened.")
    params = dict(notification.params)
    for name in kind.translated:
        params[name] = _(params[name])
    return str(kind.message) % params


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent(user, page: int = 1, per_page: int = 30):
    query = (select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one notification (or all when no id is given) of `user` as read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed
