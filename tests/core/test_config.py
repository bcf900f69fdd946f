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
    config = load(str(tmp_path), environ={"CHAPTERHOUSE_ENV": "production", "SECRET_KEY": "s",
                                          "BASE_URL": "https://chapters.example.org/"})
    assert config["SESSION_COOKIE_SECURE"] and config["PRODUCTION"]
    assert config["BASE_URL"] == "https://chapters.example.org"


@pytest.mark.parametrize("base_url", [None, "http://chapters.example.org", "http://127.0.0.1:5000"])
def test_production_refuses_to_start_without_an_https_base_url(tmp_path, base_url):
    """Credentials are signed with ids built from BASE_URL forever: they must name the public https site."""
    environ = {"CHAPTERHOUSE_ENV": "production", "SECRET_KEY": "s"}
    if base_url:
        environ["BASE_URL"] = base_url
    with pytest.raises(ConfigError, match="BASE_URL"):
        load(str(tmp_path), environ=environ)


def test_no_proxy_is_trusted_unless_configured(tmp_path):
    """With no proxy in front, a trusted X-Forwarded-For would let anyone choose the address rate limits count."""
    production = {"CHAPTERHOUSE_ENV": "production", "SECRET_KEY": "s", "BASE_URL": "https://x.example"}
    assert load(str(tmp_path), environ=production)["PROXY_COUNT"] == 0
    assert load(str(tmp_path), environ={**production, "PROXY_COUNT": "1"})["PROXY_COUNT"] == 1


def test_instance_files_are_private(tmp_path, monkeypatch):
    """The folder is 700; the database, mail and uploads the app writes are 600."""
    from core.extensions import db
    from core.mail import build, send

    instance = tmp_path / "instance"
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    os.makedirs(instance, mode=0o755)
    (instance / "chapterhouse.db").write_bytes(b"")
    os.chmod(instance / "chapterhouse.db", 0o644)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/chapterhouse.db",
                      "MAIL_FOLDER": str(instance / "mail"), "SMTP_HOST": None})
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(instance / "chapterhouse.db").st_mode) == 0o600
    with app.app_context():
        db.create_all()
        send(build("someone@example.org", "Hello", "Hi"))
        db.engine.dispose()
    [mail] = (instance / "mail").glob("*.eml")
    assert stat.S_IMODE(os.stat(mail).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(instance / "mail").st_mode) == 0o700


def test_seed_demo_refuses_to_run_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAPTERHOUSE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.setenv("BASE_URL", "https://chapters.example.org")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    app = create_app({"TESTING": True})
    with app.app_context():
        from core.extensions import db
        db.create_all()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code != 0 and "production" in result.output
        from sqlalchemy import text
        assert db.session.execute(text('SELECT count(*) FROM "user"')).scalar() == 0
        db.engine.dispose()


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
