"""What the platform publishes about itself as an issuer, for wallets and verifiers to fetch.

- The did:web DID document (at the path did:web prescribes for BASE_URL): every key as a Multikey,
  all usable for assertions. New credentials, their status lists and their JWTs name these keys.
- The issuer Profile at `/credentials/issuer`: name, url, description, image and email, and the keys
  of credentials issued before did:web (`…/credentials/issuer#key-N`), which keep verifying.
- Each key alone at a URL without a fragment (`/credentials/issuer/keys/key-N`), for loaders that
  cannot send a fragment, and every key as a JWK (`/.well-known/jwks.json`) for JOSE verifiers.

All of these are public, cross-origin readable and cached for PUBLISH_MAX_AGE seconds; a new key
signs only once every cache can have seen it (credentials/keys.py, `current_key`).
"""
from __future__ import annotations

import base64
import json
from typing import Callable

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Blueprint, abort, current_app

from credentials import bp, keys, urls
from credentials.badge import issuer_logo_png
from credentials.contexts import DID_V1, MULTIKEY_V1, OB_V3

# Blueprint for the addresses outside /credentials/ that other software looks up by convention.
well_known = Blueprint("well_known", __name__)

PUBLISH_MAX_AGE = keys.PUBLISH_DELAY
LD_MEDIA_TYPE = "application/ld+json"
DID_MEDIA_TYPE = "application/did+ld+json"


def public_response(body: str | bytes, media_type: str, max_age: int = PUBLISH_MAX_AGE):
    response = current_app.response_class(body, mimetype=media_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


def multikey(key: keys.SigningKey, method_id: str, controller: str) -> dict:
    return {"id": method_id, "type": "Multikey", "controller": controller,
            "publicKeyMultibase": key.public_key_multibase}


def jwk(key: keys.SigningKey) -> dict:
    """The public key as an OKP JWK (RFC 8037), named by its verification method in the DID document."""
    raw = key.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
            "kid": urls.verification_method(key.key_id), "alg": "EdDSA", "use": "sig"}


def identities() -> list[tuple[str, Callable[[str], str]]]:
    """(issuer id, key id → verification method) of each identity the platform signs or signed under:
    its did:web DID, and the https Profile of credentials issued before it."""
    return [(urls.issuer_id(), urls.verification_method), (urls.profile_url(), urls.legacy_verification_method)]


def key_for_method(method: str | None, among=None) -> keys.SigningKey | None:
    """The platform's key that a verification method names (in any identity, or only `among` them)."""
    for _issuer, method_of in among or identities():
        for key in keys.all_keys():
            if method_of(key.key_id) == method:
                return key
    return None


def did_document() -> dict:
    did = urls.issuer_id()
    methods = [multikey(key, urls.verification_method(key.key_id), did) for key in keys.all_keys()]
    return {"@context": [DID_V1, MULTIKEY_V1], "id": did, "alsoKnownAs": [urls.profile_url()],
            "verificationMethod": methods, "assertionMethod": [method["id"] for method in methods]}


def issuer_summary() -> dict:
    """The issuer as new credentials embed it: its DID with the Profile's human fields."""
    config = current_app.config
    profile = {"id": urls.issuer_id(), "type": ["Profile"], "name": config["CREDENTIAL_ISSUER_NAME"],
               "url": config["BASE_URL"], "description": config["CREDENTIAL_ISSUER_DESCRIPTION"],
               "image": {"id": urls.absolute("credentials.issuer_logo"), "type": "Image",
                         "caption": config["CREDENTIAL_ISSUER_NAME"]}}
    if config["CREDENTIAL_ISSUER_EMAIL"]:
        profile["email"] = config["CREDENTIAL_ISSUER_EMAIL"]
    return profile


def profile_document() -> dict:
    """The issuer Profile at its https URL, and the controller document of the keys that credentials
    issued before did:web name (`<profile>#key-N`), plus each key's fragment-free URL."""
    profile_id = urls.profile_url()
    methods = [multikey(key, urls.legacy_verification_method(key.key_id), profile_id)
               for key in keys.all_keys()]
    summary = issuer_summary()
    return {"@context": [DID_V1, MULTIKEY_V1, OB_V3], **summary, "id": profile_id,
            "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]
            + [urls.key_url(key.key_id) for key in keys.all_keys()]}


def did_document_response():
    return public_response(json.dumps(did_document(), indent=2), DID_MEDIA_TYPE)


@well_known.route("/.well-known/did.json")
def did_json_at_root():
    if urls.did_document_path(current_app.config["BASE_URL"]) != "/.well-known/did.json":
        abort(404)
    return did_document_response()


@well_known.route("/did.json")
def did_json_under_path():
    """did:web for a site under a path (https://host/community → did:web:host:community) is
    resolved at <BASE_URL>/did.json."""
    if urls.did_document_path(current_app.config["BASE_URL"]) != "/did.json":
        abort(404)
    return did_document_response()


@well_known.route("/.well-known/jwks.json")
def jwks():
    return public_response(json.dumps({"keys": [jwk(key) for key in keys.all_keys()]}, indent=2),
                           "application/jwk-set+json")


@bp.route("/issuer")
def issuer():
    return public_response(json.dumps(profile_document(), indent=2), LD_MEDIA_TYPE)


@bp.route("/issuer/keys/<key_id>")
def issuer_key(key_id: str):
    key = keys.key_by_id(key_id)
    if key is None:
        abort(404)
    document = {"@context": MULTIKEY_V1, **multikey(key, urls.key_url(key.key_id), urls.profile_url())}
    return public_response(json.dumps(document, indent=2), LD_MEDIA_TYPE)


@bp.route("/issuer/logo.png")
def issuer_logo():
    response = public_response(issuer_logo_png(current_app.config["CREDENTIAL_ISSUER_NAME"]), "image/png",
                               max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
