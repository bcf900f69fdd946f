"""Background jobs of accounts: notification emails, the daily digest and the account emails (run through core.jobs)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from accounts import mail, notifications
from accounts.models import Notification, NotificationPreference, User
from core import jobs
from core import mail as transport
from core.audit import utcnow
from core.extensions import db
from core.schedule import periodic

# Notifications older than this are not put in a digest (the in-app list still shows them).
DIGEST_WINDOW = timedelta(days=7)


def _claim(note_ids: list[int]) -> int:
    """Mark notifications emailed, in the job's transaction: a concurrent copy of the job
    waits on these rows, then finds nothing left to claim."""
    return db.session.execute(update(Notification).where(Notification.id.in_(note_ids),
                                                         Notification.emailed_at.is_(None))
                              .values(emailed_at=utcnow())).rowcount


def email_notification(notification_id: int) -> None:
    """Email one notification to its recipient, if they still want it by email; at most once."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.emailed_at is not None or note.kind not in notifications.KINDS:
        return
    user = db.session.get(User, note.user_id)
    if user is None or user.is_suspended:
        return
    if notifications.channels([user.id], note.kind)[user.id] != "email":
        return  # the member changed their mind before the job ran
    if _claim([note.id]) != 1:
        return
    # Sent before the job's commit: if the server refuses, the claim rolls back and the job retries.
    transport.send(mail.notification_email(note, user))


def email_digest(user_id: int) -> None:
    """Email one digest of the notifications `user_id` chose to receive that way and has not been sent."""
    user = db.session.get(User, user_id)
    if user is None or user.is_suspended:
        return
    kinds = [kind for kind, channel in notifications.preferences(user).items() if channel == "digest"]
    if not kinds:
        return
    notes = list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.kind.in_(kinds),
                                   Notification.emailed_at.is_(None),
                                   Notification.created_at >= utcnow() - DIGEST_WINDOW)
        .order_by(Notification.created_at, Notification.id)))
    if not notes or _claim([n.id for n in notes]) != len(notes):
        return  # nothing new, or another copy of this job is sending it
    transport.send(mail.digest_email(user, notes))


def send_daily_digests() -> None:
    """Queue a digest for every member with digest notifications waiting (the scheduler runs this daily)."""
    recent = (select(Notification.user_id, Notification.kind).distinct()
              .where(Notification.emailed_at.is_(None), Notification.created_at >= utcnow() - DIGEST_WINDOW))
    pairs = db.session.execute(recent).all()
    if not pairs:
        return
    user_ids = {user_id for user_id, _ in pairs}
    chosen = {(row.user_id, row.kind): row.channel for row in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))).scalars()}
    wanted = sorted({user_id for user_id, kind in pairs if kind in notifications.KINDS
                     and chosen.get((user_id, kind), notifications.KINDS[kind].default) == "digest"})
    for user_id in wanted:
        jobs.enqueue("accounts.tasks.email_digest", user_id)


periodic("accounts.tasks.send_daily_digests", cron="0 7 * * *")


def email_welcome(user_id: int) -> None:
    """The welcome email of a new account, sent once even if the job runs twice."""
    user = db.session.get(User, user_id)
    if user is not None and not user.is_suspended:
        transport.send_once(mail.welcome_email(user))


def email_registration_attempt(user_id: int, attempt: str) -> None:
    """Tell the owner of an address that someone tried to register with it (the form said nothing);
    `attempt` names the attempt, so each is told once."""
    user = db.session.get(User, user_id)
    if user is not None and not user.is_suspended:
        transport.send_once(mail.registration_attempt_email(user, attempt))


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d%H%M%S%f")


def email_verification(user_id: int) -> None:
    """Send the link that verifies the account's address again (nothing once it is verified)."""
    user = db.session.get(User, user_id)
    if user is not None and not user.is_suspended and not user.is_verified:
        transport.send(mail.verification_email(user, _stamp()))


def email_password_reset(email: str) -> None:
    """Send a reset link to `email` if an account has it. The request enqueued this job whether or not one
    does, so the page answered the same way, in the same time; an unknown address simply ends here."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is not None and not user.is_suspended:
        transport.send(mail.password_reset_email(user, _stamp()))


def email_change_confirmation(user_id: int, new_email: str) -> None:
    """Send the link that confirms `new_email` to that address (bound to the account's current address)."""
    user = db.session.get(User, user_id)
    if user is not None and not user.is_suspended and user.email != new_email:
        transport.send(mail.email_change_email(user, new_email, _stamp()))


def email_address_changed(user_id: int, old_email: str) -> None:
    """Tell the old address that the account now uses another one."""
    user = db.session.get(User, user_id)
    if user is not None and user.email != old_email:
        transport.send(mail.email_changed_email(user, old_email, _stamp()))
