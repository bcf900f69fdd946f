from sqlalchemy import select

from chapters.models import Chapter
from core.audit import AuditEvent
from core.extensions import db
from tests.conftest import fresh
from tests.factories import add_member, make_admin, make_chapter, make_user

PROPOSAL = {"name": "Nantes Indépendants", "city": "Nantes", "country": "FR",
            "description": "Freelancers of Nantes building tools for local associations."}


def audit_actions(chapter):
    return db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "chapter", AuditEvent.entity_id == chapter.id).order_by(AuditEvent.id)).all()


def test_a_member_proposes_a_chapter_and_becomes_its_lead(client, auth):
    proposer = make_user()
    auth.login_as(proposer)
    response = client.post("/chapters/new", data=PROPOSAL)
    chapter = db.session.scalar(select(Chapter))
    assert response.headers["Location"] == f"/chapters/{chapter.slug}"
    assert (chapter.slug, chapter.status, chapter.proposed_by_id) == ("nantes-independants", "pending", proposer.id)
    assert chapter.role_of(proposer) == "lead"
    assert audit_actions(chapter) == ["propose"]
    assert "waiting for approval" in client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)


def test_slugs_stay_unique(client, auth):
    auth.login_as(make_user())
    client.post("/chapters/new", data=PROPOSAL)
    client.post("/chapters/new", data=PROPOSAL)
    assert db.session.scalars(select(Chapter.slug).order_by(Chapter.id)).all() == [
        "nantes-independants", "nantes-independants-2"]


def test_a_bad_proposal_is_refused_next_to_the_fields(client, auth):
    auth.login_as(make_user())
    response = client.post("/chapters/new", data={**PROPOSAL, "name": "", "country": "QQ", "description": "short"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("name", "country", "description"):
        assert f'id="{field}-error"' in body
    assert 'value="Nantes"' in body
    assert db.session.scalar(select(Chapter)) is None


def test_a_pending_chapter_is_hidden_from_the_list_and_from_others(client, auth):
    pending = make_chapter(status="pending", name="Hidden Pending")
    assert "Hidden Pending" not in client.get("/chapters/").get_data(as_text=True)
    assert client.get(f"/chapters/{pending.slug}").status_code == 404
    auth.login_as(make_user())
    assert client.get(f"/chapters/{pending.slug}").status_code == 404


def test_an_admin_approves_then_archives(client, auth):
    chapter = make_chapter(status="pending")
    auth.login_as(make_admin())
    assert "Approve" in client.get("/admin/").get_data(as_text=True)
    client.post(f"/chapters/{chapter.slug}/transitions/approve")
    assert fresh(chapter).status == "active"
    client.post(f"/chapters/{chapter.slug}/transitions/archive", data={"reason": "Merged"})
    assert fresh(chapter).status == "archived"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == chapter.id,
                                                         AuditEvent.entity_type == "chapter")).all()
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("approve", "pending", "active"), ("archive", "active", "archived")]
    assert events[1].reason == "Merged"
    log = client.get("/admin/audit").get_data(as_text=True)
    assert f'<a href="/chapters/{chapter.slug}">{chapter.name}</a>:' in log and "Merged" in log
    assert "chapter #" not in log


def test_an_invalid_transition_is_refused_with_a_message(client, auth):
    chapter = make_chapter(status="archived")
    auth.login_as(make_admin())
    response = client.post(f"/chapters/{chapter.slug}/transitions/approve", follow_redirects=True)
    assert "This cannot be done while the chapter is archived." in response.get_data(as_text=True)
    json = client.post(f"/chapters/{chapter.slug}/transitions/approve", headers={"Accept": "application/json"})
    assert json.status_code == 409 and "archived" in json.json["message"]
    assert fresh(chapter).status == "archived"


def test_the_page_offers_only_the_transitions_the_viewer_may_make(client, auth):
    chapter = make_chapter()
    auth.login_as(make_user())
    assert "transitions/archive" not in client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
    auth.login_as(make_admin())
    assert "transitions/archive" in client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)


def test_members_join_and_leave(client, auth):
    chapter = make_chapter()
    member = make_user("joiner", name="Jo Iner")
    auth.login_as(member)
    client.post(f"/chapters/{chapter.slug}/join")
    assert fresh(chapter).role_of(member) == "member"
    assert "Jo Iner" in client.get(f"/chapters/{chapter.slug}").get_data(as_text=True)
    assert client.post(f"/chapters/{chapter.slug}/join").status_code == 403  # already a member
    client.post(f"/chapters/{chapter.slug}/leave")
    chapter.forget_roles()
    assert chapter.role_of(member) is None
    assert audit_actions(chapter) == ["join", "leave"]


