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


def test_skills_typed_in_french_join_their_code_and_keep_their_people(tmp_path):
    """0025 names the catalogue's skills in both languages: a skill stored under a French slug becomes its
    code's skill (or joins it, its people moving over once), and nobody loses a skill."""
    with empty_database(tmp_path) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0021")
            with db.engine.begin() as conn:
                for n in (1, 2):
                    conn.execute(text(
                        "INSERT INTO \"user\" (id, email, handle, name, password_hash, bio, city, country, is_admin,"
                        f" profile_hidden, created_at) VALUES ({n}, 'u{n}@example.org', 'u{n}', 'U', 'x', '', '', '',"
                        " false, false, '2026-01-01')"))
                conn.execute(text("INSERT INTO skill (id, slug, name) VALUES (1, 'bookkeeping', 'bookkeeping'),"
                                  " (2, 'comptabilite', 'Comptabilité'), (3, 'cartographie', 'cartographie'),"
                                  " (4, 'knitting', 'Knitting')"))
                # user 1 has both spellings of bookkeeping, user 2 only the French one
                conn.execute(text("INSERT INTO user_skill (user_id, skill_id) VALUES (1, 1), (1, 2), (2, 2),"
                                  " (2, 3), (2, 4)"))
            upgrade(revision="0025")
            with db.engine.connect() as conn:
                skills = conn.execute(text("SELECT slug, name, name_fr, slug_fr FROM skill ORDER BY slug")).all()
                held = conn.execute(text("SELECT u.user_id, s.slug FROM user_skill u JOIN skill s ON s.id = u.skill_id"
                                         " ORDER BY u.user_id, s.slug")).all()
            assert [tuple(row) for row in skills] == [
                ("bookkeeping", "Bookkeeping", "Comptabilité", "comptabilite"),
                ("knitting", "Knitting", None, None),
                ("mapping", "Mapping", "Cartographie", "cartographie")]
            assert [tuple(row) for row in held] == [(1, "bookkeeping"), (2, "bookkeeping"), (2, "knitting"),
                                                    (2, "mapping")]
            downgrade(revision="0021")
            assert "name_fr" not in {c["name"] for c in inspect(db.engine).get_columns("skill")}
            downgrade(revision="base")
            db.engine.dispose()
