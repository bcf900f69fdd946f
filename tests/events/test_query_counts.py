"""The chapter's event list, an event's page and the member's calendar run the same number of SQL statements
at two data sizes, within the page budget, for every viewer."""
import pytest

from core.extensions import db
from tests.conftest import count_queries, over_budget
from tests.factories import add_member, make_chapter, make_event, make_rsvp, make_user


def build(size: int):
    lead = make_user()
    chapter = make_chapter(lead)
    member = add_member(chapter, make_user())
    main = make_event(chapter, capacity=max(1, size // 2), kind="workshop", mode="online",
                      competencies=("scoping.pricing", "admin.contracts"))
    for n in range(size):
        make_event(chapter, starts_in_hours=24 + n, commit=False)
        make_event(chapter, starts_in_hours=-100 - n, commit=False)
        make_rsvp(main, status="going" if n < size // 2 else "waiting", commit=False)
    make_rsvp(main, member, status="waiting", commit=False)
    db.session.commit()
    return chapter, main, lead, member


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "member", "lead"])
def test_event_pages_run_a_fixed_number_of_queries(app, client, auth, viewer):
    counts = {}
    for size in (4, 60):
        chapter, main, lead, member = build(size)
        if viewer != "visitor":
            auth.login_as(lead if viewer == "lead" else member)
        pages = {"events": f"/chapters/{chapter.slug}/events", "events page 2": f"/chapters/{chapter.slug}/events?page=2&past_page=3",
                 "event": f"/events/{main.id}", "chapter": f"/chapters/{chapter.slug}", "home": "/"}
        if viewer != "visitor":
            pages.update(calendar="/me/calendar", dashboard="/me")
        counts[size] = {f"{viewer} {name}": statements(client, path) for name, path in pages.items()}
    assert counts[4] == counts[60]
    assert over_budget(counts[60]) == {}, counts[60]
