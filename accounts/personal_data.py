"""What accounts hold about a member: for their data export, and erased when they delete their account."""
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from accounts import notifications
from accounts.models import Notification, NotificationPreference, RecoveryCode, User
from accounts.sessions import end_all_sessions
from core import images
from core.audit import utcnow
from core.extensions import db
from core.personal_data import PSEUDONYM, Erasure, eraser, part, scrub_json


@part("account", _l("profile.json: your profile and account (name, handle, email, city, country, biography, "
                    "skills, language, visibility, dates); notifications.json: every notification you received; "
                    "notification_preferences.json: how you chose to receive each kind; photo.webp: your photo, "
                    "when you gave one."))
def account(user) -> dict:
    notes = db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                               .order_by(Notification.created_at, Notification.id))
    chosen = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    photo = user.avatar
    return {
        **({"photo.webp": images.path_for(photo.key, photo.widths[-1]).read_bytes()} if photo else {}),
        "profile.json": {"name": user.name, "handle": user.handle, "email": user.email, "city": user.city,
                         "country": user.country, "bio": user.bio, "skills": sorted(s.name for s in user.skills),
                         "language": user.locale, "profile_hidden": user.profile_hidden,
                         "platform_admin": user.is_admin, "created_at": user.created_at,
                         "email_verified_at": user.email_verified_at,
                         "two_factor_since": user.totp_enabled_at},
        "notifications.json": [{"message": notifications.message(n), "link": n.url, "kind": n.kind,
                                "created_at": n.created_at, "read_at": n.read_at, "emailed_at": n.emailed_at}
                               for n in notes],
        "notification_preferences.json": {p.kind: p.channel for p in chosen},
    }


@eraser("accounts")
def erase_account(erasure: Erasure) -> None:
    """The person goes; the row stays as "Former member" for the deliverables, reviews and credentials that
    point at it. Handle and address are freed, sessions end, no notification or email reaches it again."""
    user = db.session.get(User, erasure.user_id)
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    scrub_json(Notification, Notification.params, erasure)  # others' notifications that name them
    end_all_sessions(user)
    user.skills = []
    images.discard(user.avatar_key)
    user.avatar_key = user.avatar_widths = None
    user.name, user.handle, user.email = PSEUDONYM, f"former-{user.id}", f"former-{user.id}@deleted.invalid"
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))  # a password nobody knows
    user.bio = user.city = user.country = ""
    user.locale, user.profile_hidden, user.is_admin, user.email_verified_at = None, True, False, None
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.suspended_at = user.deleted_at = utcnow()
