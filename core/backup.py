"""Backups: `flask backup` writes one archive (a consistent database copy, the instance files that matter and a
manifest); `flask restore` brings it back into an empty instance.

The archive (tar.gz) holds:

    manifest.json         format, app version, alembic revision, database kind, time, sha256 of every file
    database.sqlite3      SQLite: a copy made with the online backup API (consistent while the site runs)
    database.pgdump       PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    files/uploads/...     uploaded files (UPLOAD_FOLDER, default instance/uploads)
    files/credential_keys.json   the credential signing keys (CREDENTIAL_KEYS_FILE), when kept in a file
    files/secret_key      the generated secret key (SECRET_KEY_FILE), when SECRET_KEY is not in the environment

The database is copied first, then the files: every file a row of the copy names was written before that row
was committed, so it is in the archive. `restore` checks everything (archive readable, manifest, checksums,
database kind, revision known to this code, instance empty) before it writes anything. A backup made by older
code is brought up to date with the migrations right after it is restored (`flask db upgrade`); a backup
made by newer code is refused (install that version first).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import make_url

from core.extensions import cache, db

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables whose rows do not make an instance "hold data": the schema's bookkeeping.
BOOKKEEPING_TABLES = {"alembic_version", "table_version"}


class BackupError(click.ClickException):
    """The backup or restore cannot go on; nothing was changed."""


@dataclass(frozen=True)
class InstanceFile:
    """A file or folder of the instance that a restore needs: its name in the archive and where it lives."""

    name: str
    folder: bool

    def path(self) -> Path | None:
        config = current_app.config
        if self.name == "uploads":
            return Path(config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
        if self.name == "credential_keys.json":
            return Path(config["CREDENTIAL_KEYS_FILE"])
        if self.name == "secret_key":
            return Path(config.get("SECRET_KEY_FILE") or Path(current_app.instance_path) / "secret_key")
        return None


# Not kept: instance/mail (the development outbox), instance/exports (members' data exports, made again on
# request), the page cache and Redis (rebuilt on their own).
INSTANCE_FILES = [InstanceFile("uploads", folder=True), InstanceFile("credential_keys.json", folder=False),
                  InstanceFile("secret_key", folder=False)]


# --- facts about the database and the code ----------------------------------------------------------------


def database_kind() -> str:
    name = db.engine.dialect.name
    if name not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def database_revision() -> str | None:
    """The alembic revision the database is at (None when it was never migrated)."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    with db.engine.connect() as connection:
        revisions = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return ",".join(revisions) or None


def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def code_revisions() -> tuple[set[str], set[str]]:
    """(heads, every revision) of this code's migrations."""
    script = _script()
    return set(script.get_heads()), {revision.revision for revision in script.walk_revisions()}


