"""Verifying a credential now: its Data Integrity proof, its VC-JWT, its issuer, its status.

`verify_credential(credential)` is what the public page shows. The cryptographic part depends
only on the stored documents (never rewritten) and on the key set, so it is cached in-process,
keyed by the credential's uuid and the key set; the revocation status is read live from the row.
`verify_documents(document, jwt)` checks any document (e.g. a downloaded, possibly tampered copy).
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from credentials import keys, signing, urls
from credentials.issuer import identities, key_for_method
from credentials.models import Credential

CACHE_SIZE = 10_000
_cache: OrderedDict[tuple, "ProofResult"] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class ProofResult:
    signature_ok: bool
    jwt_ok: bool
    issuer_ok: bool
    signature_detail: str = ""
    jwt_detail: str = ""


@dataclass(frozen=True)
class Check:
    """One line of the verification report: a label in the reader's language, passed or not."""

    label: str
    ok: bool


@dataclass(frozen=True)
class Verification:
    signature_ok: bool
    jwt_ok: bool
    issuer_ok: bool
    revoked: bool
    revoked_at: datetime | None = None
    reason: str | None = None
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.signature_ok and self.jwt_ok and self.issuer_ok and not self.revoked

    @property
    def checks(self) -> list[Check]:
        """Human checks, in the current language."""
        return [
            Check(_("The signature (Data Integrity proof, eddsa-rdfc-2022) is valid.") if self.signature_ok
                  else _("The signature (Data Integrity proof) is not valid."), self.signature_ok),
            Check(_("The VC-JWT version is validly signed and says the same.") if self.jwt_ok
                  else _("The VC-JWT version is not valid or does not match."), self.jwt_ok),
            Check(_("It was issued by this platform with one of its published keys.") if self.issuer_ok
                  else _("The issuer or its key is not this platform's."), self.issuer_ok),
            Check(_("It has not been revoked.") if not self.revoked else _("It was revoked."), not self.revoked),
        ]


def _public_key_for(method: str | None, among=None):
    key = key_for_method(method, among)
    return key.public_key if key else None


def _issuer_ok(document: dict) -> bool:
    """Issued by the platform, and signed with a key of the identity the credential names as issuer."""
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    proofs = signing.proofs_of(document)
    own = [identity for identity in identities() if identity[0] == issuer_id]
    return bool(own) and len(proofs) == 1 and _public_key_for(proofs[0].get("verificationMethod"), own) is not None


def verify_documents(document: dict, jwt: str | None) -> ProofResult:
    """Check a credential's proof, its VC-JWT (which must carry the same credential) and its issuer."""
    signature_ok, signature_detail = signing.check_proof(document, _public_key_for)
    jwt_ok, jwt_detail = False, "missing"
    if jwt:
        payload, jwt_detail = signing.decode_jwt(jwt, _public_key_for)
        jwt_ok = payload is not None and payload == signing.unsecured(document)
        if payload is not None and not jwt_ok:
            jwt_detail = "the JWT carries a different credential"
    return ProofResult(signature_ok, jwt_ok, _issuer_ok(document), signature_detail, jwt_detail)


def _key_set() -> tuple:
    return (urls.issuer_id(), urls.profile_url()) + tuple((key.key_id, key.public_key_multibase) for key in keys.all_keys())


def key_set_identity() -> str:
    """A short digest of the issuer id and every published key: changes when a key is added or withdrawn."""
    return hashlib.sha256(repr(_key_set()).encode()).hexdigest()[:16]


def _proof_result(credential: Credential) -> ProofResult:
    cache_key = (credential.uuid, _key_set())
    with _lock:
        result = _cache.get(cache_key)
        if result is not None:
            _cache.move_to_end(cache_key)
            return result
    try:
        document = json.loads(credential.document or "")
    except ValueError:
        document = None
    result = verify_documents(document, credential.jwt) if isinstance(document, dict) else \
        ProofResult(False, False, False, "not a JSON object")
    with _lock:
        _cache[cache_key] = result
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def verify_credential(credential: Credential) -> Verification:
    """The verification the public page shows: cached proof checks, live revocation status."""
    result = _proof_result(credential)
    return Verification(result.signature_ok, result.jwt_ok, result.issuer_ok, credential.is_revoked,
                        credential.revoked_at, credential.revocation_reason,
                        {"signature": result.signature_detail, "jwt": result.jwt_detail})
