"""Machine-readable credential routes: each credential as JSON-LD and as VC-JWT, and the revocation
status lists. (The issuer's documents are in credentials/issuer.py, human pages in page_views.py.)

Media types: a signed credential and a status list credential are served as `application/vc`,
the media type the W3C Verifiable Credentials Data Model 2.0 registers for a credential in its
JSON-LD compact form (earlier drafts called it application/vc+ld+json); the VC-JWT is
`application/vc+jwt` (registered by VC-JOSE-COSE). These documents are public:
`Access-Control-Allow-Origin: *` lets web verifiers fetch them. Unknown or malformed ids answer 404 (a JSON body for .json).
"""
from __future__ import annotations

import json
import uuid as uuid_module

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from core.extensions import db
from core.page_cache import cached_page
from credentials import bp
from credentials import status_list as status_list_module
from credentials.issuer import public_response
from credentials.models import Credential

VC_MEDIA_TYPE = "application/vc"
JWT_MEDIA_TYPE = "application/vc+jwt"


def parse_uuid(token: str) -> str:
    """The canonical form of a UUID in the URL, or 404."""
    try:
        return str(uuid_module.UUID(token))
    except ValueError:
        abort(404)


def credential_or_404(token: str, *columns) -> Credential:
    """The credential named by a UUID in the URL (its project loaded, for permission rules), or 404."""
    credential = db.session.scalar(select(Credential).where(Credential.uuid == parse_uuid(token))
                                   .options(joinedload(Credential.project, innerjoin=True),
                                            *(undefer(column) for column in columns)))
    if credential is None or credential.document is None:
        abort(404)
    return credential


@bp.route("/<token>.json")
@cached_page
def credential_json(token: str):
    credential = credential_or_404(token, Credential.document)
    return public_response(credential.document, VC_MEDIA_TYPE, max_age=3600)


@bp.route("/<token>.jwt")
@cached_page
def credential_jwt(token: str):
    credential = credential_or_404(token, Credential.document, Credential.jwt)
    return public_response(credential.jwt, JWT_MEDIA_TYPE, max_age=3600)


@bp.route("/status/<int:number>")
def status_list(number: int):
    if not status_list_module.list_exists(number):
        abort(404)
    document = status_list_module.status_list_credential(number)
    return public_response(json.dumps(document), VC_MEDIA_TYPE, max_age=0)

