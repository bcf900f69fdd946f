"""Run the independent verifiers (tests/credentials/verify.mjs: Digital Bazaar's VC stack and jose)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "credentials" / "verify.mjs"


def node_available() -> None:
    """The npm stack must be installed (scripts/test.sh runs `npm ci`); missing is a failure, not a skip."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail("node and the npm packages are needed: run `npm ci` (scripts/test.sh does).")


def verify(controller: dict, credential: dict | None = None, jwt: str | None = None,
           status_list: dict | None = None) -> dict:
    node_available()
    payload = {"controller": controller, "credential": credential, "jwt": jwt, "statusList": status_list}
    result = subprocess.run(["node", str(SCRIPT)], input=json.dumps(payload), capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
