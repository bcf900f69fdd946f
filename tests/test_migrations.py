"""`flask db upgrade` on an empty database yields exactly the models, on SQLite and PostgreSQL."""
import uuid
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from core.config import TEST_CONFIG
from core.extensions import db
from tests.conftest import POSTGRES_URL


@contextmanager
def empty_database(tmp_path):
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_migrations_build_exactly_the_models(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()


def test_upgrading_keeps_child_rows_of_rebuilt_tables(tmp_path):
    """Batch migrations rebuild SQLite tables (0006 rebuilds sponsor_organisation); with foreign keys
    enforced, dropping the old table would cascade-delete its members. The upgrade must keep them."""
    with empty_database(tmp_path) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0005")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO \"user\" (id, email, handle, name, password_hash, bio, city, country, is_admin,"
                    " profile_hidden, created_at) VALUES (1, 'a@example.org', 'a', 'A', 'x', '', '', '', false,"
                    " false, '2026-01-01')"))
                conn.execute(text(
                    "INSERT INTO sponsor_organisation (id, slug, name, description, contact_email, status,"
                    " created_at) VALUES (1, 'org', 'Org', '', 'o@example.org', 'active', '2026-01-01')"))
                conn.execute(text(
                    "INSERT INTO sponsor_member (id, organisation_id, user_id, role, joined_at)"
                    " VALUES (1, 1, 1, 'admin', '2026-01-01')"))
            upgrade()
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM sponsor_member")).scalar() == 1
            downgrade(revision="base")
            db.engine.dispose()


def test_accounts_that_predate_email_verification_are_marked_verified(tmp_path):
    """0015 adds user.email_verified_at: existing accounts count as verified since they joined."""
    with empty_database(tmp_path) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0012")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO \"user\" (id, email, handle, name, password_hash, bio, city, country, is_admin,"
                    " profile_hidden, created_at) VALUES (1, 'a@example.org', 'a', 'A', 'x', '', '', '', false,"
                    " false, '2026-01-01 10:00:00')"))
            upgrade(revision="0015")
            with db.engine.connect() as conn:
                verified = conn.execute(text("SELECT email_verified_at FROM \"user\"")).scalar()
            assert str(verified).startswith("2026-01-01 10:00:00")
            downgrade(revision="0012")
            assert "email_verified_at" not in {c["name"] for c in inspect(db.engine).get_columns("user")}
            downgrade(revision="base")
            db.engine.dispose()
