"""Notification emails: rendered in the recipient's language, each with a signed one-click
unsubscribe link and the List-Unsubscribe headers (RFC 2369, RFC 8058)."""
from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from accounts import notifications, tokens
from accounts.notifications import DIGEST
from core import mail


class InvalidToken(Exception):
    """The unsubscribe link was altered or has expired."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The (user id, kind) a token was made for; InvalidToken when altered or older than UNSUBSCRIBE_MAX_AGE."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["UNSUBSCRIBE_MAX_AGE"])
        return int(data["u"]), str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):  # SignatureExpired is a BadSignature
        raise InvalidToken() from None


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on BASE_URL (jobs have no request to take the host from)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _locale(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _render(name: str, context: dict) -> str:
    """Render without Flask's context processors: an email must not depend on a request or on
    who (if anyone) is signed in where the job runs."""
    return current_app.jinja_env.get_template(name).render(context)


def _message(user, kind: str, template: str, message_id: str, make_context) -> EmailMessage:
    """Render `template` in the user's language; `make_context()` runs inside that language and
    returns the template's context, including its `subject`."""
    unsubscribe = external_url("accounts.unsubscribe", token=unsubscribe_token(user.id, kind))
    with force_locale(_locale(user)):
        context = make_context()
        context.update(user=user, unsubscribe_url=unsubscribe,
                       preferences_url=external_url("accounts.notification_preferences"))
        text = _render(f"email/{template}.txt", context)
        html = _render(f"email/{template}.html", context)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return mail.build(user.email, context["subject"], text, html, to_name=user.name, headers=headers,
                      message_id=message_id)


def opening(note) -> str:
    """The link an email gives to a notification: through the page that marks it read on the way."""
    return external_url("accounts.notification_open", notification_id=note.id)


def notification_email(note, user) -> EmailMessage:
    """The email for one notification, in `user`'s language."""
    kind = notifications.KINDS[note.kind]

    def context():
        message = notifications.message(note)
        return {"subject": message if len(message) <= 150 else message[:149] + "…", "message": message,
                "quote": notifications.quote(note), "kind_label": str(kind.label), "url": opening(note)}

    return _message(user, note.kind, "notification", f"notification-{note.id}", context)


def digest_email(user, notes: list) -> EmailMessage:
    """One email listing `notes`, in `user`'s language."""
    def context():
        subject = ngettext("Your Chapterhouse digest: %(num)d new notification",
                           "Your Chapterhouse digest: %(num)d new notifications", len(notes))
        return {"subject": subject, "items": [(notifications.message(n), opening(n)) for n in notes]}

    return _message(user, DIGEST, "digest", f"digest-{user.id}-{notes[-1].id}", context)


def account_email(user, template: str, message_id: str, make_context, to: str | None = None) -> EmailMessage:
    """An email about the account itself (welcome, a registration attempt): sent whatever the notification
    preferences, so it carries no unsubscribe link. `make_context()` runs in the user's language; `to` sends
    it to another address than the account's (a new address to confirm, the old one to tell)."""
    with force_locale(_locale(user)):
        context = {**make_context(), "user": user, "sign_in_url": external_url("accounts.login")}
        text = _render(f"email/{template}.txt", context)
        html = _render(f"email/{template}.html", context)
    return mail.build(to or user.email, context["subject"], text, html, to_name=user.name, message_id=message_id)


def address_email(to: str, locale: str | None, template: str, message_id: str, make_context) -> EmailMessage:
    """An email to an address that may have no account (an invitation), in `locale` when the site offers it."""
    languages = current_app.config["LANGUAGES"]
    with force_locale(locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = {**make_context(), "sign_in_url": external_url("accounts.login"),
                   "register_url": external_url("accounts.register")}
        text = _render(f"email/{template}.txt", context)
        html = _render(f"email/{template}.html", context)
    return mail.build(to, context["subject"], text, html, message_id=message_id)


def welcome_email(user) -> EmailMessage:
    """The welcome, with the link that verifies the address (the first verification email)."""
    verify_url = None if user.is_verified else external_url("accounts.verify_email",
                                                            token=tokens.verification_token(user))
    return account_email(user, "welcome", f"welcome-{user.id}",
                         lambda: {"subject": _("Welcome to Chapterhouse, %(name)s", name=user.name),
                                  "verify_url": verify_url})


def verification_email(user, sent: str) -> EmailMessage:
    url = external_url("accounts.verify_email", token=tokens.verification_token(user))
    return account_email(user, "verify_email", f"verify-{user.id}-{sent}",
                         lambda: {"subject": _("Confirm your email address"), "url": url})


def password_reset_email(user, sent: str) -> EmailMessage:
    url = external_url("accounts.reset_password", token=tokens.reset_token(user))
    return account_email(user, "password_reset", f"reset-{user.id}-{sent}",
                         lambda: {"subject": _("Choose a new Chapterhouse password"), "url": url})


def email_change_email(user, new_email: str, sent: str) -> EmailMessage:
    """To the new address: the link that confirms it."""
    url = external_url("accounts.confirm_email_change", token=tokens.email_change_token(user, new_email))
    return account_email(user, "email_change", f"email-change-{user.id}-{sent}",
                         lambda: {"subject": _("Confirm your new email address"), "url": url,
                                  "new_email": new_email}, to=new_email)


def email_changed_email(user, old_email: str, sent: str) -> EmailMessage:
    """To the old address: it no longer belongs to the account."""
    return account_email(user, "email_changed", f"email-changed-{user.id}-{sent}",
                         lambda: {"subject": _("Your Chapterhouse email address was changed"),
                                  "old_email": old_email, "new_email": user.email}, to=old_email)


def registration_attempt_email(user, attempt: str) -> EmailMessage:
    return account_email(user, "registration_attempt", f"registration-attempt-{user.id}-{attempt}",
                         lambda: {"subject": _("Someone tried to create an account with your address")})
