"""The machine routes run the same number of SQL statements whatever the number of credentials."""
from credentials.issuing import revoke_credential
from credentials.views import credential_or_404
from tests.conftest import count_queries
from tests.credentials.conftest import issue
from tests.factories import make_delivered_project, make_user


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def grow(app, chapter, lead, size):
    team = tuple(make_user() for _ in range(size))
    issued = issue(make_delivered_project(chapter, team=team, team_max=max(size, 4)).id)
    for credential in issued[: size // 2]:
        with app.test_request_context():
            revoke_credential(credential_or_404(credential.uuid), lead, "Test.")
    return issued


def test_status_list_and_credential_documents_are_bounded(app, client, chapter, lead):
    small = grow(app, chapter, lead, 2)
    counts = [(statements(client, "/credentials/status/1"), statements(client, f"/credentials/{small[0].uuid}.json"),
               statements(client, "/credentials/issuer"))]
    grow(app, chapter, lead, 30)
    counts.append((statements(client, "/credentials/status/1"), statements(client, f"/credentials/{small[0].uuid}.json"),
                   statements(client, "/credentials/issuer")))
    assert counts[0] == counts[1], counts


def test_credential_look_ups_never_scan_every_project(app, client, chapter, lead):
    """Each credential route finds its row by index and joins its project and chapter by key. An outer join
    around the project-chapter join once made SQLite materialise every project on each look-up (54 ms at
    50,000 credentials); the query plans must name no full scan."""
    from sqlalchemy import event, text

    from accounts.models import User
    from core.extensions import db

    credential = grow(app, chapter, lead, 2)[-1]
    handle = db.session.get(User, credential.recipient_id).handle
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for path in (f"/credentials/{credential.uuid}", f"/credentials/{credential.uuid}.json",
                     f"/credentials/{credential.uuid}.jwt", f"/u/{handle}"):
            assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL plans by cost: on tiny tables a scan is its right choice
    with db.engine.connect() as conn:
        for statement, parameters in seen:
            if "project" not in statement:
                continue
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "SCAN project" not in plan and "SCAN chapter" not in plan, (statement, plan)
