"""The platform's Ed25519 signing keys: key-1, key-2, ... (the last one signs; all stay listed).

Keys come from the configuration when CREDENTIAL_SIGNING_KEYS is set (the secret keys as
multibase `secretKeyMultibase` values, comma-separated, oldest first: key-1, key-2, ...), or
else from a JSON file in the instance folder (CREDENTIAL_KEYS_FILE, mode 600) created with one
key on first use. `flask credentials rotate-key` appends a key to that file; old keys are kept,
so credentials signed earlier still verify. Processes notice a rotation by the file's mtime.

A new key is published at once (DID document, Profile, JWKS) but signs only once it has been
published for PUBLISH_DELAY seconds, the time those documents may be cached: no verifier ever
meets a credential or status list signed by a key it cannot yet see. A key given in
CREDENTIAL_SIGNING_KEYS may carry the moment it was deployed (`<secret>@<ISO 8601 date>`) and then
signs PUBLISH_DELAY seconds after it; without one it signs at once.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app

from core.audit import as_utc, utcnow
from credentials import multibase


class KeyConfigError(RuntimeError):
    """The signing keys cannot be read or changed as asked."""


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair named key-N."""

    key_id: str
    private_key: Ed25519PrivateKey
    created: datetime | None = None  # None: usable at once (configured keys)

    @cached_property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @cached_property
    def public_key_multibase(self) -> str:
        raw = self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return multibase.public_key_multibase(raw)

    @property
    def secret_key_multibase(self) -> str:
        return multibase.encode_z(multibase.ED25519_PRIV + _seed(self.private_key))


def _seed(private_key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


PUBLISH_DELAY = 300  # seconds: how long the issuer's documents may be cached (credentials/issuer.py)


def key_from_multibase(key_id: str, secret: str, created: datetime | None = None) -> SigningKey:
    decoded = multibase.decode_z(secret.strip())
    if not decoded.startswith(multibase.ED25519_PRIV) or len(decoded) != 34:
        raise KeyConfigError(f"{key_id}: not an Ed25519 secretKeyMultibase value.")
    return SigningKey(key_id, Ed25519PrivateKey.from_private_bytes(decoded[2:]), created)


def _named(secrets: list[str], created: list[datetime | None] | None = None) -> list[SigningKey]:
    dates = created or [None] * len(secrets)
    return [key_from_multibase(f"key-{number}", secret, date)
            for number, (secret, date) in enumerate(zip(secrets, dates), start=1)]


def _parse_created(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return as_utc(moment)


def _keys_file() -> Path:
    return Path(current_app.config.get("CREDENTIAL_KEYS_FILE")
                or os.path.join(current_app.instance_path, "credential_keys.json"))


def _write_new_file(path: Path, secrets: list[str]) -> None:
    """Create the key file (mode 600) unless another process just did: the content is written to a
    private temporary file first and linked into place, so no process ever reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"keys": [{"secretKeyMultibase": s, "created": utcnow().isoformat()} for s in secrets]}, handle)
    try:
        os.link(temporary, path)  # fails if the file exists: the first process's key wins
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def _read_entries(path: Path) -> list[dict]:
    try:
        entries = json.loads(path.read_text())["keys"]
        if not all(isinstance(entry.get("secretKeyMultibase"), str) for entry in entries):
            raise ValueError("every key needs a secretKeyMultibase")
        return entries
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise KeyConfigError(f"Cannot read the signing keys in {path}: {error}") from error


def _read_file(path: Path) -> list[SigningKey]:
    entries = _read_entries(path)
    return _named([entry["secretKeyMultibase"] for entry in entries],
                  [_parse_created(entry.get("created")) for entry in entries])


def _new_secret() -> str:
    key = SigningKey("new", Ed25519PrivateKey.generate())
    return key.secret_key_multibase


def all_keys() -> list[SigningKey]:
    """Every key, oldest first (cached per process until the key file changes)."""
    configured = current_app.config.get("CREDENTIAL_SIGNING_KEYS")
    cache = current_app.extensions.setdefault("credential_keys", {})
    if configured:
        if "configured" not in cache:
            entries = [entry.strip().partition("@") for entry in configured.split(",") if entry.strip()]
            cache["configured"] = _named([secret for secret, _, _ in entries],
                                         [_parse_created(date) if date else None for _, _, date in entries])
        return cache["configured"]
    path = _keys_file()
    if not path.exists():
        _write_new_file(path, [_new_secret()])
    stamp = (str(path), path.stat().st_mtime_ns)
    if cache.get("stamp") != stamp:
        cache["keys"], cache["stamp"] = _read_file(path), stamp
    return cache["keys"]


def current_key(now: datetime | None = None) -> SigningKey:
    """The key that signs now: the newest one published for at least PUBLISH_DELAY seconds (the
    first key signs at once: there is nothing published before it)."""
    now = now or datetime.now(timezone.utc)
    every = all_keys()
    ready = [key for key in every if key.created is None or key.created <= now - timedelta(seconds=PUBLISH_DELAY)]
    return ready[-1] if ready else every[0]


def key_by_id(key_id: str) -> SigningKey | None:
    return next((key for key in all_keys() if key.key_id == key_id), None)


def rotate() -> SigningKey:
    """Add a new key (key-N+1) to the instance key file; earlier keys stay listed. It is published at
    once and signs PUBLISH_DELAY seconds later (current_key)."""
    if current_app.config.get("CREDENTIAL_SIGNING_KEYS"):
        raise KeyConfigError("Keys come from CREDENTIAL_SIGNING_KEYS: append a new secretKeyMultibase value "
                             "to it (comma-separated) to rotate.")
    path = _keys_file()
    if not path.exists():
        all_keys()  # creates key-1
    entries = _read_entries(path)
    entries.append({"secretKeyMultibase": _new_secret(), "created": utcnow().isoformat()})
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"keys": entries}, handle)
    os.replace(temporary, path)
    current_app.extensions.get("credential_keys", {}).pop("stamp", None)
    return all_keys()[-1]
