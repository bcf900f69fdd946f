"""Sponsor organisations: the active ones and one organisation."""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort
from marshmallow import RAISE
from sqlalchemy import select

from api import bp, http, schemas
from core.authz import can
from core.extensions import db
from sponsors import queries
from sponsors.models import SponsorOrganisation


@bp.route("/sponsors", tags=["Sponsors"])
@http.public
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Sponsor(many=True),
             headers={"Link": {"description": "The next page: `<…>; rel=\"next\"`.", "schema": {"type": "string"}}})
@http.answers(400, "A cursor that is not ours.")
def sponsor_list(cursor: str | None = None, limit: int = 20):
    """Active sponsor organisations by name."""
    try:
        page = http.keyset_page(queries.directory_query(), (SponsorOrganisation.name, SponsorOrganisation.id),
                                lambda org: (org.name, org.id), (str, int), cursor, limit, descending=False)
    except http.BadCursor as error:
        abort(400, message=str(error))
    return http.paged(page, page.items)


@bp.route("/sponsors/<slug>", tags=["Sponsors"])
@http.public
@bp.response(200, schemas.Sponsor)
@http.answers(404, "No such organisation, or it is not public.")
def sponsor_detail(slug: str):
    """One sponsor organisation."""
    org = db.session.scalar(select(SponsorOrganisation).where(SponsorOrganisation.slug == slug[:80].lower()))
    if org is None or not can(current_user, "sponsor.view", org):
        abort(404, message="No such organisation.")
    return org
