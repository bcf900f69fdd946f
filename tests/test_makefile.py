"""`make run` builds every public address from BASE_URL, which follows HOST and PORT unless given."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def planned_run(**variables) -> str:
    """The commands `make run` would execute (make -n), with `variables` on the command line."""
    if shutil.which("make") is None:
        pytest.fail("make is needed")
    env = {key: value for key, value in os.environ.items() if key != "BASE_URL"}
    args = ["make", "-n", "--no-print-directory", "run", *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout


def test_base_url_follows_host_and_port():
    plan = planned_run(PORT="8123")
    assert 'BASE_URL="http://127.0.0.1:8123" .venv/bin/flask seed-demo' in plan
    assert 'BASE_URL="http://127.0.0.1:8123" .venv/bin/flask run --host "127.0.0.1" --port "8123"' in plan


def test_a_site_on_every_interface_is_named_localhost_until_given_its_address():
    assert 'BASE_URL="http://localhost:8000" .venv/bin/flask run' in planned_run(HOST="0.0.0.0", PORT="8000")


def test_a_given_base_url_wins():
    plan = planned_run(PORT="8123", BASE_URL="https://chapters.example.org")
    assert 'BASE_URL="https://chapters.example.org" .venv/bin/flask run --host "127.0.0.1" --port "8123"' in plan


def test_make_run_lets_webhooks_reach_receivers_on_this_machine():
    """Production refuses private webhook targets (the default); `make run` allows them for local receivers."""
    assert "WEBHOOK_ALLOW_PRIVATE_TARGETS=true BASE_URL=" in planned_run(PORT="8123")
