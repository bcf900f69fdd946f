"""The learning portfolio on /u/<handle>, credentials on delivered project pages and on the
applications a lead reviews."""
import re

from core.extensions import db
from credentials import queries
from tests.conftest import count_queries
from tests.credentials.conftest import page_of
from tests.factories import (issue_credentials, make_application, make_chapter, make_delivered_project, make_project,
                             make_user)


def revoke_directly(credential, by, reason="Issued by mistake."):
    from credentials.issuing import revoke_credential

    revoke_credential(queries.by_uuid(credential.uuid), by, reason)  # with its project, which the rule reads


def test_the_portfolio_lists_credentials_valid_first_and_skills_with_counts(client, w):
    second = make_delivered_project(w["chapter"], team=(w["ada"],), title="Bike repair booking", skills=("Python", "UX"))
    third = make_delivered_project(w["chapter"], team=(w["ada"],), title="Old newsletter", skills=("Copywriting",))
    issue_credentials(second)
    [revoked] = issue_credentials(third)
    revoke_directly(revoked, w["admin"])
    html = client.get("/u/ada").get_data(as_text=True)
    section = html[html.index("Learning credentials"):]
    titles = re.findall(r'href="/credentials/[0-9a-f-]{36}">([^<]+)</a>', section)
    assert titles[-1] == "Old newsletter" and set(titles[:2]) == {"Water point map", "Bike repair booking"}
    assert "Revoked on" in section
    skills = dict(re.findall(r'<li class="skill badge[^"]*">([^<]+?) <span class="visually-hidden">:</span>'
                             r'<span class="badge[^"]*">(\d+) projects?</span>', section))
    assert skills == {"Python": "2", "Mapping": "1", "UX": "1"}  # a revoked credential teaches nothing here


def test_a_member_without_credentials_has_no_credential_section(client, w):
    assert "Learning credentials" not in client.get("/u/someone").get_data(as_text=True)


def test_a_hidden_portfolio_is_a_404_to_others_and_visible_to_its_owner(client, auth, w):
    w["ada"].profile_hidden = True
    db.session.commit()
    assert client.get("/u/ada").status_code == 404
    auth.login_as(w["member"])
    assert client.get("/u/ada").status_code == 404
    auth.login_as(w["ada"])
    response = client.get("/u/ada")
    assert response.status_code == 200 and "Water point map" in response.get_data(as_text=True)


def test_a_long_portfolio_is_paginated(client, w, monkeypatch):
    monkeypatch.setattr(queries, "PORTFOLIO_PAGE_SIZE", 2)
    for n in range(3):
        issue_credentials(make_delivered_project(w["chapter"], team=(w["ada"],), title=f"Extra project {n}"))
    first = client.get("/u/ada").get_data(as_text=True)
    second = client.get("/u/ada?page=2").get_data(as_text=True)
    link = r'href="/credentials/[0-9a-f-]{36}"'
    assert len(re.findall(link, first)) == 2 and len(re.findall(link, second)) == 2
    assert 'href="/u/ada?page=2"' in first


def test_a_delivered_project_lists_its_credentials(client, w):
    revoke_directly(w["french"], w["lead"])
    html = client.get(f"/projects/{w['project'].id}").get_data(as_text=True)
    section = html[html.index("Credentials issued"):]
    assert f'href="{page_of(w["credential"])}"' in section and "Credential of Ada Lovelace" in section
    assert f'href="{page_of(w["french"])}"' in section and "revoked" in section
    assert "Credentials issued" not in client.get(
        f"/projects/{make_project(w['chapter']).id}").get_data(as_text=True)


def test_a_hidden_recipient_is_not_named_on_the_project_page(client, w):
    w["ada"].profile_hidden = True
    db.session.commit()
    html = client.get(f"/projects/{w['project'].id}").get_data(as_text=True)
    assert "Credential of Ada Lovelace" not in html and "Credential of a team member" in html


def test_the_lead_sees_each_applicants_credentials(client, auth, w):
    recruiting = make_project(w["chapter"], title="Next project")
    make_application(recruiting, w["ada"])
    make_application(recruiting, w["member"])
    auth.login_as(w["lead"])
    html = client.get(f"/projects/{recruiting.id}/applications").get_data(as_text=True)
    ada_card = html[html.index("Ada Lovelace"):]
    assert "1 learning credential:" in ada_card
    assert f'href="{page_of(w["credential"])}">Water point map</a>' in ada_card
    assert "No learning credential yet." in html


def test_the_applications_page_loads_all_applicants_credentials_in_one_query(client, auth, w):
    recruiting = make_project(w["chapter"], title="Popular project", team_max=10)
    counts = {}
    for size in (2, 12):
        while len(counts.get("applicants", [])) < size:
            person = make_user(commit=False)
            db.session.commit()
            done = make_delivered_project(make_chapter(commit=False), team=(person,))
            db.session.commit()
            issue_credentials(done)
            make_application(recruiting, person)
            counts.setdefault("applicants", []).append(person)
        auth.login_as(w["lead"])
        with count_queries() as statements:
            assert client.get(f"/projects/{recruiting.id}/applications").status_code == 200
        counts[size] = len(statements)
    assert counts[2] == counts[12]
