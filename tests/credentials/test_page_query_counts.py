"""The credential page and the portfolio run the same number of SQL statements whatever the data."""
import pytest

from core.extensions import db
from tests.conftest import count_queries
from tests.factories import issue_credentials, make_chapter, make_delivered_project, make_user


def statements(client, path: str) -> int:
    with count_queries() as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def grow(w, size: int) -> None:
    """`size` more delivered projects for Ada (credentials), each with other people and skills."""
    for n in range(size):
        others = tuple(make_user(commit=False) for _ in range(2))
        db.session.commit()
        project = make_delivered_project(make_chapter(commit=False), team=(w["ada"], *others),
                                         skills=(f"Skill {n}", "Python"))
        issue_credentials(project)


@pytest.mark.parametrize("viewer", ["visitor", "holder", "lead"])
def test_credential_page_and_portfolio_cost_the_same_at_two_sizes(client, auth, w, viewer):
    if viewer != "visitor":
        auth.login_as(w["ada"] if viewer == "holder" else w["lead"])
    counts = {}
    for size in (1, 25):
        grow(w, size)
        counts[size] = {"credential": statements(client, f"/credentials/{w['credential'].uuid}"),
                        "portfolio": statements(client, "/u/ada"),
                        "project": statements(client, f"/projects/{w['project'].id}")}
    assert counts[1] == counts[25]
    assert counts[25]["credential"] <= 6, counts[25]
