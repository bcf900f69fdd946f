"""`flask backup` and `flask restore`: every table and the instance files come back, and credentials still verify.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (pg_dump / pg_restore).
"""
from __future__ import annotations

import io
import json
import tarfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import stamp
from sqlalchemy import MetaData, inspect, select, text

from app import create_app
from core import backup
from core.config import TEST_CONFIG
from core.extensions import db
from credentials import keys, verification
from credentials.models import Credential
from credentials.queries import by_uuid
from tests.test_migrations import empty_database

NEWEST_TABLE = "access_token"  # made by the newest migration (0028), absent at 0027
SCALE = ["seed-scale", "--scale", "0.001", "--projects", "60", "--applications", "300", "--milestones", "120",
         "--quiet"]


@pytest.fixture
def source(app, tmp_path):
    """The tests' instance, with its own uploads folder and secret key file, stamped at the code's head."""
    folder = tmp_path / "source"
    (folder / "uploads" / "logos").mkdir(parents=True)
    (folder / "uploads" / "logos" / "org.png").write_bytes(b"\x89PNG not really")
    (folder / "secret_key").write_text("the-source-secret")
    app.config.update(UPLOAD_FOLDER=str(folder / "uploads"), SECRET_KEY_FILE=str(folder / "secret_key"))
    stamp()  # alembic_version at head, as after `flask db upgrade`
    yield app
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@contextmanager
def other_instance(tmp_path, name="target", schema=False):
    """A second instance: its own empty database (a new file, or a new PostgreSQL database) and folder."""
    folder = tmp_path / name
    folder.mkdir()
    with empty_database(folder) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(folder / "uploads"),
                          "CREDENTIAL_KEYS_FILE": str(folder / "credential_keys.json"),
                          "SECRET_KEY_FILE": str(folder / "secret_key"), "MAIL_FOLDER": str(folder / "mail")})
        try:
            if schema:
                with app.app_context():
                    db.create_all()  # as after `flask db upgrade`: tables, no rows
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def run(app, *args):
    """Run a command in `app` (with_appcontext keeps an app context already pushed: push this one)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def make_backup(app, tmp_path) -> Path:
    path = tmp_path / "backup.tar.gz"
    result = run(app, "backup", "--output", str(path))
    assert result.exit_code == 0, result.output
    return path


def all_rows(engine) -> dict[str, list[tuple]]:
    """Every row of every table (the schema's bookkeeping included), in a stable order."""
    metadata = MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
    return rows


def sequences(engine) -> list[tuple]:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return connection.execute(text("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")).all()
        return connection.execute(text("SELECT name, seq FROM sqlite_sequence ORDER BY 1")).all() if \
            connection.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first() else []


def a_verifying_credential() -> str:
    credential = db.session.scalar(select(Credential).where(Credential.revoked_at.is_(None)).order_by(Credential.id))
    assert verification.verify_credential(by_uuid(credential.uuid)).ok
    return credential.uuid


def check_restored(source, target, archive: Path, uuid: str) -> None:
    expected, expected_sequences = all_rows(db.engine), sequences(db.engine)
    result = run(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    with target.app_context():
        restored = all_rows(db.engine)
        assert restored.keys() == expected.keys()
        for name in expected:
            assert restored[name] == expected[name], name
        assert sum(map(len, restored.values())) > 100
        assert sequences(db.engine) == expected_sequences  # new rows get fresh ids
        verification._cache.clear()  # verified afresh, with the restored instance's keys
        restored_credential = by_uuid(uuid)
        assert verification.verify_credential(restored_credential).ok
    folder = Path(target.config["UPLOAD_FOLDER"])
    assert (folder / "logos" / "org.png").read_bytes() == b"\x89PNG not really"
    assert Path(target.config["SECRET_KEY_FILE"]).read_text() == "the-source-secret"
    assert Path(target.config["CREDENTIAL_KEYS_FILE"]).read_bytes() == Path(
        source.config["CREDENTIAL_KEYS_FILE"]).read_bytes()


def test_the_demo_data_comes_back_table_by_table_and_its_credentials_still_verify(source, runner, tmp_path):
    assert runner.invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    uuid = a_verifying_credential()
    archive = make_backup(source, tmp_path)
    with other_instance(tmp_path, schema=True) as target:  # a target that ran `db upgrade`: tables, no rows
        check_restored(source, target, archive, uuid)
        with target.app_context():
            assert backup.database_revision() == backup._script().get_current_head()


def test_a_scale_data_set_comes_back_into_a_new_database(source, runner, tmp_path):
    result = runner.invoke(args=SCALE)
    assert result.exit_code == 0, result.output
    uuid = a_verifying_credential()
    archive = make_backup(source, tmp_path)
    with other_instance(tmp_path) as target:  # a database that has no tables at all
        check_restored(source, target, archive, uuid)


def test_the_manifest_names_the_database_revision_version_and_checksums(source, tmp_path):
    keys.all_keys()  # the key file is made on first use
    archive = make_backup(source, tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    kind = db.engine.dialect.name
    assert manifest["database"] == kind and manifest["format"] == 1 and manifest["app_version"] == "0.1.0"
    assert manifest["alembic_revision"] == backup._script().get_current_head()
    assert set(manifest["files"]) == {backup.DUMP_NAMES[kind], "files/uploads/logos/org.png", "files/secret_key",
                                      "files/credential_keys.json"} == names - {"manifest.json"}
    assert all(len(digest) == 64 for digest in manifest["files"].values())


def rewrite(archive: Path, out: Path, change, renamed: dict | None = None) -> Path:
    """A copy of `archive` with `change(name, data) -> data | None` applied (None drops the member)."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.name = (renamed or {}).get(member.name, member.name)
            if data is not None:
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
    return out


def refused(target, archive: Path, message: str) -> None:
    """The restore fails with `message`, and the target instance is exactly as it was."""
    with target.app_context():
        before = all_rows(db.engine)
    uploads = Path(target.config["UPLOAD_FOLDER"])
    result = run(target, "restore", str(archive))
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output
    with target.app_context():
        assert all_rows(db.engine) == before
    assert not uploads.exists() and not Path(target.config["CREDENTIAL_KEYS_FILE"]).exists()
    assert not Path(target.config["SECRET_KEY_FILE"]).exists()


def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(source, tmp_path):
    archive = make_backup(source, tmp_path)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:200])
    no_manifest = rewrite(archive, tmp_path / "no-manifest.tar.gz",
                          lambda name, data: None if name == "manifest.json" else data)
    tampered = rewrite(archive, tmp_path / "tampered.tar.gz",
                       lambda name, data: b"other" if name == "files/secret_key" else data)
    kind = db.engine.dialect.name
    other_kind = "postgresql" if kind == "sqlite" else "sqlite"
    dump, other_dump = backup.DUMP_NAMES[kind], backup.DUMP_NAMES[other_kind]

    def wrong_kind(name, data):  # an archive made on the other kind of database
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["files"][other_dump] = manifest["files"].pop(dump)
        return json.dumps({**manifest, "database": other_kind}).encode()

    def newer(name, data):
        return json.dumps({**json.loads(data), "alembic_revision": "9999"}).encode() if name == "manifest.json" \
            else data

    wrong = rewrite(archive, tmp_path / "wrong-kind.tar.gz", wrong_kind, renamed={dump: other_dump})
    future = rewrite(archive, tmp_path / "newer.tar.gz", newer)
    with other_instance(tmp_path, schema=True) as target:
        refused(target, truncated, "is not a readable backup archive")
        refused(target, no_manifest, "has no manifest.json: it is not a Chapterhouse backup")
        refused(target, tampered, "files/secret_key is damaged")
        refused(target, wrong, f"The backup holds a {other_kind} database; this instance uses")
        refused(target, future, "revision 9999, which this code does not know")


def test_restore_refuses_an_instance_that_holds_data_unless_forced(source, runner, tmp_path):
    archive = make_backup(source, tmp_path)  # the database holds no rows yet
    assert runner.invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    users = all_rows(db.engine)["user"]
    result = run(source, "restore", str(archive))
    assert result.exit_code == 1 and "already holds data (access_token, application" in result.output
    assert all_rows(db.engine)["user"] == users
    result = run(source, "restore", str(archive), "--force")
    assert result.exit_code == 0, result.output
    assert all_rows(db.engine)["user"] == []


def test_a_backup_of_an_older_revision_is_migrated_after_restore(tmp_path):
    from flask_migrate import upgrade

    with other_instance(tmp_path, "old") as old:
        with old.app_context():
            upgrade(revision="0027")
            db.session.remove()
        archive = make_backup(old, tmp_path)
    with other_instance(tmp_path) as target:
        result = run(target, "restore", str(archive))
        assert result.exit_code == 0, result.output
        with target.app_context():
            head = backup._script().get_current_head()
            assert head != "0027" and backup.database_revision() == head
            assert inspect(db.engine).has_table(NEWEST_TABLE)
