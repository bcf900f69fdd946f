"""The example systemd units and environment file under deploy/ match the app's real commands and settings."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from core import config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def exec_start(unit: Path) -> list[str]:
    text = unit.read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart="))
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2].removeprefix("exec "))
    return words


def test_there_are_units_for_the_web_the_workers_the_scheduler_and_backups():
    assert {unit.name for unit in UNITS} == {"chapterhouse-web.service", "chapterhouse-worker@.service",
                                            "chapterhouse-scheduler.service", "chapterhouse-backup.service"}


@pytest.mark.parametrize("unit", [u for u in UNITS if "/flask" in exec_start(u)[0]], ids=lambda u: u.name)
def test_each_flask_unit_runs_a_command_the_app_has_with_options_it_takes(runner, unit):
    words = exec_start(unit)
    assert words[1:3] == ["--app", "app"]
    command, options = words[3], [w for w in words[4:] if w.startswith("--")]
    result = runner.invoke(args=[command, "--help"])
    assert result.exit_code == 0, result.output
    for option in options:
        assert option in result.output, (unit.name, option)


def test_the_web_unit_serves_the_app_factory_with_gunicorn():
    words = exec_start(DEPLOY / "chapterhouse-web.service")
    assert words[0].endswith("/gunicorn") and words[-1] == "app:create_app()"
    assert "--workers" in words and "--bind" in words


def example_environment() -> dict[str, str]:
    lines = (DEPLOY / "chapterhouse.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_every_setting_of_the_example_environment_is_read_by_the_app():
    source = "".join(p.read_text() for p in (Path(config.__file__), Path(config.__file__).parent / "metrics.py"))
    outside = {"TZ"}  # read by the C library (and cron fields), not by the app
    for name in example_environment():
        assert name in outside or re.search(rf'["\']{name}["\']', source), name


def test_the_example_environment_gives_the_documented_configuration(tmp_path):
    loaded = config.load(str(tmp_path), example_environment())
    assert loaded["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True, "pool_size": 2, "max_overflow": 2}
    assert loaded["CACHE_KEY_PREFIX"] == "chapterhouse-0.1.0:" and loaded["CACHE_TYPE"] == "RedisCache"
    assert loaded["PROXY_COUNT"] == 1 and loaded["LOG_FORMAT"] == "json"
    assert loaded["METRICS_ALLOWED_IPS"] == ["127.0.0.1", "::1", "10.0.0.9"]
    assert loaded["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert loaded["UPLOAD_FOLDER"] == "/srv/chapterhouse-shared/uploads"


def test_without_settings_metrics_are_local_only_and_the_pool_is_sqlalchemys(tmp_path):
    loaded = config.load(str(tmp_path), {})
    assert loaded["METRICS_ALLOWED_IPS"] == ["127.0.0.1", "::1"]
    assert loaded["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    assert loaded["SECRET_KEY_FILE"] == str(tmp_path / "secret_key") and (tmp_path / "secret_key").exists()
