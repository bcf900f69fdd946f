"""Issued credentials validate against the published OB 3.0 AchievementCredential JSON Schema.

A schema checks structure, not values: a changed name or role is still well-formed, and is caught
by the signature checks (test_independent.py). Structural damage is caught here."""
import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from tests.credentials.conftest import changed, document

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text())
VALIDATOR = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)


def errors(doc: dict) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(doc)]


def test_the_schema_is_the_published_one():
    Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "JSON Schema for the AchievementCredential class."
    assert "IdentityObject" in SCHEMA["$defs"] and "AchievementSubject" in SCHEMA["$defs"]


def test_issued_credentials_are_valid(issued):
    for credential in issued:
        assert errors(document(credential)) == []


def _without(doc, *path):
    copied = copy.deepcopy(doc)
    target = copied
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return copied


BREAKAGES = {
    "no validFrom": lambda d: _without(d, "validFrom"),
    "validFrom not a date-time": lambda d: changed(d, ("validFrom",), "yesterday"),
    "no achievement criteria": lambda d: _without(d, "credentialSubject", "achievement", "criteria"),
    "not an OpenBadgeCredential": lambda d: changed(d, ("type",), ["VerifiableCredential"]),
    "identity not hashed flag": lambda d: changed(d, ("credentialSubject", "identifier", 0, "hashed"), "yes"),
    "extra identity field": lambda d: changed(d, ("credentialSubject", "identifier", 0, "email"), "a@b.c"),
    "unknown achievement type": lambda d: changed(d, ("credentialSubject", "achievement", "achievementType"), "Trophy"),
    "evidence without type": lambda d: _without(d, "evidence", 0, "type"),
    "issuer profile without type": lambda d: _without(d, "issuer", "type"),
    "wrong first context": lambda d: changed(d, ("@context",), ["https://example.org/ctx", d["@context"][1]]),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_structurally_damaged_credentials_are_invalid(issued, breakage):
    assert errors(BREAKAGES[breakage](document(issued[0])))
