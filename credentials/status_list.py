"""Revocation status: W3C Bitstring Status List v1.0.

Each credential has a place in a list: (`status_list_number`, `status_list_index`), stored on its row.
A new credential takes a random free index (`secrets`) in the newest list that is not full, so the
list says nothing about the order of issuance; a full list starts the next one. The database's
unique constraint on the place means two issuers never share a slot (the loser draws again).
Credentials issued before migration 0012 keep the place once derived from their row id.

The list credential (BitstringStatusListCredential, signed with the same eddsa-rdfc-2022 proof) is
built from the database when asked for: its bits are the revoked credentials of that list,
`encodedList` is the multibase base64url ('u', no padding) of the GZIP of the bitstring (at least
131,072 bits; index 0 = the most significant bit of the first byte). Its validFrom and proof date are
the latest revocation in the list (or the list's first issuance), so the same state gives the same
document; signed documents are cached per process keyed by the exact state (list number, revoked
indexes, signing key), which is exact invalidation.
"""
from __future__ import annotations

import gzip
import secrets
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import func, select

from core.audit import as_utc
from core.extensions import db
from credentials import keys, multibase, urls
from credentials.contexts import VC_V2
from credentials.models import Credential
from credentials.signing import add_proof

LIST_SIZE = 131_072  # bits: the minimum the specification asks for (16 KB), for herd privacy
PURPOSE = "revocation"
RANDOM_DRAWS = 16  # random tries before choosing among the free slots listed (a nearly full list)
_cache: dict[int, tuple[tuple, dict]] = {}


def list_size() -> int:
    """Entries per list: CREDENTIAL_STATUS_LIST_SIZE, never below LIST_SIZE outside the tests."""
    size = int(current_app.config.get("CREDENTIAL_STATUS_LIST_SIZE") or LIST_SIZE)
    return size if current_app.testing else max(size, LIST_SIZE)


def place_of_row_id(credential_id: int) -> tuple[int, int]:
    """(list number, index) that a credential issued before random places had: derived from its row id."""
    return (credential_id - 1) // LIST_SIZE + 1, (credential_id - 1) % LIST_SIZE


def place(credential: Credential) -> tuple[int, int]:
    """(list number, index) of a credential."""
    return credential.status_list_number, credential.status_list_index


def open_list() -> tuple[int, int]:
    """(number, credentials in it) of the list new credentials go to: the newest, or the next when it is full."""
    number = db.session.scalar(select(func.max(Credential.status_list_number))) or 1
    used = db.session.scalar(select(func.count()).select_from(Credential)
                             .where(Credential.status_list_number == number))
    return (number + 1, 0) if used >= list_size() else (number, used)


def _taken(number: int, index: int) -> bool:
    return db.session.scalar(select(Credential.id).where(Credential.status_list_number == number,
                                                         Credential.status_list_index == index)) is not None


def free_place() -> tuple[int, int]:
    """A random free (list number, index) for a new credential (chosen with `secrets`).

    Free when read: the caller inserts it under the unique constraint and draws again if another
    issuer took it meanwhile. A nearly full list is drawn from its free slots, listed once.
    """
    number, _ = open_list()
    size = list_size()
    for _ in range(RANDOM_DRAWS):
        index = secrets.randbelow(size)
        if not _taken(number, index):
            return number, index
    used = set(db.session.scalars(select(Credential.status_list_index)
                                  .where(Credential.status_list_number == number)))
    free = [index for index in range(size) if index not in used]
    return (number, secrets.choice(free)) if free else (number + 1, secrets.randbelow(size))


def random_places(count: int, rng, first_list: int = 1) -> list[tuple[int, int]]:
    """`count` distinct places in bulk (seed-scale): lists filled one after the other, random
    indexes in each, drawn with `rng`."""
    size, places, number = list_size(), [], first_list
    while len(places) < count:
        take = min(size, count - len(places))
        places.extend((number, index) for index in rng.sample(range(size), take))
        number += 1
    return places


def entry(number: int, index: int) -> dict:
    """The `credentialStatus` of the credential at `index` in list `number`."""
    list_url = urls.status_list_url(number)
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": PURPOSE,
            "statusListIndex": str(index), "statusListCredential": list_url}


def encode(indexes, size: int = LIST_SIZE) -> str:
    bits = bytearray(max(size, LIST_SIZE) // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase.encode_u(gzip.compress(bytes(bits), mtime=0))


def decode(encoded_list: str) -> bytes:
    return gzip.decompress(multibase.decode_u(encoded_list))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def first_issued(number: int) -> datetime | None:
    """When the list's first credential was issued (None: the list has no credential yet).
    Both this and the revoked rows below are index look-ups, never a scan of the documents."""
    if number < 1:
        return None
    return db.session.scalar(select(Credential.issued_at).where(Credential.status_list_number == number)
                             .order_by(Credential.id).limit(1))


def list_exists(number: int) -> bool:
    return first_issued(number) is not None


def _state(number: int) -> tuple[list[tuple[int, datetime]], datetime | None]:
    # Only the revoked_at index is offered to the planner (a list condition would make SQLite walk the
    # table's rows, documents included); revocations are few, the list's own are picked here.
    revoked = sorted((index, at) for list_number, index, at in db.session.execute(
        select(Credential.status_list_number, Credential.status_list_index, Credential.revoked_at)
        .where(Credential.revoked_at.is_not(None)))
        if list_number == number)
    return revoked, first_issued(number)


def status_list_credential(number: int) -> dict:
    """The signed BitstringStatusListCredential of list `number` (which must exist)."""
    revoked, first_issued = _state(number)
    key = keys.current_key()
    list_url = urls.status_list_url(number)
    state = (list_url, urls.issuer_id(), tuple(revoked), first_issued, list_size(), key.key_id,
             key.public_key_multibase)
    cached = _cache.get(number)
    if cached and cached[0] == state:
        return cached[1]
    moments = [as_utc(at) for _, at in revoked] or [as_utc(first_issued or datetime.now(timezone.utc))]
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
            "encodedList": encode((index for index, _ in revoked), list_size()),
        },
    }
    signed = add_proof(document, key.private_key, urls.verification_method(key.key_id), valid_from)
    _cache[number] = (state, signed)
    return signed
