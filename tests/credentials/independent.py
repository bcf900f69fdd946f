"""Run the independent verifiers (tests/credentials/verify.mjs: Digital Bazaar's VC stack and jose)."""
from __future__ import annotations

import json
import select
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "credentials" / "verify.mjs"


def node_available() -> None:
    """The npm stack must be installed (scripts/test.sh runs `npm ci`); missing is a failure, not a skip."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail("node and the npm packages are needed: run `npm ci` (scripts/test.sh does).")


class LineVerifier:
    """One `node verify.mjs --lines` for the whole test session: each request is one JSON line in, one JSON
    line out (verify.mjs verifies each on its own, as a fresh process would); Node starts and loads
    Digital Bazaar's stack once instead of once per credential."""

    def __init__(self, script: Path):
        self.script = script
        self.process: subprocess.Popen | None = None

    def ask(self, payload: dict, timeout: float) -> dict:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(["node", str(self.script), "--lines"], cwd=ROOT, text=True,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=tempfile.TemporaryFile(mode="w+"))
        self.process.stdin.write(json.dumps(payload) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:  # the process died or hung: fail with what it said, and start a new one next time
            said = self.stderr
            self.close()
            raise AssertionError(f"{self.script.name} gave no answer within {timeout} s: {said}")
        answer = json.loads(line)
        assert "crashed" not in answer, answer["crashed"]
        return answer

    @property
    def stderr(self) -> str:
        self.process.stderr.seek(0)
        return self.process.stderr.read()

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


VERIFIER = LineVerifier(SCRIPT)


def verify(documents: dict, credential: dict | None = None, jwt: str | None = None,
           status_list: dict | None = None) -> dict:
    """`documents`: what the site publishes about its issuer, by id (see `published_documents`)."""
    node_available()
    payload = {"documents": documents, "credential": credential, "jwt": jwt, "statusList": status_list}
    return VERIFIER.ask(payload, timeout=120)


def fetch_json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.data)


def published_documents(client) -> dict:
    """The issuer's documents as the site serves them, by id: the did:web DID document (fetched from
    the path did:web resolution prescribes) and the https Profile of earlier credentials."""
    did_document = fetch_json(client, "/.well-known/did.json")
    profile = fetch_json(client, "/credentials/issuer")
    return {did_document["id"]: did_document, profile["id"]: profile}


DCC_SCRIPT = ROOT / "tests" / "credentials" / "verify_dcc.mjs"


def site_responses(client, base_url: str, paths: list[str]) -> dict:
    """What the site answers at each of `paths`, keyed by its public URL (BASE_URL + path), as a remote
    verifier would receive it over HTTP; plus the public JSON-LD contexts our documents use, as the web
    serves them (the verifier fetches contexts it does not carry)."""
    from credentials.contexts import documents

    answers = {url: document for url, document in documents().items()}
    for path in paths:
        answers[base_url + path] = fetch_json(client, path)
    return answers


def verify_with_dcc(responses: dict, credentials: list[dict]) -> dict:
    """Run @digitalcredentials/verifier-core on `credentials`; its HTTP answers only `responses`."""
    node_available()
    result = subprocess.run(["node", str(DCC_SCRIPT)], input=json.dumps({"responses": responses,
                                                                         "credentials": credentials}),
                            capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


DIDKIT_SCRIPT = ROOT / "tests" / "credentials" / "verify_didkit.mjs"


def verify_with_didkit(responses: dict, credentials: list[dict], jwts: list[str] = ()) -> dict:
    """Run DIDKit (LearnCard's WebAssembly build) on `credentials` and `jwts`; its HTTP answers only
    `responses`, its JSON-LD contexts are our local copies."""
    from credentials.contexts import documents

    node_available()
    payload = {"responses": responses, "contexts": documents(), "credentials": credentials, "jwts": list(jwts)}
    result = subprocess.run(["node", str(DIDKIT_SCRIPT)], input=json.dumps(payload), capture_output=True,
                            text=True, cwd=ROOT, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