def test_nobody_joins_a_pending_or_archived_chapter(client, auth):
    auth.login_as(make_user())
    for status in ("pending", "archived"):
        chapter = make_chapter(status=status)
        assert client.post(f"/chapters/{chapter.slug}/join").status_code == 403


def test_the_last_lead_cannot_leave(client, auth):
    lead = make_user()
    chapter = make_chapter(lead)
    auth.login_as(lead)
    response = client.post(f"/chapters/{chapter.slug}/leave", follow_redirects=True)
    assert "appoint a co-lead before you leave" in response.get_data(as_text=True)
    assert fresh(chapter).role_of(lead) == "lead"


def test_a_lead_appoints_and_removes_a_co_lead(client, auth):
    lead = make_user()
    chapter = make_chapter(lead)
    member = add_member(chapter)
    auth.login_as(lead)
    client.post(f"/chapters/{chapter.slug}/members/{member.id}/role", data={"role": "co_lead"})
    chapter.forget_roles()
    assert fresh(chapter).role_of(member) == "co_lead"
    auth.login_as(member)
    assert client.get(f"/chapters/{chapter.slug}/edit").status_code == 200  # co-leads edit too
    auth.login_as(lead)
    client.post(f"/chapters/{chapter.slug}/members/{member.id}/role", data={"role": "member"})
    chapter.forget_roles()
    assert chapter.role_of(member) == "member"


def test_the_lead_role_cannot_be_taken_away_and_roles_are_checked(client, auth):
    lead = make_user()
    chapter = make_chapter(lead)
    co_lead = add_member(chapter, role="co_lead")
    auth.login_as(co_lead)
    client.post(f"/chapters/{chapter.slug}/members/{lead.id}/role", data={"role": "member"})
    assert client.post(f"/chapters/{chapter.slug}/members/{lead.id}/role", data={"role": "lead"}).status_code == 400
    chapter.forget_roles()
    assert fresh(chapter).role_of(lead) == "lead"


def test_leads_edit_their_chapter(client, auth):
    lead = make_user()
    chapter = make_chapter(lead)
    auth.login_as(lead)
    response = client.post(f"/chapters/{chapter.slug}/edit", data={**PROPOSAL, "name": "Renamed"})
    assert response.status_code == 302
    assert fresh(chapter).name == "Renamed" and chapter.slug != "renamed"  # URLs stay stable
    bad = client.post(f"/chapters/{chapter.slug}/edit", data={**PROPOSAL, "name": ""})
    assert bad.status_code == 400 and fresh(chapter).name == "Renamed"


def test_search_by_name_city_and_country(client):
    make_chapter(name="Lyon Freelancers", city="Lyon", country="FR")
    make_chapter(name="Montréal Indépendants", city="Montréal", country="CA")
    make_chapter(name="Toronto Guild", city="Toronto", country="CA")
    make_chapter(name="Old Guild", city="Toronto", country="CA", status="archived")

    def names(query):
        body = client.get("/chapters/", query_string=query).get_data(as_text=True)
        return [n for n in ("Lyon Freelancers", "Montréal Indépendants", "Toronto Guild", "Old Guild") if n in body]

    assert names({}) == ["Lyon Freelancers", "Montréal Indépendants", "Toronto Guild"]
    assert names({"q": "guild"}) == ["Toronto Guild"]
    assert names({"city": "montr"}) == ["Montréal Indépendants"]
    assert names({"country": "CA"}) == ["Montréal Indépendants", "Toronto Guild"]
    assert names({"country": "CA", "q": "lyon"}) == []


def test_the_list_is_paginated_and_keeps_the_search(client):
    for n in range(25):
        make_chapter(name=f"Guild {n:02d}", country="CA", commit=False)
    db.session.commit()
    first = client.get("/chapters/?country=CA").get_data(as_text=True)
    assert "Guild 19" in first and "Guild 20" not in first
    assert 'href="/chapters/?page=2&amp;country=CA"' in first or 'href="/chapters/?country=CA&amp;page=2"' in first
    second = client.get("/chapters/?country=CA&page=2").get_data(as_text=True)
    assert "Guild 20" in second and "Guild 24" in second and "Guild 19" not in second
    assert client.get("/chapters/?page=99").status_code == 200
    assert client.get("/chapters/?page=abc").status_code == 200


def test_the_home_page_counts_active_chapters(client):
    make_chapter()
    make_chapter(status="pending")
    body = client.get("/").get_data(as_text=True)
    assert '<p class="mb-0 stat-number">1</p>' in body and "active chapter" in body
