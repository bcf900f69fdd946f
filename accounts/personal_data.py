"""What accounts hold about a member, for their data export."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import notifications
from accounts.models import Notification, NotificationPreference
from core.extensions import db
from core.personal_data import part


@part("account", _l("profile.json: your profile and account (name, handle, email, city, country, biography, "
                    "skills, language, visibility, dates); notifications.json: every notification you received; "
                    "notification_preferences.json: how you chose to receive each kind."))
def account(user) -> dict:
    notes = db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                               .order_by(Notification.created_at, Notification.id))
    chosen = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    return {
        "profile.json": {"name": user.name, "handle": user.handle, "email": user.email, "city": user.city,
                         "country": user.country, "bio": user.bio, "skills": sorted(s.name for s in user.skills),
                         "language": user.locale, "profile_hidden": user.profile_hidden,
                         "platform_admin": user.is_admin, "created_at": user.created_at,
                         "email_verified_at": user.email_verified_at},
        "notifications.json": [{"message": notifications.message(n), "link": n.url, "kind": n.kind,
                                "created_at": n.created_at, "read_at": n.read_at, "emailed_at": n.emailed_at}
                               for n in notes],
        "notification_preferences.json": {p.kind: p.channel for p in chosen},
    }
