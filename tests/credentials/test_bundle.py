"""The offline verification bundle: what the zip holds, and that the verifier it ships (Digital
Bazaar's libraries and jose, run with node) verifies the credential from the bundle's files alone."""
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from credentials import contexts, queries, signing
from credentials.issuing import revoke_credential
from tests.credentials import independent
from tests.credentials.conftest import BASE_URL, page_of

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
EXPECTED = {"credential.json", "credential.jwt", "issuer.json", "status-list.json", "documents.json", "verify.mjs",
            "package.json", "README.txt"}


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


def run_verifier(folder: Path) -> subprocess.CompletedProcess:
    """`node verify.mjs` in the bundle's folder with the repository's npm packages (what `npm install`
    gives), and no way out: the loader refuses URLs it does not hold, and proxies point nowhere."""
    if not (NODE_MODULES / "@digitalbazaar" / "vc").exists():
        pytest.fail("npm packages missing: run npm ci")
    os.symlink(NODE_MODULES, folder / "node_modules")
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": ""}
    return subprocess.run([shutil.which("node") or "node", "verify.mjs"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_bundle_holds_the_credential_keys_status_contexts_and_a_readme(client, w):
    archive = download(client, w["credential"])
    folder = f"credential-{w['credential'].uuid}/"
    names = {name.removeprefix(folder) for name in archive.namelist()}
    assert EXPECTED <= names
    assert archive.read(folder + "credential.json").decode() == w["credential"].document
    assert archive.read(folder + "credential.jwt").decode() == w["credential"].jwt
    issuer = json.loads(archive.read(folder + "issuer.json"))
    credential = json.loads(w["credential"].document)
    assert issuer["id"] == credential["issuer"]["id"] == f"{BASE_URL}/credentials/issuer"
    [proof] = signing.proofs_of(credential)
    assert proof["verificationMethod"] in issuer["assertionMethod"]
    status = json.loads(archive.read(folder + "status-list.json"))
    assert "BitstringStatusListCredential" in status["type"]
    assert status["id"] == credential["credentialStatus"]["statusListCredential"]
    documents = json.loads(archive.read(folder + "documents.json"))
    assert set(contexts.documents()) <= set(documents)  # every context the credential and issuer use
    for url, name in documents.items():
        assert name in names, url
    readme = archive.read(folder + "README.txt").decode()
    assert "npm install" in readme and "node verify.mjs" in readme and w["credential"].uuid in readme


def test_the_bundled_verifier_verifies_the_credential_offline(client, w, tmp_path):
    result = run_verifier(extract(download(client, w["credential"]), tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASS") == 3 and "VERIFIED: this credential is authentic" in result.stdout


def test_the_bundles_files_also_pass_the_test_suites_independent_verifier(client, w, tmp_path):
    """A second opinion: the suite's own verifier (tests/credentials/verify.mjs) on the bundle's files."""
    folder = extract(download(client, w["credential"]), tmp_path)
    result = independent.verify(json.loads((folder / "issuer.json").read_text()),
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
