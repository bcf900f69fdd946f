"""Chapters: the active ones, searchable as on /chapters/, and one chapter."""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import undefer

from api import bp, http, schemas
from chapters import queries
from chapters.models import Chapter
from core.authz import can
from core.extensions import db


@bp.route("/chapters", tags=["Chapters"])
@http.public
@bp.arguments(schemas.ChapterFilters, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Chapter(many=True),
             headers={"Link": {"description": "The next page: `<…>; rel=\"next\"`.", "schema": {"type": "string"}}})
@http.answers(400, "A cursor that is not ours.")
def chapter_list(cursor: str | None = None, limit: int = 20, **filters):
    """Active chapters by name, matching the name, city and country given."""
    try:
        page = http.keyset_page(queries.active_query(**filters), (Chapter.name, Chapter.id),
                                lambda chapter: (chapter.name, chapter.id), (str, int), cursor, limit,
                                descending=False)
    except http.BadCursor as error:
        abort(400, message=str(error))
    return http.paged(page, page.items)


@bp.route("/chapters/<slug>", tags=["Chapters"])
@http.public
@bp.response(200, schemas.Chapter)
@http.answers(404, "No such chapter, or it is still pending.")
def chapter_detail(slug: str):
    """One chapter with its member count."""
    chapter = db.session.scalar(select(Chapter).options(undefer(Chapter.member_count))
                                .where(Chapter.slug == slug[:80].lower()))
    if chapter is None or not can(current_user, "chapter.view", chapter):
        abort(404, message="No such chapter.")
    return chapter