def app_version() -> str:
    try:
        return metadata.version("chapterhouse")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: from PG_BIN_DIR, else the newest /usr/lib/postgresql/*/bin, else the PATH."""
    configured = current_app.config.get("PG_BIN_DIR")
    candidates = [Path(configured) / name] if configured else []
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        versions = sorted((p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name), reverse=True)
        candidates += [version / "bin" / name for version in versions]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client or set PG_BIN_DIR.")
    return found


def libpq_target() -> tuple[str, dict]:
    """The database as a libpq URI (password in PGPASSWORD, not on the command line) and the environment."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    environ = dict(os.environ)
    if url.password:
        environ["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), environ


def sqlite_path() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _run(command: list[str], environ: dict) -> None:
    result = subprocess.run(command, env=environ, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.returncode}")


# --- backup -------------------------------------------------------------------------------------------------


def dump_database(kind: str, destination: Path) -> None:
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{sqlite_path()}?mode=ro", uri=True)
        target = sqlite3.connect(destination)
        try:
            with target:
                source.backup(target)  # SQLite's online backup API: a consistent copy while others write
        finally:
            target.close()
            source.close()
    else:
        uri, environ = libpq_target()
        _run([postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={destination}", f"--dbname={uri}"], environ)


def copy_instance_files(staging: Path) -> list[str]:
    """Copy the instance files into staging/files; returns notes about what is kept elsewhere."""
    notes = []
    for item in INSTANCE_FILES:
        source = item.path()
        target = staging / "files" / item.name
        if item.folder and source is not None and source.is_dir():
            shutil.copytree(source, target, symlinks=False)
        elif not item.folder and source is not None and source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if current_app.config.get("CREDENTIAL_SIGNING_KEYS"):
        notes.append("CREDENTIAL_SIGNING_KEYS is set in the environment: keep those keys with the backup.")
    if os.environ.get("SECRET_KEY"):
        notes.append("SECRET_KEY is set in the environment: keep it with the backup.")
    return notes


def write_backup(output: Path) -> dict:
    """Write the archive at `output` (atomically: a half-written archive never has the final name)."""
    kind = database_kind()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as folder:
        staging = Path(folder) / "backup"
        staging.mkdir()
        dump_database(kind, staging / DUMP_NAMES[kind])  # the database first, then the files it names
        notes = copy_instance_files(staging)
        files = {str(path.relative_to(staging)): sha256(path)
                 for path in sorted(staging.rglob("*")) if path.is_file()}
        manifest = {"format": FORMAT, "app_version": app_version(), "alembic_revision": database_revision(),
                    "database": kind, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "files": files, "notes": notes}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = Path(folder) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(staging / MANIFEST, arcname=MANIFEST)
            for name in files:
                archive.add(staging / name, arcname=name, recursive=False)
        os.replace(partial, output)
    return manifest


# --- restore ------------------------------------------------------------------------------------------------


def unpack(archive_path: Path, folder: Path) -> dict:
    """Extract the archive into `folder` and check it; returns the manifest. Raises BackupError."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(folder, filter="data")  # no absolute paths, links out or devices
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive ({error}).") from error
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{archive_path} has no {MANIFEST}: it is not a Chapterhouse backup.") from error
    except ValueError as error:
        raise BackupError(f"{archive_path}: {MANIFEST} is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
            manifest.get("files"), dict) or manifest.get("database") not in DUMP_NAMES:
        raise BackupError(f"{archive_path}: {MANIFEST} is not a backup manifest this version can read.")
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(manifest["files"]):
        raise BackupError(f"{archive_path}: the files do not match the manifest "
                          f"({', '.join(sorted(present ^ set(manifest['files'])))}).")
    for name, digest in manifest["files"].items():
        if sha256(folder / name) != digest:
            raise BackupError(f"{archive_path}: {name} is damaged (its checksum does not match the manifest).")
    if DUMP_NAMES[manifest["database"]] not in manifest["files"]:
        raise BackupError(f"{archive_path} holds no database copy.")
    return manifest


def needs_upgrade(manifest: dict) -> bool:
    """Whether the restored database must be migrated; refuses a revision this code does not know."""
    revision = manifest.get("alembic_revision")
    if revision is None:
        return False
    heads, known = code_revisions()
    revisions = set(revision.split(","))
    if not revisions <= known:
        raise BackupError(f"The backup is at database revision {revision}, which this code does not know: it "
                          f"was made by a newer version ({manifest.get('app_version')}). Install that version "
                          "to restore it.")
    return revisions != heads


def holds_data() -> list[str]:
    """The tables of the target database that have rows, and the uploads folder if it has files."""
    names = sorted(name for name in inspect(db.engine).get_table_names() if name not in BOOKKEEPING_TABLES)
    full = []
    with db.engine.connect() as connection:
        for name in names:
            quoted = db.engine.dialect.identifier_preparer.quote(name)
            if connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():
                full.append(name)
    uploads = INSTANCE_FILES[0].path()
    if uploads is not None and uploads.is_dir() and any(p.is_file() for p in uploads.rglob("*")):
        full.append("uploads folder")
    return full


def load_database(kind: str, dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        target_path = sqlite_path()
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            with target:
                source.backup(target)  # replaces every page of the target, in one step
        finally:
            target.close()
            source.close()
    else:
        _drop_everything()
        uri, environ = libpq_target()
        _run([postgres_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", f"--dbname={uri}", str(dump)], environ)
    db.engine.dispose()


def _drop_everything() -> None:
    """Empty the target PostgreSQL schema (the tables a `db upgrade` made): pg_restore then creates them."""
    existing = MetaData()
    existing.reflect(db.engine)
    with db.engine.begin() as connection:
        for table in existing.tables.values():
            connection.execute(text(f"DROP TABLE IF EXISTS {db.engine.dialect.identifier_preparer.quote(table.name)}"
                                    " CASCADE"))


def restore_files(folder: Path) -> None:
    for item in INSTANCE_FILES:
        source, target = folder / "files" / item.name, item.path()
        if target is None:
            continue
        if item.folder and source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target)
        elif not item.folder and source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            os.chmod(target, 0o600)


def restore_backup(archive_path: Path, force: bool = False) -> dict:
    """Check the archive, then restore the database and the files; returns the manifest."""
    kind = database_kind()
    with tempfile.TemporaryDirectory(prefix="chapterhouse-restore-") as name:
        folder = Path(name)
        manifest = unpack(archive_path, folder)
        if manifest["database"] != kind:
            raise BackupError(f"The backup holds a {manifest['database']} database; this instance uses {kind}. "
                              "Restore it into an instance with the same kind of database.")
        upgrade_after = needs_upgrade(manifest)
        full = holds_data()
        if full and not force:
            raise BackupError("This instance already holds data (" + ", ".join(full[:5])
                              + (", ..." if len(full) > 5 else "") + "): restore into an empty instance, "
                              "or pass --force to replace everything it holds.")
        load_database(kind, folder / DUMP_NAMES[kind])
        restore_files(folder)
    if upgrade_after:
        from flask_migrate import upgrade

        upgrade()
    cache.clear()  # pages kept for the old data must not be served for the restored one
    return manifest


# --- commands -----------------------------------------------------------------------------------------------


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archive to write (default: chapterhouse-backup-<UTC time>.tar.gz here).")
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Write the database and the instance files that matter into one archive."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    output = (output or Path(f"chapterhouse-backup-{stamp}.tar.gz")).resolve()
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder.")
    manifest = write_backup(output)
    click.echo(f"Backup written to {output} ({manifest['database']}, revision {manifest['alembic_revision']}, "
               f"{len(manifest['files'])} files).")
    for note in manifest["notes"]:
        click.echo(f"Note: {note}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the data this instance already holds.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Restore a backup archive into an empty instance (stop the web processes and workers first)."""
    manifest = restore_backup(archive, force)
    click.echo(f"Restored the backup of {manifest['created_at']} ({manifest['database']}, app "
               f"{manifest['app_version']}); database now at revision {database_revision()}.")


COMMANDS = (backup_command, restore_command)
