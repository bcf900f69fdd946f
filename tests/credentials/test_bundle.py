"""The offline verification bundle: what the zip holds, and that the verifier it ships (Digital
Bazaar's libraries and jose, run with node) verifies the credential from the bundle's files alone."""
import io
import json
import os
import shutil
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from credentials import contexts, queries, signing
from credentials.issuing import revoke_credential
from tests.credentials import independent
from tests.credentials.conftest import BASE_URL, page_of

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
EXPECTED = {"credential.json", "credential.jwt", "did.json", "issuer.json", "status-list.json", "documents.json",
            "verify.mjs", "package.json", "README.txt"}
DID = "did:web:chapterhouse.example"


def download(client, credential) -> zipfile.ZipFile:
    response = client.get(f"{page_of(credential)}/bundle.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="credential-{credential.uuid}.zip"'
    return zipfile.ZipFile(io.BytesIO(response.data))


def extract(archive: zipfile.ZipFile, into: Path) -> Path:
    """Unzip into a folder of its own; returns the bundle's one top folder."""
    archive.extractall(into / "download")
    [folder] = list((into / "download").iterdir())
    return folder


def run_verifier(folder: Path, *options: str) -> subprocess.CompletedProcess:
    """`node verify.mjs` in the bundle's folder with the repository's npm packages (what `npm install`
    gives). Without --issuer-url its live comparison tries the credential's own (unreachable) address,
    as on a machine without a network."""
    if not (NODE_MODULES / "@digitalbazaar" / "vc").exists():
        pytest.fail("npm packages missing: run npm ci")
    if not (folder / "node_modules").exists():
        os.symlink(NODE_MODULES, folder / "node_modules")
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": ""}
    return subprocess.run([shutil.which("node") or "node", "verify.mjs", *options], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_bundle_holds_the_credential_keys_status_contexts_and_a_readme(client, w):
    archive = download(client, w["credential"])
    folder = f"credential-{w['credential'].uuid}/"
    names = {name.removeprefix(folder) for name in archive.namelist()}
    assert EXPECTED <= names
    assert archive.read(folder + "credential.json").decode() == w["credential"].document
    assert archive.read(folder + "credential.jwt").decode() == w["credential"].jwt
    did_document = json.loads(archive.read(folder + "did.json"))
    credential = json.loads(w["credential"].document)
    assert did_document["id"] == credential["issuer"]["id"] == DID
    [proof] = signing.proofs_of(credential)
    assert proof["verificationMethod"] in did_document["assertionMethod"]
    assert json.loads(archive.read(folder + "issuer.json"))["id"] == f"{BASE_URL}/credentials/issuer"
    status = json.loads(archive.read(folder + "status-list.json"))
    assert "BitstringStatusListCredential" in status["type"]
    assert status["id"] == credential["credentialStatus"]["statusListCredential"]
    documents = json.loads(archive.read(folder + "documents.json"))
    assert set(contexts.documents()) <= set(documents)  # every context the credential and issuer use
    for url, name in documents.items():
        assert name in names, url
    readme = archive.read(folder + "README.txt").decode()
    assert "npm install" in readme and "node verify.mjs" in readme and w["credential"].uuid in readme
    fingerprint = did_document["verificationMethod"][0]["publicKeyMultibase"]
    assert f"fingerprint   {fingerprint}" in readme and f"{BASE_URL}/.well-known/did.json" in readme


def fingerprint_of(client) -> str:
    return json.loads(client.get("/.well-known/did.json").data)["verificationMethod"][-1]["publicKeyMultibase"]


def test_the_bundled_verifier_verifies_the_credential_offline_and_says_what_it_rests_on(client, w, tmp_path):
    """Without a network the verdict rests on the bundle's own key: it names the key's fingerprint and where
    to compare it, and the status list's date."""
    result = run_verifier(extract(download(client, w["credential"]), tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS") == 3
    status_date = json.loads(client.get("/credentials/status/1").data)["validFrom"]
    fingerprint = fingerprint_of(client)
    assert (f"VERIFIED: signed with the key in this bundle (fingerprint {fingerprint}); "
            f"not revoked as of {status_date}.") in result.stdout
    assert "could not reach the issuer" in result.stdout
    assert f"({BASE_URL}/.well-known/did.json)" in result.stdout


def forge(folder: Path, app) -> str:
    """Put one's own key in the bundle's DID document and re-sign the credential and the status list with it,
    as someone forging a bundle would; returns the forged key's fingerprint."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from credentials.keys import SigningKey

    own = SigningKey("key-1", Ed25519PrivateKey.generate())
    did_document = json.loads((folder / "did.json").read_text())
    for method in did_document["verificationMethod"]:
        method["publicKeyMultibase"] = own.public_key_multibase
    (folder / "did.json").write_text(json.dumps(did_document))
    credential = json.loads((folder / "credential.json").read_text())
    credential["credentialSubject"]["role"] = "Mentor"
    method = signing.proofs_of(credential)[0]["verificationMethod"]
    with app.app_context():
        resigned = signing.add_proof(signing.unsecured(credential), own.private_key, method,
                                     datetime.now(timezone.utc))
        (folder / "credential.jwt").write_text(signing.encode_jwt(resigned, own.private_key, method))
        status = json.loads((folder / "status-list.json").read_text())
        (folder / "status-list.json").write_text(json.dumps(signing.add_proof(
            signing.unsecured(status), own.private_key, method, datetime.now(timezone.utc))))
    (folder / "credential.json").write_text(json.dumps(resigned))
    return own.public_key_multibase


def test_a_forged_bundle_shows_a_fingerprint_the_issuer_does_not_publish(app, client, w, tmp_path):
    folder = extract(download(client, w["credential"]), tmp_path)
    forged = forge(folder, app)
    result = run_verifier(folder, "--offline")
    # Offline, the bundle is consistent with itself; the verdict says so and names the forger's key, which
    # is not the one the site publishes (and prints on the credential's page).
    assert f"signed with the key in this bundle (fingerprint {forged})" in result.stdout, result.stdout
    assert forged != fingerprint_of(client)
    assert fingerprint_of(client) in client.get(page_of(w["credential"])).get_data(as_text=True)


def test_with_a_network_the_verifier_catches_a_forged_bundle(app, client, w, tmp_path):
    from tests.servers import LiveServer

    folder = extract(download(client, w["credential"]), tmp_path)
    forge(folder, app)
    server = LiveServer(app)
    server.start()
    try:
        result = run_verifier(folder, "--issuer-url", server.url)
    finally:
        server.stop()
    assert result.returncode == 1 and "NOT VERIFIED" in result.stdout, result.stdout + result.stderr
    assert "FAIL  The key is the one the issuer publishes" in result.stdout
    assert "this bundle was not signed by the issuer" in result.stdout


def test_with_a_network_the_verifier_confirms_the_key_and_the_live_status(app, client, w, tmp_path):
    from tests.servers import LiveServer

    folder = extract(download(client, w["credential"]), tmp_path)
    server = LiveServer(app)
    server.start()
    try:
        genuine = run_verifier(folder, "--issuer-url", server.url)
        revoke_credential(queries.by_uuid(w["credential"].uuid), w["lead"], "Issued by mistake.")
        revoked_since = run_verifier(folder, "--issuer-url", server.url)
    finally:
        server.stop()
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    assert f"compared with {server.url}/.well-known/did.json" in genuine.stdout
    assert f"VERIFIED: signed with the key the issuer publishes (fingerprint {fingerprint_of(client)})" \
        in genuine.stdout
    # The bundle's snapshot still says "not revoked"; the live list says otherwise and wins.
    assert revoked_since.returncode == 1 and "FAIL  Status now" in revoked_since.stdout, revoked_since.stdout


def test_the_bundles_files_also_pass_the_test_suites_independent_verifier(client, w, tmp_path):
    """A second opinion: the suite's own verifier (tests/credentials/verify.mjs) on the bundle's files."""
    folder = extract(download(client, w["credential"]), tmp_path)
    did_document = json.loads((folder / "did.json").read_text())
    result = independent.verify({did_document["id"]: did_document},
                                json.loads((folder / "credential.json").read_text()),
                                (folder / "credential.jwt").read_text(),
                                json.loads((folder / "status-list.json").read_text()))
    assert result["dataIntegrity"]["verified"], result
    assert result["dataIntegrity"]["status"] == {"verified": True, "revoked": False}
    assert result["jwt"]["verified"] and result["statusList"]["verified"], result


def test_the_bundled_verifier_reports_a_revocation(client, w, tmp_path):
    revoke_credential(queries.by_uuid(w["credential"].uuid), w["lead"], "Issued by mistake.")
    result = run_verifier(extract(download(client, w["credential"]), tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL  Status" in result.stdout and "revoked" in result.stdout
    assert "PASS  Data Integrity proof" in result.stdout and "PASS  VC-JWT" in result.stdout
    assert "NOT VERIFIED" in result.stdout


@pytest.mark.parametrize("change", ["name", "subject", "jwt"])
def test_the_bundled_verifier_rejects_a_tampered_credential(client, w, tmp_path, change):
    folder = extract(download(client, w["credential"]), tmp_path)
    credential = json.loads((folder / "credential.json").read_text())
    if change == "name":
        credential["name"] = credential["name"] + " (with honours)"
    elif change == "subject":
        credential["credentialSubject"]["achievement"]["name"] = "Moon base"
    if change == "jwt":  # another member's payload under this credential's signature
        header, _, signature = (folder / "credential.jwt").read_text().strip().split(".")
        other_payload = w["french"].jwt.split(".")[1]
        (folder / "credential.jwt").write_text(f"{header}.{other_payload}.{signature}")
    else:
        (folder / "credential.json").write_text(json.dumps(credential))
    result = run_verifier(folder)
    assert result.returncode == 1 and "NOT VERIFIED" in result.stdout, result.stdout + result.stderr
    failing = "VC-JWT" if change == "jwt" else "Data Integrity proof"
    assert f"FAIL  {failing}" in result.stdout


def test_the_bundled_verifier_never_fetches_what_the_bundle_lacks(client, w, tmp_path):
    folder = extract(download(client, w["credential"]), tmp_path)
    documents = json.loads((folder / "documents.json").read_text())
    documents.pop(contexts.OB_V3)
    (folder / "documents.json").write_text(json.dumps(documents))
    result = run_verifier(folder)
    assert result.returncode == 1 and "FAIL  Data Integrity proof" in result.stdout
    assert contexts.OB_V3 in result.stdout  # named as the document it could not load (jsonld wraps our refusal)


def test_the_bundle_of_a_credential_issued_before_did_web_still_verifies(client, legacy_issued, tmp_path):
    """Its status list is now signed under the DID, whose document names the old https issuer (alsoKnownAs)."""
    result = run_verifier(extract(download(client, legacy_issued[0]), tmp_path), "--offline")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS") == 3 and "/credentials/issuer#key-1" in result.stdout
