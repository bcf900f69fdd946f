"""Migration 0012: credentials issued before it keep the status-list place their row id gave them."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from core.config import TEST_CONFIG
from core.extensions import db
from tests.test_migrations import empty_database

OLD_IDS = (1, 2, 131_072, 131_073)


def test_credentials_issued_before_keep_their_place_in_the_status_list(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="0009")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO chapter (id, slug, name, city, country, description, status, created_at)"
                    " VALUES (1, 'lyon', 'Lyon', 'Lyon', 'FR', '', 'active', '2026-01-01')"))
                conn.execute(text(
                    "INSERT INTO project (id, chapter_id, title, summary, problem, learning_outcomes, team_min,"
                    " team_max, team_size, status, created_at, status_changed_at) VALUES (1, 1, 'P', '', '', '',"
                    " 1, 4, 0, 'delivered', '2026-01-01', '2026-01-01')"))
                for row_id in OLD_IDS:
                    conn.execute(text(
                        "INSERT INTO credential (id, uuid, project_id, role, locale, key_id, issued_at)"
                        " VALUES (:id, :uuid, 1, 'contributor', 'en', 'key-1', '2026-01-02')"),
                        {"id": row_id, "uuid": f"00000000-0000-4000-8000-{row_id:012d}"})
            upgrade(revision="0012")
            with db.engine.connect() as conn:
                places = conn.execute(text("SELECT id, status_list_number, status_list_index FROM credential"
                                           " ORDER BY id")).all()
            assert [tuple(row) for row in places] == [(1, 1, 0), (2, 1, 1), (131_072, 1, 131_071), (131_073, 2, 0)]
            downgrade(revision="base")
            db.engine.dispose()
