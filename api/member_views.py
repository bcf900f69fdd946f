"""Members' public profiles with their credentials, and the business-skills framework."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import User
from api import bp, http, schemas
from core import vocabularies
from core.authz import can
from core.extensions import db
from credentials import queries as credential_queries


@bp.route("/members/<handle>", tags=["Members"])
@http.public
@bp.response(200, schemas.Member)
@http.answers(404, "No such member, or their profile is hidden.")
def member_detail(handle: str):
    """A member's public profile and their credentials (valid ones first, the latest 20)."""
    user = db.session.scalar(select(User).options(selectinload(User.skills)).where(User.handle == handle[:30].lower()))
    if user is None or user.deleted_at is not None or not can(current_user, "user.view_profile", user):
        abort(404, message="No such member.")
    credentials = credential_queries.of_recipient(user, page=1).items
    for credential in credentials:
        credential.url = url_for("credentials.credential_json", token=credential.uuid, _external=True)
    user.credentials = credentials
    return user


@bp.route("/framework", tags=["Members"])
@http.public
@bp.response(200, schemas.Competency(many=True))
def framework():
    """The business-skills framework: every competency a project may practise and a credential may show."""
    return [{"code": code, "label": label, "group": group}
            for group, members in vocabularies.grouped("competency") for code, label in members]
