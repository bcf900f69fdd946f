import os
import stat

import pytest

from app import create_app
from core.config import ConfigError, database_url, load


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = load(str(tmp_path), environ={})["SECRET_KEY"]
    second = load(str(tmp_path), environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_secret_key_from_the_environment_wins(tmp_path):
    assert load(str(tmp_path), environ={"SECRET_KEY": "from-env"})["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_an_explicit_secret_key(tmp_path):
    with pytest.raises(ConfigError):
        load(str(tmp_path), environ={"CHAPTERHOUSE_ENV": "production"})
    config = load(str(tmp_path), environ={"CHAPTERHOUSE_ENV": "production", "SECRET_KEY": "s"})
    assert config["SESSION_COOKIE_SECURE"] and config["PRODUCTION"]


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    assert database_url(None, str(tmp_path)) == f"sqlite:///{tmp_path}/chapterhouse.db"


@pytest.mark.parametrize("raw", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"])
def test_postgres_urls_use_psycopg_3(raw):
    assert database_url(raw, "/x") == "postgresql+psycopg://u@h/db"


def test_redis_is_optional(tmp_path):
    assert load(str(tmp_path), environ={})["REDIS_URL"] is None
    config = load(str(tmp_path), environ={"REDIS_URL": "redis://127.0.0.1:6399/0"})
    assert config["REDIS_URL"] == "redis://127.0.0.1:6399/0"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6399/0"


def test_create_app_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.db")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.db"
