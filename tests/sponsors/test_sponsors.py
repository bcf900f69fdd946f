"""Sponsor organisations, their members, and the sponsorship lifecycle, through the pages."""
import pytest
from sqlalchemy import func, select

from accounts.models import Notification
from core.extensions import db
from sponsors import money
from sponsors.models import SponsorMember, SponsorOrganisation, Sponsorship
from tests.conftest import count_queries, fresh, over_budget
from tests.factories import (add_member, make_admin, make_chapter, make_organisation, make_project, make_sponsorship,
                             make_user)


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def notes(user, kind) -> int:
    return count(Notification, user_id=user.id, kind=kind)


@pytest.fixture
def w(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    sponsor_admin, reviewer = make_user("sadmin"), make_user("sreviewer")
    org = make_organisation(sponsor_admin, reviewers=(reviewer,), name="Acme Foundation")
    project = make_project(chapter, title="Water map", status="recruiting")
    return {"lead": lead, "chapter": chapter, "admin": sponsor_admin, "reviewer": reviewer, "org": org,
            "project": project}


def offer(client, w, **data):
    form = {"organisation": str(w["org"].id), "kind": "funding", "amount": "1500.50", "currency": "EUR", **data}
    return client.post(f"/projects/{w['project'].id}/sponsorships/offer", data=form)


# Organisations -----------------------------------------------------------------------------------------------------

def test_a_member_registers_an_organisation_that_waits_for_an_admin(client, auth, app):
    member, admin = make_user("founder"), make_admin("root")
    auth.login_as(member)
    response = client.post("/sponsors/new", data={"name": "Green Bank", "website": "https://green.example",
                                                  "contact_email": "hello@green.example",
                                                  "description": "A bank that funds green civic projects."})
    org = db.session.scalar(select(SponsorOrganisation))
    assert response.status_code == 302 and org.status == "pending" and org.slug == "green-bank"
    assert db.session.scalar(select(SponsorMember.role).where(SponsorMember.user_id == member.id)) == "admin"
    assert "Green Bank" not in client.get("/sponsors/").get_data(as_text=True)
    auth.login_as(make_user())
    assert client.get("/sponsors/green-bank").status_code == 404
    auth.login_as(admin)
    assert "Green Bank" in client.get("/admin/").get_data(as_text=True)
    client.post("/sponsors/green-bank/transitions/approve")
    assert fresh(org).status == "active"
    auth.logout()
    assert "Green Bank" in client.get("/sponsors/").get_data(as_text=True)
    auth.login_as(admin)
    client.post("/sponsors/green-bank/transitions/archive", data={"reason": "Closed."})
    assert fresh(org).status == "archived"
    response = client.post("/sponsors/green-bank/transitions/approve")
    assert response.status_code == 302 and fresh(org).status == "archived"


def test_the_registration_form_shows_errors_next_to_the_fields(client, auth, app):
    auth.login_as(make_user())
    response = client.post("/sponsors/new", data={"name": "", "contact_email": "not an email", "description": "x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="contact_email-error"' in body and 'id="name-error"' in body
    assert count(SponsorOrganisation) == 0


def test_an_organisation_admin_removes_members(client, auth, w):
    auth.login_as(w["admin"])
    client.post(f"/sponsors/{w['org'].slug}/members/{w['reviewer'].id}/remove")
    assert count(SponsorMember, organisation_id=w["org"].id) == 1


def test_an_organisation_admin_edits_it_and_errors_show_next_to_the_fields(client, auth, w):
    auth.login_as(w["admin"])
    assert "Acme Foundation" in client.get(f"/sponsors/{w['org'].slug}/edit").get_data(as_text=True)
    response = client.post(f"/sponsors/{w['org'].slug}/edit", data={"name": "Acme", "contact_email": "x",
                                                                     "description": "Too short"})
    assert response.status_code == 400 and 'id="contact_email-error"' in response.get_data(as_text=True)
    client.post(f"/sponsors/{w['org'].slug}/edit", data={"name": "Acme Trust", "contact_email": "a@acme.example",
                                                         "description": "Funding civic projects since 1999."})
    slug = w["org"].slug
    assert fresh(w["org"]).name == "Acme Trust" and w["org"].slug == slug  # shared addresses stay


def test_the_last_admin_stays(client, auth, w):
    auth.login_as(w["admin"])
    client.post(f"/sponsors/{w['org'].slug}/members/{w['admin'].id}/remove")
    assert count(SponsorMember, organisation_id=w["org"].id, role="admin") == 1


def test_a_reviewer_cannot_manage_members(client, auth, w):
    auth.login_as(w["reviewer"])
    assert client.post(f"/sponsors/{w['org'].slug}/invitations",
                       data={"email": "lead@example.org", "role": "admin"}).status_code == 403
    assert client.post(f"/sponsors/{w['org'].slug}/members/{w['admin'].id}/remove").status_code == 403
    assert count(SponsorMember) == 2


# Sponsorships ------------------------------------------------------------------------------------------------------

def test_offer_then_the_lead_confirms(client, auth, w):
    auth.login_as(w["admin"])
    assert offer(client, w).status_code == 302
    sponsorship = db.session.scalar(select(Sponsorship))
    assert (sponsorship.status, sponsorship.amount_minor, sponsorship.currency) == ("offered", 150050, "EUR")
    assert notes(w["lead"], "sponsorship.offered") == 1
    # The side that offered cannot confirm it.
    client.post(f"/sponsorships/{sponsorship.id}/confirm")
    assert fresh(sponsorship).status == "offered"
    auth.login_as(w["lead"])
    body = client.get(f"/projects/{w['project'].id}").get_data(as_text=True)
    assert "Waiting for an answer" in body and "€1,500.50" in body
    assert client.post(f"/sponsorships/{sponsorship.id}/confirm").status_code == 302
    assert fresh(sponsorship).status == "confirmed" and sponsorship.decided_by_id == w["lead"].id
    assert notes(w["admin"], "sponsorship.confirmed") == 1
    auth.logout()
    body = client.get(f"/projects/{w['project'].id}").get_data(as_text=True)
    assert "Acme Foundation" in body and "€1,500.50" in body
    assert "Water map" in client.get(f"/sponsors/{w['org'].slug}").get_data(as_text=True)
    assert "Acme Foundation" in client.get(f"/chapters/{w['chapter'].slug}").get_data(as_text=True)
    # Confirmed: nobody withdraws any more.
    auth.login_as(w["admin"])
    client.post(f"/sponsorships/{sponsorship.id}/withdraw")
    assert fresh(sponsorship).status == "confirmed"


def test_request_then_the_organisation_declines(client, auth, w):
    auth.login_as(w["lead"])
    response = client.post(f"/projects/{w['project'].id}/sponsorships/request",
                           data={"organisation": str(w["org"].id), "kind": "in_kind", "in_kind_type": "venue",
                                 "description": "A room for the workshops."})
    sponsorship = db.session.scalar(select(Sponsorship))
    assert response.status_code == 302 and sponsorship.status == "requested" and sponsorship.initiated_by == "chapter"
    assert notes(w["admin"], "sponsorship.requested") == 1 and notes(w["reviewer"], "sponsorship.requested") == 0
    client.post(f"/sponsorships/{sponsorship.id}/decline")  # the lead asked: the organisation answers
    assert fresh(sponsorship).status == "requested"
    auth.login_as(w["reviewer"])
    assert client.post(f"/sponsorships/{sponsorship.id}/decline").status_code == 403
    auth.login_as(w["admin"])
    assert "A room for the workshops" in client.get(f"/sponsors/{w['org'].slug}").get_data(as_text=True)
    client.post(f"/sponsorships/{sponsorship.id}/decline")
    assert fresh(sponsorship).status == "declined" and notes(w["lead"], "sponsorship.declined") == 1


@pytest.mark.parametrize("starter", ["admin", "lead"])
def test_the_side_that_started_withdraws(client, auth, w, starter):
    status = "offered" if starter == "admin" else "requested"
    sponsorship = make_sponsorship(w["project"], w["org"], status=status, created_by=w[starter])
    other = "lead" if starter == "admin" else "admin"
    auth.login_as(w[other])
    assert client.post(f"/sponsorships/{sponsorship.id}/withdraw").status_code == 403
    auth.login_as(w[starter])
    client.post(f"/sponsorships/{sponsorship.id}/withdraw")
    assert fresh(sponsorship).status == "withdrawn"
    client.post(f"/sponsorships/{sponsorship.id}/confirm")
    assert fresh(sponsorship).status == "withdrawn"


def test_nobody_confirms_their_own_offer_even_on_both_sides(client, auth, w):
    both = w["admin"]
    add_member(w["chapter"], both, role="co_lead")
    auth.login_as(both)
    offer(client, w)
    sponsorship = db.session.scalar(select(Sponsorship))
    response = client.post(f"/sponsorships/{sponsorship.id}/confirm", follow_redirects=True)
    assert "You made this proposal: the other side answers it." in response.get_data(as_text=True)
    assert fresh(sponsorship).status == "offered"


@pytest.mark.parametrize("amount, currency, field, message", [
    ("0", "EUR", "amount", "more than zero"),
    ("-5", "EUR", "amount", "more than zero"),
    ("abc", "EUR", "amount", "as a number"),
    ("", "EUR", "amount", "as a number"),
    ("NaN", "EUR", "amount", "as a number"),
    ("10.5", "JPY", "amount", "JPY has 0 decimal places"),
    ("1.234", "EUR", "amount", "EUR has 2 decimal places"),
    ("100", "XYZ", "currency", "ISO 4217"),
    ("100", "", "currency", "ISO 4217"),
])
def test_bad_amounts_and_currencies_are_refused_next_to_the_field(client, auth, w, amount, currency, field, message):
    auth.login_as(w["admin"])
    response = offer(client, w, amount=amount, currency=currency)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and f'id="{field}-error"' in body and message in body
    assert count(Sponsorship) == 0


def test_in_kind_help_needs_a_type_and_a_description(client, auth, w):
    auth.login_as(w["admin"])
    response = offer(client, w, kind="in_kind", in_kind_type="", description="")
    assert response.status_code == 400 and 'id="in_kind_type-error"' in response.get_data(as_text=True)
    response = offer(client, w, kind="in_kind", in_kind_type="data", description="")
    assert response.status_code == 400 and 'id="description-error"' in response.get_data(as_text=True)
    assert count(Sponsorship) == 0


@pytest.mark.parametrize("status", ["cancelled", "delivered", "draft"])
def test_no_offer_to_a_closed_project(client, auth, w, status):
    w["project"].status = status
    db.session.commit()
    auth.login_as(w["admin"])
    response = offer(client, w)
    # A draft is invisible to sponsors; a closed project refuses offers (rule sponsorship.offer_to).
    assert response.status_code == (404 if status == "draft" else 403)
    assert count(Sponsorship) == 0


def test_a_sponsorship_is_not_confirmed_once_the_project_is_cancelled(client, auth, w):
    sponsorship = make_sponsorship(w["project"], w["org"], status="offered", created_by=w["admin"])
    w["project"].status = "cancelled"
    db.session.commit()
    auth.login_as(w["lead"])
    client.post(f"/sponsorships/{sponsorship.id}/confirm")
    assert fresh(sponsorship).status == "offered"


def test_one_open_proposal_per_organisation_and_project(client, auth, w):
    auth.login_as(w["admin"])
    offer(client, w)
    offer(client, w, amount="20")
    assert count(Sponsorship) == 1


def test_only_admins_of_active_organisations_offer(client, auth, w):
    pending = make_organisation(make_user("padmin"), status="pending")
    auth.login_as(db.session.get(type(w["lead"]), pending.created_by_id))
    assert client.get(f"/projects/{w['project'].id}/sponsorships/offer").status_code == 403
    auth.login_as(w["admin"])
    response = client.post(f"/projects/{w['project'].id}/sponsorships/offer",
                           data={"organisation": str(pending.id), "kind": "funding", "amount": "5", "currency": "EUR"})
    assert response.status_code == 400 and count(Sponsorship) == 0


# Money -------------------------------------------------------------------------------------------------------------

def test_money_is_formatted_per_currency_and_totalled_per_currency(app):
    with app.test_request_context():
        assert money.format_money(150050, "EUR") == "€1,500.50"
        assert money.format_money(1500, "JPY") == "¥1,500"
        assert money.format_money(1000, "KWD") .endswith("1.000")  # three decimal places
        assert money.to_minor("1 500,50", "EUR", "fr") == 150050
        confirmed = [Sponsorship(kind="funding", status="confirmed", amount_minor=a, currency=c)
                     for a, c in ((100, "EUR"), (250, "EUR"), (700, "CAD"))]
        confirmed.append(Sponsorship(kind="funding", status="offered", amount_minor=999, currency="EUR"))
        assert money.totals(confirmed) == [("CAD", 700), ("EUR", 350)]


def test_money_is_formatted_in_french(client, w):
    sponsorship = make_sponsorship(w["project"], w["org"], status="confirmed", amount_minor=150050)
    body = client.get(f"/projects/{sponsorship.project_id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "1\u202f500,50\xa0€" in body


def test_the_database_refuses_a_funding_without_a_positive_amount(app, w):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Sponsorship(project_id=w["project"].id, organisation_id=w["org"].id, kind="funding",
                               amount_minor=0, currency="EUR", status="offered", initiated_by="sponsor"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# Query counts ------------------------------------------------------------------------------------------------------

def build(size: int):
    lead = make_user()
    chapter = make_chapter(lead)
    sponsor_admin = make_user()
    main = make_organisation(sponsor_admin, reviewers=tuple(make_user(commit=False) for _ in range(3)))
    project = make_project(chapter, status="active")
    for n in range(size):
        other = make_organisation(make_user(commit=False), commit=False)
        sponsored = make_project(chapter, status="active", commit=False)
        make_sponsorship(sponsored, main, status="confirmed", currency=("EUR", "CAD", "JPY")[n % 3], commit=False)
        make_sponsorship(sponsored, main, status="offered", created_by=sponsor_admin, commit=False)
        make_sponsorship(project, other, status=("confirmed", "offered", "requested")[n % 3], commit=False)
    db.session.commit()
    return lead, sponsor_admin, main, project, chapter


@pytest.mark.parametrize("viewer", ["visitor", "sponsor_admin", "lead"])
def test_sponsor_pages_run_a_fixed_number_of_queries(client, auth, app, viewer):
    counts = {}
    for size in (3, 60):
        lead, sponsor_admin, main, project, chapter = build(size)
        if viewer != "visitor":
            auth.login_as(lead if viewer == "lead" else sponsor_admin)
        pages = {"directory": "/sponsors/", "organisation": f"/sponsors/{main.slug}",
                 "project": f"/projects/{project.id}", "chapter": f"/chapters/{chapter.slug}"}
        counts[size] = {}
        for name, path in pages.items():
            with count_queries() as queries:
                assert client.get(path).status_code == 200
            counts[size][name] = len(queries)
    assert counts[3] == counts[60], counts
    assert over_budget(counts[60]) == {}, counts[60]


def test_the_organisation_page_pages_its_sponsored_projects_and_totals_them_all(client, w):
    for number in range(30):
        project = make_project(w["chapter"], title=f"Sponsored project {number:02}", status="active")
        make_sponsorship(project, w["org"], status="confirmed", amount_minor=10000, commit=False)
    make_sponsorship(make_project(w["chapter"], status="active"), w["org"], status="confirmed", currency="CAD",
                     amount_minor=5000)
    first = client.get(f"/sponsors/{w['org'].slug}").get_data(as_text=True)
    second = client.get(f"/sponsors/{w['org'].slug}?page=2").get_data(as_text=True)
    shown = {n for n in range(30) if f"Sponsored project {n:02}" in first}
    assert len(shown) == 24 and {n for n in range(30) if f"Sponsored project {n:02}" in second} == set(range(30)) - shown
    assert 'rel="next"' in first
    for page in (first, second):  # the totals count every sponsorship, not the page's
        assert money.format_money(300000, "EUR") in page and money.format_money(5000, "CAD") in page
