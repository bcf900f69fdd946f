"""Credentials issued by the real job verify with verifiers we did not write (Digital Bazaar's VC stack,
jose), with the published OB 3.0 JSON Schema and with our own verifier; tampered copies fail."""
import json

import pytest

from credentials import signing
from credentials.verification import verify_documents
from tests.credentials.conftest import changed, document
from tests.credentials.independent import verify


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.data)


@pytest.fixture
def published(client, issued):
    """What a verifier downloads: the issuer's controller document and the status list credential."""
    controller = fetch(client, "/credentials/issuer")
    status = fetch(client, "/credentials/status/1")
    return controller, status


def test_issued_credentials_verify_independently(client, issued, published):
    controller, status = published
    for credential in issued:
        result = verify(controller, document(credential), credential.jwt, status)
        assert result["dataIntegrity"] == {"verified": True, "status": {"verified": True, "revoked": False}}, result
        assert result["jwt"]["verified"] is True, result
        assert result["jwt"]["payload"] == signing.unsecured(document(credential))
        assert result["jwt"]["header"]["kid"] == controller["assertionMethod"][-1]
        assert result["statusList"] == {"verified": True}


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
    controller, status = published
    credential = issued[0]
    path, value = TAMPERINGS[field]
    tampered = changed(document(credential), path, value)
    tampered_jwt = _tampered_jwt(credential.jwt, signing.unsecured(tampered))
    result = verify(controller, tampered, tampered_jwt, status)
    assert result["dataIntegrity"]["verified"] is False, result
    assert result["jwt"]["verified"] is False, result
    ours = verify_documents(tampered, tampered_jwt)
    assert not ours.signature_ok and not ours.jwt_ok
    # The untouched JWT next to a tampered JSON: our verifier sees they differ.
    assert not verify_documents(tampered, credential.jwt).jwt_ok


def test_a_term_no_context_defines_fails_in_safe_mode(client, issued, published):
    controller, status = published
    tampered = changed(document(issued[0]), ("credentialSubject", "nickname"), "Sam")
    result = verify(controller, tampered, None, status)
    assert result["dataIntegrity"]["verified"] is False
    assert "nickname" in result["dataIntegrity"]["error"] or "safe" in result["dataIntegrity"]["error"].lower()
    assert not verify_documents(tampered, None).signature_ok


def test_a_revoked_credential_fails_its_status_check(client, app, issued, lead):
    from credentials.issuing import revoke_credential
    from credentials.views import credential_or_404

    with app.test_request_context():
        credential = credential_or_404(issued[1].uuid)
    revoke_credential(credential, lead, "Left before the end.")
    controller = fetch(client, "/credentials/issuer")
    status = fetch(client, "/credentials/status/1")
    revoked = verify(controller, document(issued[1]), None, status)
    assert revoked["dataIntegrity"]["verified"] is False
    assert revoked["dataIntegrity"]["status"] == {"verified": False, "revoked": True}
    assert revoked["statusList"] == {"verified": True}
    still_valid = verify(controller, document(issued[0]), None, status)
    assert still_valid["dataIntegrity"]["verified"] is True


def test_a_tampered_status_list_fails(client, issued, published):
    from credentials import status_list

    controller, status = published
    forged = changed(status, ("credentialSubject", "encodedList"), status_list.encode([issued[0].status_list_index]))
    result = verify(controller, document(issued[0]), None, forged)
    assert result["statusList"]["verified"] is False
    assert result["dataIntegrity"]["verified"] is False


def test_credentials_signed_before_a_key_rotation_still_verify(client, runner, issued, chapter, team):
    from credentials.models import Credential
    from tests.credentials.conftest import issue
    from tests.factories import make_delivered_project

    result = runner.invoke(args=["credentials", "rotate-key"])
    assert result.exit_code == 0 and "key-2" in result.output
    later = issue(make_delivered_project(chapter, team=team).id)
    assert {c.key_id for c in later} == {"key-2"} and {c.key_id for c in issued} == {"key-1"}
    controller = fetch(client, "/credentials/issuer")
    assert [m["id"].rsplit("#", 1)[1] for m in controller["verificationMethod"]] == ["key-1", "key-2"]
    status = fetch(client, "/credentials/status/1")
    for credential in [*issued, *later]:
        outcome = verify(controller, document(credential), credential.jwt, status)
        assert outcome["dataIntegrity"]["verified"] and outcome["jwt"]["verified"], outcome
        assert outcome["jwt"]["header"]["kid"].endswith("#" + credential.key_id)
    from credentials.verification import verify_credential
    assert all(verify_credential(c).ok for c in Credential.query.all())
