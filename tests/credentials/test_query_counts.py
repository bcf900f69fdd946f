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
