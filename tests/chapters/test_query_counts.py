"""Chapter pages run the same number of SQL statements whatever the amount of data."""
import pytest

from core.extensions import db
from tests.conftest import count_queries, over_budget
from tests.factories import add_member, make_admin, make_chapter, make_user


def build(size: int):
    lead = make_user()
    main = make_chapter(lead, name="Main chapter")
    for n in range(size):
        chapter = make_chapter(lead, name=f"Chapter {n:03d}", commit=False)
        add_member(chapter, make_user(commit=False), commit=False)
        add_member(main, make_user(commit=False), commit=False)
        if n % 10 == 0:
            make_chapter(lead, status="pending", commit=False)
    db.session.commit()
    return main, lead


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "lead", "admin"])
def test_pages_run_a_fixed_number_of_queries(app, client, auth, viewer):
    counts = {}
    for size in (5, 200):
        main, lead = build(size)
        if viewer != "visitor":
            auth.login_as(lead if viewer == "lead" else make_admin())
        pages = {"home": "/", "list": "/chapters/", "search": "/chapters/?country=FR&q=chapter",
                 "chapter": f"/chapters/{main.slug}", "profile": f"/u/{lead.handle}"}
        if viewer != "visitor":
            pages["dashboard"] = "/me"
        if viewer == "admin":
            pages.update(admin="/admin/", audit="/admin/audit", users="/admin/users")
        counts[size] = {name: statements(client, path) for name, path in pages.items()}
    assert counts[5] == counts[200]
    assert over_budget(counts[200]) == {}, counts[200]  # the page budgets of tests/conftest.py
    # Later pages of a long list cost what the first page costs.
    assert statements(client, f"/chapters/{main.slug}?page=3") == counts[200]["chapter"]
    assert statements(client, "/chapters/?country=FR&q=chapter&page=5") == counts[200]["search"]
