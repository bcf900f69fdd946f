"""A member's own account: verifying the address, changing or resetting the password, changing the
address, signing out everywhere. The links come from accounts/tokens.py; the emails are jobs."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from accounts import tokens
from accounts.models import User
from accounts.passwords import password_problem
from accounts.sessions import end_all_sessions
from accounts.tokens import InvalidToken
from core import audit, jobs
from core.audit import utcnow
from core.authz import require
from core.errors import FieldError
from core.extensions import db


def send_verification(user: User) -> None:
    """Send the verification link again (members whose address is not verified yet)."""
    require(user, "account.resend_verification")
    jobs.enqueue("accounts.tasks.email_verification", user.id)
    db.session.commit()


def user_for_verification(token: str, current=None) -> User:
    """The account a verification link was made for. InvalidToken when the link is altered, expired, already
    used, for an address the account no longer has, or for another account than the signed-in one."""
    data = tokens.read(tokens.VERIFY, token)
    user = db.session.get(User, data["u"])
    if (user is None or user.email != data.get("e") or user.is_verified
            or (current is not None and current.is_authenticated and current.id != user.id)):
        raise InvalidToken()
    return user


def verify_email(token: str, current=None) -> User:
    """Mark the address the link was sent to as verified."""
    user = user_for_verification(token, current)
    user.email_verified_at = utcnow()
    audit.record(user, "user", user.id, "verify_email")
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Queue the reset email. The same work whatever the address (one job, one commit, no lookup here):
    the answer cannot tell, by content or by time, whether an account has it."""
    jobs.enqueue("accounts.tasks.email_password_reset", email.strip().lower())
    db.session.commit()


def user_for_reset(token: str) -> User:
    """The account a reset link was made for, while its password is still the one the link was bound to."""
    data = tokens.read(tokens.RESET, token)
    user = db.session.get(User, data["u"])
    if user is None or user.is_suspended or data.get("h") != tokens.password_fingerprint(user.password_hash):
        raise InvalidToken()
    return user


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, handle=user.handle, name=user.name)
    if problem:
        raise FieldError.on("password", problem)
    user.password_hash = generate_password_hash(password)
    end_all_sessions(user)  # every session and remembered device, this one included (the view signs it in again)


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link: the link dies with the old password, and every session ends.
    The link reached the address, so an address not verified yet is verified too."""
    user = user_for_reset(token)
    _set_password(user, password)
    if not user.is_verified:
        user.email_verified_at = utcnow()
    audit.record(user, "user", user.id, "reset_password")
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password of a signed-in member who knows the current one; every other session ends."""
    if not check_password_hash(user.password_hash, current_password):
        raise FieldError.on("current_password", _("This is not your current password."))
    _set_password(user, new_password)
    audit.record(user, "user", user.id, "change_password")
    db.session.commit()


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Send a confirmation link to `new_email`. Whether another account has that address is not said here
    (the form would tell who is registered): the link then fails at confirmation with a message."""
    if not check_password_hash(user.password_hash, current_password):
        raise FieldError.on("current_password", _("This is not your current password."))
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise FieldError.on("email", _("This is already your email address."))
    jobs.enqueue("accounts.tasks.email_change_confirmation", user.id, new_email)
    db.session.commit()


def address_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def _taken_message() -> str:
    return _("Another account uses this address now, so yours stays as it is.")


def new_address(token: str, user: User) -> str:
    """The address an email-change link confirms, if it was made for `user` and their current address."""
    data = tokens.read(tokens.EMAIL_CHANGE, token)
    new = data.get("new")
    if data["u"] != user.id or data.get("old") != user.email or not isinstance(new, str):
        raise InvalidToken()
    return new


def confirm_email_change(token: str, user: User) -> str:
    """Switch `user` to the address the link confirms (verified, since the link reached it) and tell the old
    one. The database's unique constraint has the last word: another account that took the address in the
    meantime is a FieldError on `email`, and nothing changes."""
    new = new_address(token, user)
    if address_taken(new):
        raise FieldError.on("email", _taken_message())
    old = user.email
    user.email, user.email_verified_at = new, utcnow()
    jobs.enqueue("accounts.tasks.email_address_changed", user.id, old)
    audit.record(user, "user", user.id, "change_email")
    try:
        db.session.commit()
    except IntegrityError:  # a registration or another change took it between the check and the commit
        db.session.rollback()
        raise FieldError.on("email", _taken_message()) from None
    return old


def sign_out_everywhere(user: User) -> None:
    """End every session and forget every remembered device of `user`, this one included."""
    require(user, "account.sign_out_everywhere")
    end_all_sessions(user)
    audit.record(user, "user", user.id, "sign_out_everywhere")
    db.session.commit()
