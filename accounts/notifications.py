"""Notifications: kinds are registered by the packages that send them, messages are
rendered in the reader's language when shown. Each member chooses per kind how they
hear of it (in the app only, by email, or in a daily digest); emails go out through jobs."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from accounts.models import CHANNELS, Notification, NotificationPreference
from core import jobs
from core.audit import utcnow
from core.authz import require
from core.extensions import db
from core.security import safe_next_url
from core.workflow import state_label


@dataclass(frozen=True)
class Kind:
    """A kind of notification: `label` names it on the preferences page, `message` is a
    lazy string with %(name)s placeholders filled from the notification's params, `default`
    is the channel of members who have not chosen."""

    name: str
    label: Any
    message: Any
    default: str = "email"
    states: Mapping[str, str] = field(default_factory=dict)  # param holding a state → entity whose workflow labels it
    quote: str | None = None  # param holding someone's own words, shown quoted under the message


KINDS: dict[str, Kind] = {}
DIGEST = "*digest"  # unsubscribing from a digest email stops every digest


def register_kind(name: str, label, message, default: str = "email",
                  states: Mapping[str, str] | None = None, quote: str | None = None) -> Kind:
    """Declare a kind of notification; `default` is "app", "email" or "digest"; `states` maps a param
    holding a raw state to the entity whose workflow labels it (`{"decision": "application"}`); `quote` names
    a param holding someone's own words (a lead's message), shown under the message and in the email."""
    if default not in CHANNELS:
        raise ValueError(f"default must be one of {CHANNELS}")
    return KINDS.setdefault(name, Kind(name, label, message, default, dict(states or {}), quote))


def channels(user_ids, kind: str) -> dict[int, str]:
    """Each user's channel for `kind` (one query)."""
    chosen = dict(db.session.execute(select(NotificationPreference.user_id, NotificationPreference.channel)
                                     .where(NotificationPreference.kind == kind,
                                            NotificationPreference.user_id.in_(list(user_ids)))).all())
    return {user_id: chosen.get(user_id, KINDS[kind].default) for user_id in user_ids}


def preferences(user) -> dict[str, str]:
    """The user's channel for every registered kind."""
    chosen = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.channel)
                                     .where(NotificationPreference.user_id == user.id)).all())
    return {name: chosen.get(name, kind.default) for name, kind in KINDS.items()}


def set_preference(user, kind: str, channel: str) -> None:
    """Record one choice (the caller commits)."""
    if kind not in KINDS or channel not in CHANNELS:
        raise LookupError(f"Unknown kind {kind!r} or channel {channel!r}")
    row = db.session.get(NotificationPreference, (user.id, kind))
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel))
    else:
        row.channel = channel


def save_preferences(user, choices: dict[str, str]) -> None:
    """Save the member's choice of channel for each kind."""
    for kind, channel in choices.items():
        set_preference(user, kind, channel)
    db.session.commit()


def unsubscribe(user, kind: str) -> None:
    """Stop emails of `kind` (or every digest, for DIGEST) for `user`: they stay in the app."""
    targets = [k for k, channel in preferences(user).items() if channel == "digest"] if kind == DIGEST else [kind]
    for name in targets:
        set_preference(user, name, "app")
    db.session.commit()


def notify(users: Iterable, kind: str, *, url: str, actor=None, **params) -> list[Notification]:
    """Add a notification of `kind` for each user (the actor excluded) and queue an email for
    those who chose email for this kind; the caller commits (the emails go out after it)."""
    if kind not in KINDS:
        raise LookupError(f"Unknown notification kind {kind!r}")
    actor_id = getattr(actor, "id", None)
    if actor is not None:
        params.setdefault("actor", actor.name)
    recipients = {user.id: user for user in users if user is not None and user.id != actor_id}
    notes = [Notification(user_id=user_id, kind=kind, actor_id=actor_id, url=url, params=params)
             for user_id in recipients]
    db.session.add_all(notes)
    by_email = {user_id for user_id, channel in channels(recipients, kind).items() if channel == "email"} \
        if recipients else set()
    if by_email:
        db.session.flush()  # the jobs take the notifications' ids
        for note in notes:
            if note.user_id in by_email:
                jobs.enqueue("accounts.tasks.email_notification", note.id)
    return notes


def message(notification: Notification) -> str:
    kind = KINDS.get(notification.kind)
    if kind is None:
        return _("Something happened.")
    params = dict(notification.params)
    for name, entity in kind.states.items():
        params[name] = state_label(entity, params.get(name))
    return str(kind.message) % params


def quote(notification: Notification) -> str | None:
    """The words a person wrote that come with the notification (a lead's message to an applicant), if any."""
    kind = KINDS.get(notification.kind)
    if kind is None or kind.quote is None:
        return None
    return (notification.params or {}).get(kind.quote) or None


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent(user, page: int = 1, per_page: int = 30):
    query = (select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def open_notification(user, notification: Notification, fallback: str) -> str:
    """Mark `notification` read for its owner and return where it leads: its own path on this site, or
    `fallback` when the stored URL is not one (never another site)."""
    require(user, "notification.open", notification)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return safe_next_url(notification.url, fallback)


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one notification (or all when no id is given) of `user` as read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed
