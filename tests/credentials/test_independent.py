"""Credentials issued by the real job verify with verifiers we did not write (Digital Bazaar's VC stack,
jose), with the published OB 3.0 JSON Schema and with our own verifier; tampered copies fail."""
import json

import pytest

from credentials import signing
from credentials.verification import verify_documents
from tests.credentials.conftest import changed, document
from tests.credentials.independent import fetch_json as fetch
from tests.credentials.independent import published_documents, verify

JWT_CLAIMS = {"iss", "jti", "nbf", "exp", "sub"}


@pytest.fixture
def published(client, issued):
    """What a verifier downloads: the issuer's documents (DID document, Profile) and the status list."""
    return published_documents(client), fetch(client, "/credentials/status/1")


def test_issued_credentials_verify_independently(client, issued, published):
    documents, status = published
    did_document = documents["did:web:chapterhouse.example"]
    for credential in issued:
        result = verify(documents, document(credential), credential.jwt, status)
        assert result["dataIntegrity"] == {"verified": True, "status": {"verified": True, "revoked": False}}, result
        assert result["jwt"]["verified"] is True, result
        payload = result["jwt"]["payload"]
        assert {k: v for k, v in payload.items() if k not in JWT_CLAIMS} == signing.unsecured(document(credential))
        assert result["jwt"]["header"]["kid"] == did_document["assertionMethod"][-1]
        assert result["statusList"] == {"verified": True}


