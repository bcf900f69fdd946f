"""Revocation status: W3C Bitstring Status List v1.0.

Credential row id N sits in list (N-1) // LIST_SIZE + 1 at index (N-1) % LIST_SIZE, so the
place never needs storing. The list credential (BitstringStatusListCredential, signed with
the same eddsa-rdfc-2022 proof) is built from the database when asked for: its bits are the
revoked credentials of that range, `encodedList` is the multibase base64url ('u', no padding)
of the GZIP of the 131,072-bit bitstring (index 0 = the most significant bit of the first byte).
Its validFrom and proof date are the latest revocation in the list (or the list's first
issuance), so the same state gives the same document; signed documents are cached per process
keyed by the exact state (list number, revoked ids, signing key), which is exact invalidation.
"""
from __future__ import annotations

import gzip
from datetime import datetime, timezone

from sqlalchemy import and_, select

from core.extensions import db
from credentials import keys, multibase, urls
from credentials.contexts import VC_V2
from credentials.models import Credential
from credentials.signing import add_proof

LIST_SIZE = 131_072  # bits: the minimum the specification asks for (16 KB), for herd privacy
PURPOSE = "revocation"
_cache: dict[int, tuple[tuple, dict]] = {}


def place(credential_id: int) -> tuple[int, int]:
    """(list number, index) of a credential row id."""
    return (credential_id - 1) // LIST_SIZE + 1, (credential_id - 1) % LIST_SIZE


def entry(credential_id: int) -> dict:
    """The credential's `credentialStatus`."""
    number, index = place(credential_id)
    list_url = urls.status_list_url(number)
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": PURPOSE,
            "statusListIndex": str(index), "statusListCredential": list_url}


def encode(indexes) -> str:
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase.encode_u(gzip.compress(bytes(bits), mtime=0))


def decode(encoded_list: str) -> bytes:
    return gzip.decompress(multibase.decode_u(encoded_list))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def _range(number: int):
    first = (number - 1) * LIST_SIZE + 1
    return and_(Credential.id >= first, Credential.id < first + LIST_SIZE)


def first_issued(number: int) -> datetime | None:
    """When the list's first credential was issued (None: the list has no credential yet).
    Both this and the revoked rows below are index look-ups, never a scan of the documents."""
    if number < 1:
        return None
    return db.session.scalar(select(Credential.issued_at).where(_range(number)).order_by(Credential.id).limit(1))


def list_exists(number: int) -> bool:
    return first_issued(number) is not None


def _state(number: int) -> tuple[list[tuple[int, datetime]], datetime | None]:
    # Only the revoked_at index is offered to the planner (an id range would make SQLite walk the
    # table's rows, documents included); revocations are few, the list's range is picked here.
    first = (number - 1) * LIST_SIZE + 1
    revoked = sorted((row_id, at) for row_id, at in db.session.execute(
        select(Credential.id, Credential.revoked_at).where(Credential.revoked_at.is_not(None)))
        if first <= row_id < first + LIST_SIZE)
    return revoked, first_issued(number)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def status_list_credential(number: int) -> dict:
    """The signed BitstringStatusListCredential of list `number` (which must exist)."""
    revoked, first_issued = _state(number)
    key = keys.current_key()
    list_url = urls.status_list_url(number)
    state = (list_url, urls.issuer_id(), tuple(revoked), first_issued, key.key_id, key.public_key_multibase)
    cached = _cache.get(number)
    if cached and cached[0] == state:
        return cached[1]
    moments = [_aware(at) for _, at in revoked] or [_aware(first_issued or datetime.now(timezone.utc))]
    valid_from = max(moments).replace(microsecond=0)
    document = {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.issuer_id(),
        "validFrom": valid_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(place(row_id)[1] for row_id, _ in revoked),
        },
    }
    signed = add_proof(document, key.private_key, urls.verification_method(key.key_id), valid_from)
    _cache[number] = (state, signed)
    return signed
