"""API lists and reads run the same number of SQL statements whatever the amount of data, and within the
pages' budget (tests/conftest.over_budget)."""
from __future__ import annotations

import pytest

from accounts.models import Notification
from core.extensions import db
from tests.api.helpers import token_for
from tests.conftest import count_queries, over_budget
from tests.factories import (make_application, make_chapter, make_delivered_project, make_organisation, make_project,
                             make_user, issue_credentials)


def grow(lead, chapter, member, size: int) -> None:
    for n in range(size):
        project = make_project(chapter, status=("recruiting", "active", "delivered")[n % 3], milestones=2,
                               skills=("Python", f"Skill {n % 7}"), commit=False)
        make_application(project, member, commit=False)
        db.session.add(Notification(user_id=member.id, kind="application_received", url="/",
                                     params={"applicant": "Ada", "project": "Water map", "actor": "Ada"}))
        make_chapter(make_user(commit=False), name=f"Chapter {n:04d}", commit=False)
        if n % 5 == 0:
            make_organisation(make_user(commit=False), name=f"Fund {n:04d}")
    db.session.commit()


def statements(client, path: str, token: str | None = None) -> int:
    with count_queries() as queries:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"} if token else {})
        assert response.status_code == 200, (path, response.get_json())
    return len(queries)


@pytest.mark.parametrize("caller", ["visitor", "member"])
def test_lists_run_a_fixed_number_of_queries(app, client, caller):
    app.config["PAGE_CACHE"] = False  # count the reads themselves, not the ETag's shortcut
    lead, member = make_user("lead"), make_user("member", skills=("Python",))
    chapter = make_chapter(lead)
    delivered = make_delivered_project(chapter, team=(member,))
    issue_credentials(delivered)
    token = token_for(member)
    lead_token = token_for(lead)
    for secret in (token, lead_token):  # each token's first use is written down (then at most once a minute)
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    counts = {}
    for size in (5, 60):
        grow(lead, chapter, member, size)
        project = make_project(chapter)
        make_application(project, make_user())
        paths = {"projects": "/api/v1/projects?limit=50", "projects filtered": "/api/v1/projects?skill=python&sdg=4",
                 "project": f"/api/v1/projects/{project.id}", "chapters": "/api/v1/chapters?limit=50",
                 "sponsors": "/api/v1/sponsors?limit=50", "member": "/api/v1/members/member",
                 "framework": "/api/v1/framework"}
        if caller == "member":
            paths.update({"me": "/api/v1/me", "my applications": "/api/v1/me/applications?limit=50",
                          "my notifications": "/api/v1/me/notifications?limit=50"})
        counts[size] = {f"{caller} {name}": statements(client, path, token if caller == "member" else None)
                        for name, path in paths.items()}
        if caller == "member":
            counts[size][f"{caller} project applications"] = statements(
                client, f"/api/v1/projects/{project.id}/applications?limit=50", lead_token)
    assert counts[5] == counts[60], (counts[5], counts[60])
    assert over_budget(counts[60]) == {}
    # A later page costs what the first one costs.
    second = client.get("/api/v1/projects?limit=10").headers["Link"].split(">")[0][1:].replace("http://localhost", "")
    assert statements(client, second) == statements(client, "/api/v1/projects?limit=10")
