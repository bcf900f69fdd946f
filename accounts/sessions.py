"""Sessions: who is signed in, on which device, and how that ends.

- Signing in starts a new session: whatever the browser held before (a CSRF token planted by someone
  else, any other value) is dropped, so the session cookie and its CSRF token are new.
- The session names the member as "<id>.<session version>" (User.get_id); `end_all_sessions` raises
  the version, and every session signed in before is then unknown to the user loader.
- "Keep me signed in" gives the device a random token in a cookie of its own; only its SHA-256 is
  stored (RememberToken). Signing out deletes that device's token, `end_all_sessions` all of them, and
  a token expires after REMEMBER_DAYS. Flask-Login's own remember cookie (the user id with an HMAC,
  the same at every sign-in and valid after sign-out) is never set nor read.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select, update
from sqlalchemy.orm import undefer

from accounts import bp
from accounts.models import RememberToken, User
from core.audit import utcnow
from core.extensions import db, login_manager

REMEMBER_COOKIE = "chapterhouse_remember"
# Deferred facts about the member that most of their pages read, loaded with them in the user loader's one
# statement: the navigation's unread count, and those later packages append (mentoring: has mentorships).
LOADED_WITH_USER: list = [User.unread_notifications]
# Likewise for the member a portfolio (/u/<handle>) shows, in the statement that finds them.
LOADED_WITH_PROFILE: list = []


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The member a session names, if its session version is still current and they are not suspended."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id), options=[undefer(attr) for attr in LOADED_WITH_USER])
    if user is None or user.is_suspended or user.session_version != int(version):
        return None
    return user


@login_manager.request_loader
def load_from_remember_cookie(req) -> User | None:
    """No session: a valid "keep me signed in" token signs the device in again (a new session)."""
    raw = req.cookies.get(REMEMBER_COOKIE)
    if not raw:
        return None
    token = db.session.scalar(select(RememberToken).where(RememberToken.token_hash == _hash(raw),
                                                          RememberToken.expires_at > utcnow()))
    user = db.session.get(User, token.user_id) if token else None
    if user is None or user.is_suspended:
        g.forget_remember_cookie = True
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    session.clear()
    login_user(user)
    return user


def sign_in(user: User, remember: bool = False) -> None:
    """Start a new session for `user` (and, if asked, remember this device). Commits the token."""
    session.clear()
    login_user(user)
    if remember:
        raw = secrets.token_urlsafe(32)
        days = current_app.config["REMEMBER_DAYS"]
        db.session.add(RememberToken(user_id=user.id, token_hash=_hash(raw),
                                     expires_at=utcnow() + timedelta(days=days)))
        db.session.commit()
        g.new_remember_cookie = raw


def sign_out() -> None:
    """End this session and forget this device."""
    raw = request.cookies.get(REMEMBER_COOKIE)
    if raw:
        db.session.execute(delete(RememberToken).where(RememberToken.token_hash == _hash(raw)))
        db.session.commit()
    g.forget_remember_cookie = True
    logout_user()
    session.clear()


def end_all_sessions(user: User) -> None:
    """End every session and forget every device of `user` (the caller commits)."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))
    db.session.expire(user, ["session_version"])


@bp.after_app_request
def write_remember_cookie(response):
    config = current_app.config
    if getattr(g, "new_remember_cookie", None):
        response.set_cookie(REMEMBER_COOKIE, g.new_remember_cookie, max_age=config["REMEMBER_DAYS"] * 86400,
                            httponly=True, samesite="Lax", secure=config["PRODUCTION"])
    elif getattr(g, "forget_remember_cookie", False):
        response.delete_cookie(REMEMBER_COOKIE, httponly=True, samesite="Lax", secure=config["PRODUCTION"])
    return response
