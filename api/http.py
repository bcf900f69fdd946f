"""HTTP done right for the API: RFC 9457 problems, cursor pagination with Link headers, ETags from the
page cache's table versions, and CORS on public reads."""
from __future__ import annotations

import base64
import functools
import hashlib
import json
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Sequence
from urllib.parse import urlencode

from flask import current_app, jsonify, make_response, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import tuple_
from werkzeug.exceptions import HTTPException

from core import page_cache
from core.authz import EmailNotVerified
from core.errors import DomainError, FieldError
from core.errors import _message as core_message
from core.extensions import cache, db

from api import PROBLEM


def _titles() -> dict[int, str]:
    return {400: _("Bad request"), 401: _("Authentication required"), 403: _("Not allowed"),
            404: _("Not found"), 405: _("Method not allowed"), 406: _("Not acceptable"), 409: _("Conflict"),
            413: _("Too large"), 415: _("Unsupported media type"), 422: _("Invalid input"),
            429: _("Too many requests")}


def problem(status: int, detail: str | None = None, *, errors: Any = None, headers: dict | None = None):
    """An `application/problem+json` response (RFC 9457): type, title, status, detail and, for invalid
    input, `errors` by location and field."""
    body = {"type": "about:blank", "title": _titles().get(status, _("Something went wrong")), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def answers(status: int, description: str):
    """Document that the operation may answer `status` with a problem."""
    from api import bp
    from api.schemas import ProblemSchema
    return bp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM, description=description)


RATE_LIMITED = {"429": {"description": "Too many calls with this token (or from this address without one).",
                        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}}


def document(view: Callable, responses: dict, parameters: list | None = None) -> None:
    """Add `responses` (and header `parameters`, next to the query's) to the view's OpenAPI operation."""
    apidoc = view.__dict__.get("_apidoc") or {}
    view._apidoc = apidoc = deepcopy(apidoc)
    manual = apidoc.setdefault("manual_doc", {})
    manual.setdefault("responses", {}).update(responses)
    if parameters:
        apidoc.setdefault("extra_parameters", []).extend(parameters)


def answer_error(error: Exception):
    """Every error under /api/ as a problem (registered with core.errors.answer_errors_under)."""
    if isinstance(error, FieldError):
        return problem(422, error.message, errors={"json": {field: [str(message)]
                                                            for field, message in error.errors.items()}})
    if isinstance(error, DomainError):
        return problem(error.status, error.message)
    if isinstance(error, EmailNotVerified):
        return problem(403, _("Verify your email address first: open the link we sent you, or ask for a new one "
                              "on your account page."))
    if isinstance(error, CSRFError):
        return problem(400, error.description)
    if isinstance(error, HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("messages") or data.get("errors")
        detail = data.get("message") or (core_message(error.code) if error.code in (403, 404, 405, 413, 429)
                                         else error.description if error.code != 500 else None)
        headers = dict(data.get("headers") or {})
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem(error.code or 500, detail, errors=errors, headers=headers)
    return problem(500, _("An unexpected error happened on our side. It has been logged; please try again later."))


# ---- Cursor pagination: the last row's sort key, opaque to clients ----

class BadCursor(ValueError):
    pass


def encode_cursor(values: Sequence) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[type]) -> list:
    """The sort key a cursor carries, each value checked against `kinds` (int, str or datetime)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        decoded = []
        for value, kind in zip(values, kinds):
            if kind is datetime:
                value = datetime.fromisoformat(value)
            elif kind is int and (type(value) is not int or abs(value) > 2**62):
                raise ValueError
            elif kind is str and type(value) is not str:
                raise ValueError
            decoded.append(value)
        return decoded
    except (ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError):
        raise BadCursor(_("This cursor is not one we gave: start again from the first page.")) from None


@dataclass
class Page:
    items: list
    next_cursor: str | None


def keyset_page(query, columns: Sequence, key: Callable[[Any], Sequence], kinds: Sequence[type],
                cursor: str | None, limit: int, descending: bool = True) -> Page:
    """One page of `query` ordered by `columns` (all descending, or all ascending), after `cursor`:
    one statement, whatever the page's depth (no OFFSET)."""
    if cursor:
        after = decode_cursor(cursor, kinds)
        if descending:
            query = query.where(tuple_(*columns) < tuple_(*after))
        else:
            query = query.where(tuple_(*columns) > tuple_(*after))
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(key(rows[-1])) if more and rows else None)


