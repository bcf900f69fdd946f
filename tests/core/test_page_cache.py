"""The page cache (core/page_cache.py): visitors get stored pages only while every table the page read is
unchanged; members, visitors with messages waiting and pages holding a CSRF token are never stored."""
import pytest
from flask import flash, render_template_string
from sqlalchemy import func, select, text

from core.extensions import db
from core.page_cache import _tables_named, cached_page, current_versions, table_version
from projects.models import Project
from tests.conftest import count_queries
from tests.factories import make_chapter, make_project, make_user


def get(client, path, **kwargs):
    with count_queries() as statements:
        response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return response.get_data(as_text=True), len(statements)


def test_a_visitors_second_request_is_served_by_one_statement(client):
    project = make_project(make_chapter(), title="Community fridge map")
    first, rendered = get(client, f"/projects/{project.id}")
    again, statements = get(client, f"/projects/{project.id}")
    assert again == first and "Community fridge map" in again
    assert rendered > 1 and statements == 1  # the versions only


def test_a_write_to_a_table_the_page_read_renders_it_afresh(client):
    project = make_project(make_chapter(), title="Community fridge map")
    get(client, "/projects/")
    project.title = "Tool library inventory"
    db.session.commit()
    body, statements = get(client, "/projects/")
    assert "Tool library inventory" in body and "Community fridge map" not in body and statements > 1


def test_a_write_to_a_table_no_public_page_reads_keeps_the_page(client):
    make_project(make_chapter())
    get(client, "/projects/")
    before = current_versions()
    db.session.execute(text("DELETE FROM notification"))
    db.session.commit()
    assert current_versions()["notification"] == before.get("notification", 0) + 1
    assert get(client, "/projects/")[1] == 1


def test_each_transaction_raises_the_versions_of_the_tables_it_wrote_once(app):
    before = current_versions()
    chapter = make_chapter()  # one commit: user, chapter, membership
    after = current_versions()
    for table in ("user", "chapter", "chapter_membership"):
        assert after[table] == before.get(table, 0) + 1, table
    make_project(chapter)
    assert current_versions()["chapter"] == after["chapter"]  # a project's insert only reads the chapter table


def test_a_rolled_back_transaction_raises_nothing(app):
    make_user()
    before = current_versions()
    db.session.execute(text("UPDATE \"user\" SET name = 'Nobody'"))
    db.session.rollback()
    assert current_versions() == before


def test_writes_outside_the_orm_session_count_too(app):
    before = current_versions()
    with db.engine.begin() as connection:  # as flask seed-scale writes
        connection.execute(text("INSERT INTO skill (name, slug) VALUES ('Carpentry', 'carpentry')"))
    assert current_versions()["skill"] == before.get("skill", 0) + 1


def test_members_never_get_a_stored_page(client, auth):
    get(client, "/projects/")
    auth.login_as(make_user(handle="ines"))
    body, statements = get(client, "/projects/")
    assert "@ines" in body and statements > 1


def test_a_waiting_message_is_shown_not_a_stored_page(client):
    get(client, "/projects/")
    client.get("/language", query_string={"locale": "xx"})  # flashes "not available"
    body, _ = get(client, "/projects/")
    assert "That language is not available." in body


def test_each_language_has_its_own_page(client):
    english, _ = get(client, "/chapters/")
    french, statements = get(client, "/chapters/", headers={"Accept-Language": "fr"})
    assert "<h1>Chapitres</h1>" in french and "<h1>Chapters</h1>" in english and statements > 1


@pytest.mark.fresh_app  # adds routes
def test_a_page_holding_a_csrf_token_or_changing_the_session_is_not_stored(app, client):
    hits = []

    @cached_page
    def with_token():
        hits.append(1)
        return render_template_string("<p>{{ csrf_token() }}</p>")

    @cached_page
    def with_flash():
        hits.append(2)
        flash("Hello")
        return "flashed"

    app.add_url_rule("/test-token", view_func=with_token)
    app.add_url_rule("/test-flash", view_func=with_flash)
    for _ in range(2):
        client.get("/test-token")
        client.get("/test-flash")
    assert hits == [1, 2, 1, 2]


def test_errors_are_not_stored(client):
    assert client.get("/projects/999999").status_code == 404
    make_project(make_chapter(), title="Late arrival")  # id 1, not 999999: the 404 stays a 404, rendered
    assert client.get("/projects/999999").status_code == 404


