"""New credentials verify in the verifiers people hold their credentials in: the Digital Credentials
Consortium's verifier-core (inside the Learner Credential Wallet and VerifierPlus) and DIDKit (inside
LearnCard). Each resolves our did:web DID and fetches our status list over HTTP itself; the tests answer
that HTTP with what the test site serves, offline."""
import pytest

from credentials.issuing import revoke_credential
from tests.credentials.conftest import BASE_URL, changed, document
from tests.credentials.independent import site_responses, verify_with_dcc, verify_with_didkit

PUBLISHED = ["/.well-known/did.json", "/credentials/status/1"]


def steps(result: dict) -> dict:
    """verifier-core's log as {step: valid}."""
    return {entry["id"]: entry.get("valid") for entry in result.get("log", [])}


def schema_results(result: dict) -> list:
    return [entry for info in result.get("additionalInformation", []) if info["id"] == "schema_check"
            for entry in info["results"]]


def test_the_dcc_verifier_accepts_new_credentials(client, issued):
    """The wallet's checks pass: signature (our key, found through did:web), revocation status, expiry,
    and the OB 3.0 JSON Schema. `registered_issuer` says only whether an issuer registry lists us."""
    outcome = verify_with_dcc(site_responses(client, BASE_URL, PUBLISHED), [document(c) for c in issued])
    for result in outcome["results"]:
        assert "errors" not in result, result
        assert steps(result) == {"valid_signature": True, "revocation_status": True, "expiration": True,
                                 "registered_issuer": False}, result
        assert [entry["result"]["valid"] for entry in schema_results(result)] == [True], result
    assert f"{BASE_URL}/.well-known/did.json" in outcome["fetched"]


def test_the_dcc_verifier_sees_a_revocation(app, client, issued, lead):
    from credentials.views import credential_or_404

    with app.test_request_context():
        revoke_credential(credential_or_404(issued[0].uuid), lead, "Left before the end.")
    outcome = verify_with_dcc(site_responses(client, BASE_URL, PUBLISHED), [document(c) for c in issued])
    revoked, valid = outcome["results"]
    assert steps(revoked)["valid_signature"] is True and steps(revoked)["revocation_status"] is False
    assert steps(valid)["revocation_status"] is True


@pytest.mark.parametrize("path, value", [(("credentialSubject", "role"), "Mentor"),
                                         (("issuer", "name"), "Impostor University")])
def test_the_dcc_verifier_refuses_a_tampered_credential(client, issued, path, value):
    tampered = changed(document(issued[0]), path, value)
    result = verify_with_dcc(site_responses(client, BASE_URL, PUBLISHED), [tampered])["results"][0]
    assert steps(result).get("valid_signature") is not True, result
    assert result.get("errors"), result


def test_the_dcc_verifier_refuses_a_key_the_did_document_does_not_list(client, issued, runner):
    """A DID document that lists other keys (say, a site that was tampered with) makes the signature fail."""
    responses = site_responses(client, BASE_URL, PUBLISHED)
    did_document = responses[f"{BASE_URL}/.well-known/did.json"]
    for method in did_document["verificationMethod"]:
        method["publicKeyMultibase"] = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    result = verify_with_dcc(responses, [document(issued[0])])["results"][0]
    assert steps(result).get("valid_signature") is not True and result.get("errors"), result


def test_didkit_accepts_new_credentials_and_refuses_tampered_ones(client, issued):
    responses = site_responses(client, BASE_URL, PUBLISHED)
    tampered = changed(document(issued[0]), ("credentialSubject", "achievement", "name"), "Something else")
    outcome = verify_with_didkit(responses, [document(c) for c in issued] + [tampered])
    *genuine, forged = outcome["credentials"]
    for result in genuine:
        assert result == {"checks": ["proof"], "warnings": [], "errors": []}, outcome
    assert forged["errors"], outcome
    assert outcome["fetched"] and set(outcome["fetched"]) == {f"{BASE_URL}/.well-known/did.json"}


def test_credentials_issued_before_did_web_are_the_ones_wallets_refused(client, legacy_issued):
    """The failures reported by holders, reproduced: an https key id makes verifier-core fetch the whole
    Profile ("The signature is not valid") and DIDKit resolves only DIDs ("invalidDid"). New credentials
    pass both (above); these keep verifying with the other verifiers (test_independent.py)."""
    responses = site_responses(client, BASE_URL, PUBLISHED + ["/credentials/issuer"])
    [dcc] = verify_with_dcc(responses, [document(legacy_issued[0])])["results"]
    assert dcc["errors"][0]["message"] == "The signature is not valid."
    [didkit] = verify_with_didkit(responses, [document(legacy_issued[0])])["credentials"]
    assert didkit["errors"] == ["Unable to dereference DID URL: invalidDid"]


def test_the_badge_png_is_what_wallets_that_show_no_svg_display(client, issued):
    import io

    from PIL import Image

    response = client.get(f"/credentials/{issued[0].uuid}/badge.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (512, 512)
    assert document(issued[0])["image"]["id"] == f"{BASE_URL}/credentials/{issued[0].uuid}/badge.png"
