"""Signing keys: generated once into the instance folder (mode 600) or configured; rotation keeps old keys
and a new key signs only once the documents that publish it may no longer be cached."""
import json
import os
import stat
from datetime import datetime, timedelta, timezone

import pytest

from credentials import keys
from credentials.keys import KeyConfigError


def test_first_use_generates_one_key_in_a_private_file(app):
    path = app.config["CREDENTIAL_KEYS_FILE"]
    assert not os.path.exists(path)
    first = keys.current_key()
    assert first.key_id == "key-1" and first.public_key_multibase.startswith("z6Mk")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keys.current_key().public_key_multibase == first.public_key_multibase  # the same key next time


def test_rotation_adds_a_key_and_keeps_the_old_ones(app, runner):
    first = keys.current_key()
    result = runner.invoke(args=["credentials", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert [k.key_id for k in keys.all_keys()] == ["key-1", "key-2"]
    assert keys.all_keys()[0].public_key_multibase == first.public_key_multibase
    assert stat.S_IMODE(os.stat(app.config["CREDENTIAL_KEYS_FILE"]).st_mode) == 0o600
    listed = runner.invoke(args=["credentials", "list-keys"])
    assert "key-1" in listed.output and "key-2" in listed.output


def test_a_new_key_signs_only_after_the_published_documents_expire(app, client):
    """Rotation publishes the key at once but keeps signing with the old one for PUBLISH_DELAY seconds, the
    max-age of the DID document: a verifier holding a cached copy never meets a key it cannot see."""
    keys.current_key()
    key_2 = keys.rotate()
    did_document = client.get("/.well-known/did.json")
    assert did_document.headers["Cache-Control"] == f"public, max-age={keys.PUBLISH_DELAY}"
    assert [m["id"][-5:] for m in json.loads(did_document.data)["verificationMethod"]] == ["key-1", "key-2"]
    now = datetime.now(timezone.utc)
    assert keys.current_key(now).key_id == "key-1"
    assert keys.current_key(now + timedelta(seconds=keys.PUBLISH_DELAY - 5)).key_id == "key-1"
    assert keys.current_key(key_2.created + timedelta(seconds=keys.PUBLISH_DELAY)).key_id == "key-2"


def age_newest_key(app, seconds: int = keys.PUBLISH_DELAY + 1) -> None:
    """Pretend the newest key in the key file was added `seconds` ago."""
    path = app.config["CREDENTIAL_KEYS_FILE"]
    with open(path) as handle:
        data = json.load(handle)
    data["keys"][-1]["created"] = (datetime.now(timezone.utc) - timedelta(seconds=seconds)).isoformat()
    with open(path, "w") as handle:
        json.dump(data, handle)
    app.extensions["credential_keys"].pop("stamp", None)


def test_another_process_rotating_is_noticed(app):
    keys.current_key()
    cache = app.extensions["credential_keys"]
    cache.pop("stamp")  # as if this process had read the file before the other one rotated
    keys.rotate()
    age_newest_key(app)
    assert keys.current_key().key_id == "key-2"


def test_keys_can_come_from_configuration(app, runner):
    generated = [keys.SigningKey("x", keys.Ed25519PrivateKey.generate()) for _ in range(2)]
    app.config["CREDENTIAL_SIGNING_KEYS"] = ",".join(k.secret_key_multibase for k in generated)
    assert [k.public_key_multibase for k in keys.all_keys()] == [k.public_key_multibase for k in generated]
    assert keys.current_key().key_id == "key-2"
    assert not os.path.exists(app.config["CREDENTIAL_KEYS_FILE"])
    result = runner.invoke(args=["credentials", "rotate-key"])
    assert result.exit_code != 0 and "CREDENTIAL_SIGNING_KEYS" in result.output


def test_a_configured_key_deployed_just_now_signs_after_the_publish_delay(app):
    generated = [keys.SigningKey("x", keys.Ed25519PrivateKey.generate()) for _ in range(2)]
    deployed = datetime.now(timezone.utc)
    app.config["CREDENTIAL_SIGNING_KEYS"] = (f"{generated[0].secret_key_multibase},"
                                             f"{generated[1].secret_key_multibase}@{deployed.isoformat()}")
    assert [k.key_id for k in keys.all_keys()] == ["key-1", "key-2"]
    assert keys.current_key(deployed).key_id == "key-1"
    assert keys.current_key(deployed + timedelta(seconds=keys.PUBLISH_DELAY)).key_id == "key-2"


def test_a_malformed_configured_key_is_refused(app):
    app.config["CREDENTIAL_SIGNING_KEYS"] = "not-a-key"
    with pytest.raises((KeyConfigError, ValueError)):
        keys.all_keys()