def paged(page: Page, data: Any):
    """The page's data with its Link header (rel="next") when there is more."""
    headers = {}
    if page.next_cursor:
        args = request.args.to_dict()
        args["cursor"] = page.next_cursor
        headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    return data, 200, headers


# ---- Public reads: CORS and exact ETags ----

@dataclass(frozen=True)
class Known:
    """What a public read answered last: the tables it read with their versions, its ETag and, for visitors
    (who all see the same thing), the answer itself."""

    versions: tuple[tuple[str, int], ...]
    etag: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def fresh(self, current: dict[str, int]) -> bool:
        return all(current.get(name, 0) == version for name, version in self.versions)


def public(view: Callable) -> Callable:
    """A read anyone may make from any site (CORS), with an ETag that If-None-Match answers with 304.

    The ETag is the body's hash. The tables the view read are remembered with their versions (core/page_cache):
    while none changed, a request with that ETag gets its 304 before the view runs, and a visitor without a
    token gets the stored answer, each at the cost of one statement; any write to one of those tables makes
    the next request read afresh."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        cached = current_app.config.get("PAGE_CACHE", True) and page_cache.versions_kept()
        visitor = not current_user.is_authenticated
        key = f"api:{getattr(current_user, 'id', '-')}:{get_locale()}:{request.full_path}"
        versions = page_cache.current_versions() if cached else {}
        known = cache.get(key) if cached else None
        if known is not None and known.fresh(versions):
            if request.if_none_match.contains_weak(known.etag):
                return _not_modified(known.etag)
            if known.body is not None:
                return current_app.response_class(known.body, status=200, headers=list(known.headers))
        with page_cache.reading_tables() as reads:
            response = make_response(view(*args, **kwargs))
        if response.status_code != 200:
            return response
        etag = hashlib.sha256(response.get_data()).hexdigest()[:32]
        response.set_etag(etag)
        if cached:
            kept = tuple(sorted((name, versions.get(name, 0)) for name in reads))
            shared = visitor and "Set-Cookie" not in response.headers
            cache.set(key, Known(kept, etag, tuple((k, v) for k, v in response.headers.items() if k != "Content-Length")
                                 if shared else (), response.get_data() if shared else None))
        if request.if_none_match.contains_weak(etag):  # If-None-Match compares weakly (RFC 9110)
            return _not_modified(etag)
        return response

    wrapper.api_public = True
    document(wrapper, {"304": {"description": "Not modified: the ETag sent in If-None-Match is current."},
                       **RATE_LIMITED},
             [{"in": "header", "name": "If-None-Match", "required": False, "schema": {"type": "string"},
               "description": "An ETag this operation returned: 304 while it is current."}])
    return wrapper


def _not_modified(etag: str):
    response = current_app.response_class(status=304)
    response.set_etag(etag)
    return response


def add_cors(response):
    """Public reads are open to scripts of any site; nothing else is (no credentials either way)."""
    if _public_endpoint():
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            response.headers["Access-Control-Max-Age"] = "600"
    return response


def add_vary(response):
    """What an API answer depends on besides its address: the token (whose member may see more, in their
    language) and the browser's languages (problems and labels are translated). Never the cookies: the API
    reads none, so a browser's session cannot change an answer and caches need not key on it."""
    response.vary.update(("Authorization", "Accept-Language"))
    return response


def _public_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view and getattr(view, "api_public", False))
