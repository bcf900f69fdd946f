"""Machine routes: the issuer's keys, each credential as JSON and VC-JWT, the status list; public and CORS-open."""
import json
import uuid

import pytest

from credentials import status_list
from tests.credentials.conftest import BASE_URL, document


def test_the_did_document_lists_every_key_as_a_multikey_for_assertions(client, issued):
    """did:web:chapterhouse.example resolves to https://chapterhouse.example/.well-known/did.json."""
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200 and response.mimetype == "application/did+ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    did_document = json.loads(response.data)
    assert did_document["id"] == "did:web:chapterhouse.example"
    assert did_document["alsoKnownAs"] == [f"{BASE_URL}/credentials/issuer"]
    [method] = did_document["verificationMethod"]
    assert method == {"id": "did:web:chapterhouse.example#key-1", "type": "Multikey",
                      "controller": "did:web:chapterhouse.example", "publicKeyMultibase": method["publicKeyMultibase"]}
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert did_document["assertionMethod"] == [method["id"]]
    assert client.get("/did.json").status_code == 404  # that path is for sites under a path


@pytest.mark.parametrize("base_url, did, path", [
    ("https://chapters.example.org", "did:web:chapters.example.org", "/.well-known/did.json"),
    ("https://Chapters.Example.org:8443", "did:web:chapters.example.org%3A8443", "/.well-known/did.json"),
    ("https://example.org/community/lyon", "did:web:example.org:community:lyon", "/did.json"),
])
def test_did_web_follows_the_base_url(app, client, base_url, did, path):
    from credentials import urls

    app.config["BASE_URL"] = base_url
    assert urls.did_web(base_url) == did and urls.did_document_path(base_url) == path
    response = client.get(path)
    assert response.status_code == 200 and json.loads(response.data)["id"] == did
    other = "/did.json" if path != "/did.json" else "/.well-known/did.json"
    assert client.get(other).status_code == 404


def test_every_key_is_published_as_a_jwk_and_at_a_url_without_a_fragment(client, issued):
    import base64

    from credentials import keys

    key = keys.current_key()
    jwks = json.loads(client.get("/.well-known/jwks.json").data)
    [jwk] = jwks["keys"]
    assert jwk["kid"] == "did:web:chapterhouse.example#key-1" and jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    raw = base64.urlsafe_b64decode(jwk["x"] + "=")
    from credentials import multibase
    assert multibase.public_key_multibase(raw) == key.public_key_multibase
    alone = client.get("/credentials/issuer/keys/key-1")
    assert alone.status_code == 200 and alone.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(alone.data)
    assert document["id"] == f"{BASE_URL}/credentials/issuer/keys/key-1" and document["type"] == "Multikey"
    assert document["publicKeyMultibase"] == key.public_key_multibase
    assert client.get("/credentials/issuer/keys/key-9").status_code == 404


def test_issuer_profile_keeps_the_keys_of_earlier_credentials(client, issued):
    """Credentials issued before did:web name `<profile>#key-N`: the Profile keeps publishing them, with the
    issuer's name, address, description and image."""
    response = client.get("/credentials/issuer")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    profile = json.loads(response.data)
    assert profile["id"] == f"{BASE_URL}/credentials/issuer" and profile["type"] == ["Profile"]
    assert profile["name"] == "Chapterhouse" and profile["url"] == BASE_URL and profile["description"]
    assert profile["image"]["id"] == f"{BASE_URL}/credentials/issuer/logo.png"
    method = profile["verificationMethod"][0]
    assert method == {"id": f"{BASE_URL}/credentials/issuer#key-1", "type": "Multikey",
                      "controller": profile["id"], "publicKeyMultibase": method["publicKeyMultibase"]}
    assert profile["assertionMethod"] == [method["id"], f"{BASE_URL}/credentials/issuer/keys/key-1"]
    logo = client.get("/credentials/issuer/logo.png")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("path", ["/credentials/issuer", "/.well-known/did.json"])
def test_the_issuers_documents_define_every_term(app, client, path):
    from credentials.contexts import canonize

    canonize(json.loads(client.get(path).data))  # raises UndefinedTerm otherwise

def test_credential_json_and_jwt(client, issued):
    credential = issued[0]
    response = client.get(f"/credentials/{credential.uuid}.json")
    assert response.status_code == 200 and response.mimetype == "application/vc"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.data.decode() == credential.document
    jwt = client.get(f"/credentials/{credential.uuid}.jwt")
    assert jwt.status_code == 200 and jwt.mimetype == "application/vc+jwt"
    assert jwt.headers["Access-Control-Allow-Origin"] == "*"
    assert jwt.data.decode() == credential.jwt


@pytest.mark.parametrize("token", ["not-a-uuid", str(uuid.uuid4()), "1", "%00"])
def test_unknown_or_malformed_ids_are_404_with_a_json_body(client, issued, token):
    response = client.get(f"/credentials/{token}.json")
    assert response.status_code == 404
    assert response.is_json and response.json["error"]
    assert client.get(f"/credentials/{token}.jwt").status_code == 404


def test_uppercase_uuid_finds_the_credential(client, issued):
    assert client.get(f"/credentials/{issued[0].uuid.upper()}.json").status_code == 200


def test_status_list_credential(client, issued):
    response = client.get("/credentials/status/1")
    assert response.status_code == 200 and response.mimetype == "application/vc"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    listed = json.loads(response.data)
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["id"] == f"{BASE_URL}/credentials/status/1" == document(issued[0])["credentialStatus"][
        "statusListCredential"]
    subject = listed["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    bits = status_list.decode(subject["encodedList"])
    assert subject["encodedList"].startswith("u") and "=" not in subject["encodedList"]
    assert len(bits) * 8 >= 131_072 and not any(bits)
    assert listed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


@pytest.mark.parametrize("number", [0, 2, 99])
def test_status_lists_without_credentials_are_404(client, issued, number):
    assert client.get(f"/credentials/status/{number}").status_code == 404


def test_revocation_flips_the_bit_and_the_cached_list_follows(client, auth, issued, lead):
    before = json.loads(client.get("/credentials/status/1").data)
    again = json.loads(client.get("/credentials/status/1").data)
    assert before == again  # the same state gives the same signed document
    auth.login_as(lead)
    response = client.post(f"/credentials/{issued[1].uuid}/revoke", data={"reason": "Left early."})
    assert response.status_code == 302 and response.headers["Location"] == f"/credentials/{issued[1].uuid}"
    after = json.loads(client.get("/credentials/status/1").data)
    bits = status_list.decode(after["credentialSubject"]["encodedList"])
    index = int(document(issued[1])["credentialStatus"]["statusListIndex"])
    assert status_list.is_set(bits, index)
    assert not status_list.is_set(bits, int(document(issued[0])["credentialStatus"]["statusListIndex"]))
    assert after["validFrom"] >= before["validFrom"] and after != before


def test_the_bitstring_puts_index_zero_in_the_first_bit():
    bits = status_list.decode(status_list.encode([0, 9, 131_071]))
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01


def test_ids_come_from_the_configuration_not_the_request(client, issued):
    profile = json.loads(client.get("/credentials/issuer", base_url="http://evil.example").data)
    assert profile["id"] == f"{BASE_URL}/credentials/issuer"
    assert all(m["id"].startswith(BASE_URL) for m in profile["verificationMethod"])


def test_contexts_are_never_fetched(app):
    from pyld.jsonld import JsonLdError

    from credentials.contexts import canonize

    with pytest.raises(JsonLdError):
        canonize({"@context": "https://example.org/unknown-context.json", "https://example.org/p": "x"})