def test_the_switch_off_renders_every_time(app, client):
    app.config["PAGE_CACHE"] = False
    make_project(make_chapter())
    get(client, "/projects/")
    assert get(client, "/projects/")[1] > 1


def test_statements_name_the_tables_they_use():
    verb, tables, written = _tables_named(
        'SELECT project.id FROM project JOIN chapter ON chapter.id = project.chapter_id '
        'WHERE EXISTS (SELECT 1 FROM "sponsorship" WHERE sponsorship.project_id = project.id)')
    assert verb == "SELECT" and tables == {"project", "chapter", "sponsorship"} and written == set()
    assert _tables_named("INSERT INTO table_version (name, version) VALUES (?, 1)") == \
        ("INSERT", frozenset(), frozenset())


def test_versions_survive_an_emptied_database(app, runner):
    """seed-scale --force empties every table but this one: a version never goes back to a value a
    stored page was read at."""
    from core.scale import empty_database

    make_project(make_chapter())
    before = current_versions()
    empty_database()
    after = current_versions()
    assert db.session.scalar(select(Project.id)) is None
    assert all(after[name] > version for name, version in before.items())
    assert db.session.scalar(select(table_version.c.name).limit(1)) is not None


# --- writes the listener used to miss ---------------------------------------------------------------


def test_raw_sql_naming_a_table_in_capitals_renders_the_page_afresh(client):
    project = make_project(make_chapter(), title="Community fridge map")
    get(client, "/projects/")
    db.session.execute(text("UPDATE PROJECT SET title = 'Tool library inventory' WHERE id = :id"),
                       {"id": project.id})
    db.session.commit()
    body, statements = get(client, "/projects/")
    assert "Tool library inventory" in body and statements > 1


def test_rows_removed_by_on_delete_cascades_render_the_chapter_list_afresh(client):
    from chapters.models import ChapterMembership
    from tests.factories import add_member

    chapter = make_chapter(name="Lyon Freelancers")
    leaving = add_member(chapter, make_user(handle="leaving"))
    db.session.commit()
    before, _ = get(client, "/chapters/")
    members = db.session.scalar(select(func.count()).select_from(ChapterMembership))
    assert members == 2
    # The database removes the membership (ON DELETE CASCADE); the statement names only "user".
    db.session.execute(text('DELETE FROM "user" WHERE id = :id'), {"id": leaving.id})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ChapterMembership)) == 1
    after, statements = get(client, "/chapters/")
    assert statements > 1 and after != before


def test_the_tables_reached_by_on_delete_actions_count_as_written():
    _, _, written = _tables_named('DELETE FROM "user" WHERE id = ?')
    assert {"user", "chapter_membership", "team_member", "application"} <= written  # CASCADE
    assert {"chapter", "project", "credential", "audit_event"} <= written  # SET NULL
    assert "submission" in _tables_named("DELETE FROM milestone WHERE id = ?")[2]  # milestone → submission
    assert "review" in _tables_named("DELETE FROM project WHERE id = ?")[2]  # project → milestone → review
    assert _tables_named('UPDATE "user" SET name = ?')[2] == {"user"}  # no ON UPDATE action anywhere


def test_an_autocommit_write_raises_the_version_at_once(client):
    project = make_project(make_chapter(), title="Community fridge map")
    get(client, "/projects/")
    before = current_versions()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("UPDATE project SET title = 'Tool library inventory' WHERE id = :id"),
                           {"id": project.id})
        # No commit: the driver committed the statement itself.
        assert current_versions()["project"] == before["project"] + 1
    body, statements = get(client, "/projects/")
    assert "Tool library inventory" in body and statements > 1


def test_a_page_cached_at_23_59_59_is_not_served_at_midnight(client, monkeypatch):
    from datetime import datetime, timezone

    from core import page_cache

    monkeypatch.setattr(page_cache, "utcnow", lambda: datetime(2026, 3, 14, 23, 59, 59, tzinfo=timezone.utc))
    project = make_project(make_chapter(), title="Community fridge map")
    get(client, f"/projects/{project.id}")
    assert get(client, f"/projects/{project.id}")[1] == 1  # the same day: served from the cache
    monkeypatch.setattr(page_cache, "utcnow", lambda: datetime(2026, 3, 15, 0, 0, 0, tzinfo=timezone.utc))
    assert get(client, f"/projects/{project.id}")[1] > 1  # the next day: rendered afresh