def test_the_jwt_follows_open_badges_3(client, issued, published):
    """OB 3.0 §8.2: typ JWT (no cty), kid naming the DID's key, and the registered claims iss, jti, nbf
    beside the credential (no exp: the credential has no validUntil; no sub: the subject has no id)."""
    documents, status = published
    credential = issued[0]
    signed = document(credential)
    result = verify(documents, None, credential.jwt)
    assert result["jwt"]["verified"] is True, result
    header, payload = result["jwt"]["header"], result["jwt"]["payload"]
    assert header == {"alg": "EdDSA", "kid": "did:web:chapterhouse.example#key-1", "typ": "JWT"}
    assert payload["iss"] == signed["issuer"]["id"] == "did:web:chapterhouse.example"
    assert payload["jti"] == signed["id"]
    from datetime import datetime, timezone
    assert payload["nbf"] == int(datetime.strptime(signed["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
                                 .replace(tzinfo=timezone.utc).timestamp())
    assert "exp" not in payload and "sub" not in payload


TAMPERINGS = {
    "achievement name": (("credentialSubject", "achievement", "name"), "Something else entirely"),
    "subject role": (("credentialSubject", "role"), "Mentor"),
    "validFrom": (("validFrom",), "2020-01-01T00:00:00Z"),
    "issuer": (("issuer", "id"), "https://impostor.example/issuer"),
    "evidence URL": (("evidence", 0, "id"), "https://impostor.example/work"),
}


def _tampered_jwt(jwt: str, payload: dict) -> str:
    """The same header and signature around a changed payload."""
    import base64

    header, _, signature = jwt.split(".")
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


@pytest.mark.parametrize("field", sorted(TAMPERINGS))
def test_a_tampered_credential_fails_every_verifier(client, issued, published, field):
    documents, status = published
    credential = issued[0]
    path, value = TAMPERINGS[field]
    tampered = changed(document(credential), path, value)
    tampered_jwt = _tampered_jwt(credential.jwt, signing.unsecured(tampered))
    result = verify(documents, tampered, tampered_jwt, status)
    assert result["dataIntegrity"]["verified"] is False, result
    assert result["jwt"]["verified"] is False, result
    ours = verify_documents(tampered, tampered_jwt)
    assert not ours.signature_ok and not ours.jwt_ok
    # The untouched JWT next to a tampered JSON: our verifier sees they differ.
    assert not verify_documents(tampered, credential.jwt).jwt_ok


def test_a_term_no_context_defines_fails_in_safe_mode(client, issued, published):
    documents, status = published
    tampered = changed(document(issued[0]), ("credentialSubject", "nickname"), "Sam")
    result = verify(documents, tampered, None, status)
    assert result["dataIntegrity"]["verified"] is False
    assert "nickname" in result["dataIntegrity"]["error"] or "safe" in result["dataIntegrity"]["error"].lower()
    assert not verify_documents(tampered, None).signature_ok


def test_a_revoked_credential_fails_its_status_check(client, app, issued, lead):
    from credentials.issuing import revoke_credential
    from credentials.views import credential_or_404

    with app.test_request_context():
        credential = credential_or_404(issued[1].uuid)
    revoke_credential(credential, lead, "Left before the end.")
    documents = published_documents(client)
    status = fetch(client, "/credentials/status/1")
    revoked = verify(documents, document(issued[1]), None, status)
    assert revoked["dataIntegrity"]["verified"] is False
    assert revoked["dataIntegrity"]["status"] == {"verified": False, "revoked": True}
    assert revoked["statusList"] == {"verified": True}
    still_valid = verify(documents, document(issued[0]), None, status)
    assert still_valid["dataIntegrity"]["verified"] is True


def test_a_tampered_status_list_fails(client, issued, published):
    from credentials import status_list

    documents, status = published
    forged = changed(status, ("credentialSubject", "encodedList"), status_list.encode([issued[0].status_list_index]))
    result = verify(documents, document(issued[0]), None, forged)
    assert result["statusList"]["verified"] is False
    assert result["dataIntegrity"]["verified"] is False


def test_credentials_signed_before_a_key_rotation_still_verify(app, client, runner, issued, chapter, team):
    from credentials.models import Credential
    from tests.credentials.conftest import issue
    from tests.factories import make_delivered_project

    from tests.credentials.test_keys import age_newest_key

    result = runner.invoke(args=["credentials", "rotate-key"])
    assert result.exit_code == 0 and "key-2" in result.output
    meanwhile = issue(make_delivered_project(chapter, team=team, title="Signed before key-2 is live").id)
    age_newest_key(app)
    later = issue(make_delivered_project(chapter, team=team).id)
    assert {c.key_id for c in later} == {"key-2"} and {c.key_id for c in [*issued, *meanwhile]} == {"key-1"}
    documents = published_documents(client)
    assert [m["id"].rsplit("#", 1)[1] for m in documents["did:web:chapterhouse.example"]["verificationMethod"]] \
        == ["key-1", "key-2"]
    status = fetch(client, "/credentials/status/1")
    for credential in [*issued, *meanwhile, *later]:
        outcome = verify(documents, document(credential), credential.jwt, status)
        assert outcome["dataIntegrity"]["verified"] and outcome["jwt"]["verified"], outcome
        assert outcome["jwt"]["header"]["kid"].endswith("#" + credential.key_id)
    from credentials.verification import verify_credential
    assert all(verify_credential(c).ok for c in Credential.query.all())


def test_credentials_issued_before_did_web_still_verify(client, legacy_issued):
    """Old credentials name the https Profile and its `#key-N` fragments; the Profile still publishes them,
    so Digital Bazaar's stack, jose and our own verifier still accept them, unchanged."""
    from credentials.verification import verify_credential

    documents = published_documents(client)
    status = fetch(client, "/credentials/status/1")
    for credential in legacy_issued:
        signed = document(credential)
        assert signed["issuer"]["id"] == "https://chapterhouse.example/credentials/issuer"
        assert signed["proof"][0]["verificationMethod"] == "https://chapterhouse.example/credentials/issuer#key-1"
        result = verify(documents, signed, credential.jwt, status)
        assert result["dataIntegrity"]["verified"] is True, result
        assert result["jwt"]["verified"] is True and result["jwt"]["header"]["typ"] == "vc+jwt", result
        assert verify_credential(credential).ok
