"""Schemathesis against a live server, over every operation of the OpenAPI document (reads and writes) with
a token holding every scope: no server error, and every response as the document says (status, media type,
schema). The token's member leads a chapter, is on a team and administers a sponsor organisation, so the
writes reach their services (and their refusals) rather than stopping at 403."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from sqlalchemy import select

from core.extensions import db
from projects.models import Milestone
from tests.api.helpers import token_for
from tests.factories import (add_member, issue_credentials, make_application, make_chapter, make_delivered_project,
                             make_organisation, make_project, make_sponsorship, make_user)
from tests.servers import LiveServer

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def build_world() -> str:
    """A lead's chapter with a recruiting project (applications waiting), an active one whose other member
    submitted a milestone, an offer and a request of sponsorship; the lead's token (every scope)."""
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon Makers")
    project = make_project(chapter, competencies=("admin.budget",))
    for handle in ("applicant", "applicant2"):
        make_application(project, make_user(handle))
    teammate = make_user("teammate")
    active = make_project(chapter, status="active", team=(teammate, lead), milestones=3)
    first = db.session.scalar(select(Milestone).where(Milestone.project_id == active.id).order_by(Milestone.position))
    first.status = "submitted"
    db.session.commit()
    add_member(chapter, make_user("plain"))
    issue_credentials(make_delivered_project(chapter, team=(make_user("ada"),)))
    admin = make_user("sponsoradmin")
    org = make_organisation(admin, name="Acme Fund")
    make_sponsorship(active, org, status="offered", created_by=admin)
    make_sponsorship(project, make_organisation(lead, name="Lead's Fund"), status="offered")
    make_sponsorship(active, org, status="requested", created_by=lead)
    return token_for(lead)


def test_schemathesis_finds_no_server_error_and_no_deviation_on_any_operation(app, tmp_path):
    app.config.update(API_RATE_LIMIT="100000 per minute", PAGE_CACHE=True)
    server = LiveServer(app)
    with server.app_context():
        secret = build_world()
    server.start()
    report = tmp_path / "junit.xml"
    try:
        run = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "run", f"{server.url}/api/v1/openapi.json",
             "--url", server.url, "--checks", CHECKS, "--max-examples", "10", "--max-time", "70",
             "--phases", "examples,coverage,fuzzing", "--seed", "13", "--workers", "1",
             "--header", f"Authorization: Bearer {secret}", "--generation-database", "none", "--no-color",
             "--report", "junit", "--report-junit-path", str(report)],
            capture_output=True, text=True, timeout=300, cwd=tmp_path)  # its cache stays out of the repository
    finally:
        server.stop()
    print(run.stdout[-3000:])  # the figures: operations, cases per phase, failures (pytest -s shows them)
    assert report.exists(), run.stdout + run.stderr
    cases = ElementTree.parse(report).getroot().findall(".//testcase")
    failures = [case.get("name") for case in cases if case.find("failure") is not None or case.find("error") is not None]
    from api import rest
    operations = sum(1 for item in rest.spec.to_dict()["paths"].values()
                     for method in item if method in ("get", "post", "patch", "put", "delete"))
    assert len(cases) == operations == 20, run.stdout  # every operation, the writes included
    assert failures == [], run.stdout[-6000:]
    assert run.returncode == 0, run.stdout[-6000:]
