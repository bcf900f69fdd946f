"""Account services: registration, sign-in checks, profiles, admin actions."""
from __future__ import annotations

import re
import secrets
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.models import Skill, User
from accounts.passwords import password_problem
from accounts.skill_catalogue import CATALOGUE
from accounts.sessions import end_all_sessions
from core import audit, images, jobs
from core.audit import utcnow
from core.authz import require
from core.errors import DomainError, FieldError
from core.extensions import db

# Compared against when the email is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash("not a real password")


def skill_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9+#.]+", "-", ascii_name.lower()).strip("-") or name.casefold()


# The catalogue's skills by the slug of their French name (the English slug is the code itself).
_CODE_OF_FRENCH = {skill_slug(french): code for code, (_, french) in CATALOGUE.items()}


def skills_named(names: list[str]) -> list[Skill]:
    """The Skill rows for `names`, typed in English or French, creating the missing ones (one query for the
    existing). A name matches a skill's code, or the slug of its French name; a catalogue skill not stored yet
    is created under its code with both its names; any other under the slug of the name typed."""
    wanted: dict[str, str] = {}  # the slug typed → the name typed
    for name in names[:30]:
        name = name[:60]
        wanted.setdefault(skill_slug(name)[:60], name)
    if not wanted:
        return []
    codes = {typed: typed if typed in CATALOGUE else _CODE_OF_FRENCH.get(typed, typed) for typed in wanted}
    found = list(db.session.scalars(select(Skill).where(
        or_(Skill.slug.in_(set(codes.values())), Skill.slug_fr.in_(list(wanted))))))
    by_code = {skill.slug: skill for skill in found}
    by_french = {skill.slug_fr: skill for skill in found if skill.slug_fr}
    chosen: dict[int | str, Skill] = {}
    for typed, name in wanted.items():
        skill = by_code.get(codes[typed]) or by_french.get(typed)
        if skill is None:
            code = codes[typed]
            if code in CATALOGUE:
                english, french = CATALOGUE[code]
                skill = Skill(slug=code, name=english, name_fr=french, slug_fr=skill_slug(french)[:60])
            else:
                skill = Skill(slug=code, name=name)
            db.session.add(skill)
            by_code[code] = skill
        chosen.setdefault(id(skill), skill)  # "Python" and "python" typed twice: one skill
    return list(chosen.values())


def _ensure_unique(email: str, handle: str) -> None:
    def taken(column, value):
        return db.session.scalar(select(User.id).where(column == value)) is not None

    errors = {}
    if email and taken(User.email, email.lower()):
        errors["email"] = _("An account with this email already exists. Sign in instead?")
    if handle and taken(User.handle, handle.lower()):
        errors["handle"] = _("This handle is taken. Please choose another.")
    if errors:
        raise FieldError(errors)


def register_user(*, name: str, handle: str, email: str, password: str, city: str = "",
                  country: str = "", skills: list[str] = (), locale: str | None = None,
                  is_admin: bool = False) -> User:
    """Create an account (the create-admin command, the demo seeder); a taken email or handle is a FieldError.
    The operator typed the address, so it counts as verified; members registering from the form verify theirs."""
    _ensure_unique(email, handle)
    user = User(name=name, handle=handle.lower(), email=email.lower(),
                password_hash=generate_password_hash(password), city=city, country=country,
                locale=locale, is_admin=is_admin, skills=skills_named(list(skills)), email_verified_at=utcnow())
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent registration took the email or handle
        db.session.rollback()
        _ensure_unique(email, handle)
        raise
    return user


def register_member(*, name: str, handle: str, email: str, password: str, city: str = "", country: str = "",
                    skills: list[str] = (), locale: str | None = None) -> None:
    """Registration from the form. It answers the same way whether or not the email has an account, so the
    form cannot tell who is registered: a new address gets its account and a welcome email, a known one an
    email to its owner saying someone tried (and nothing else). Only a taken handle, which is public
    anyway, is refused next to its field."""
    email = email.strip().lower()
    password_hash = generate_password_hash(password)  # in both cases: both answers take as long
    owner = db.session.scalar(select(User.id).where(User.email == email))
    if owner is None:
        if db.session.scalar(select(User.id).where(User.handle == handle.lower())) is not None:
            raise FieldError.on("handle", _("This handle is taken. Please choose another."))
        user = User(name=name, handle=handle.lower(), email=email, password_hash=password_hash, city=city,
                    country=country, locale=locale, skills=skills_named(list(skills)))
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # a concurrent registration took the email or the handle
            db.session.rollback()
            owner = db.session.scalar(select(User.id).where(User.email == email))
            if owner is None:
                raise FieldError.on("handle", _("This handle is taken. Please choose another.")) from None
        else:
            jobs.enqueue("accounts.tasks.email_welcome", user.id)
    if owner is not None:
        jobs.enqueue("accounts.tasks.email_registration_attempt", owner, secrets.token_hex(8))
    db.session.commit()


def authenticate(email: str, password: str) -> User:
    """The user with these credentials; the same error for an unknown email and a wrong password."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not password_ok:
        raise FieldError({"password": _("Email or password is incorrect.")})
    if user.is_suspended:
        raise FieldError({"email": _("This account is suspended. Contact the platform administrators.")})
    return user


def update_profile(user: User, *, name: str, city: str, country: str, skills: list[str],
                   bio: str, locale: str, profile_hidden: bool, avatar=None, remove_avatar: bool = False) -> User:
    files = images.accept(avatar, images.AVATAR, "avatar")
    user.name, user.city, user.country, user.bio = name, city, country, bio or ""
    user.locale, user.profile_hidden = locale, profile_hidden
    user.skills = skills_named(skills)
    with images.Replacement(user, "avatar", files, remove=remove_avatar):
        db.session.commit()
    return user


def set_suspended(target: User, actor: User, suspended: bool, reason: str | None = None) -> None:
    """Suspend (with a reason, kept in the audit log) or reinstate an account (admins only, never oneself)."""
    require(actor, "user.suspend", target)
    reason = (reason or "").strip() or None
    if suspended and not target.is_suspended and reason is None:
        raise FieldError.on("reason", _("Please give a reason."))
    before = "suspended" if target.is_suspended else "active"
    target.suspended_at = utcnow() if suspended else None
    if suspended:
        end_all_sessions(target)
    after = "suspended" if suspended else "active"
    if before != after:
        audit.record(actor, "user", target.id, "suspend" if suspended else "reinstate", before, after, reason)
    db.session.commit()


def make_admin(email: str, *, name: str | None = None, handle: str | None = None,
               password: str | None = None) -> tuple[User, bool]:
    """Promote the account with `email` to admin, or create it; returns (user, created)."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user:
        user.is_admin = True
        db.session.commit()
        return user, False
    problem = password_problem(password or "", email=email, handle=handle or "", name=name or "")
    if problem:
        raise DomainError(problem)
    handle = handle or re.sub(r"[^a-z0-9_-]", "", email.split("@")[0].lower())[:30] or "admin"
    user = register_user(name=name or handle, handle=handle, email=email, password=password, is_admin=True)
    return user, True
