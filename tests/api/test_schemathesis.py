"""Schemathesis against a live server, over every read operation of the OpenAPI document with a token of
every scope: no server error, and every response as the document says (status, media type, schema)."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from tests.api.helpers import token_for
from tests.factories import (issue_credentials, make_application, make_chapter, make_delivered_project,
                             make_organisation, make_project, make_user)
from tests.servers import LiveServer

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def test_schemathesis_finds_no_server_error_and_no_deviation_on_reads(app, tmp_path):
    app.config.update(API_RATE_LIMIT="100000 per minute", PAGE_CACHE=True)
    server = LiveServer(app)
    with server.app_context():
        lead = make_user("lead")
        chapter = make_chapter(lead, name="Lyon Makers")
        project = make_project(chapter, competencies=("admin.budget",))
        make_application(project, make_user("applicant"))
        issue_credentials(make_delivered_project(chapter, team=(make_user("ada"),)))
        make_organisation(make_user(), name="Acme Fund")
        secret = token_for(lead)
    server.start()
    report = tmp_path / "junit.xml"
    try:
        run = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "run", f"{server.url}/api/v1/openapi.json",
             "--url", server.url, "--include-method", "GET", "--checks", CHECKS, "--max-examples", "25",
             "--max-time", "90", "--seed", "13", "--workers", "1", "--header", f"Authorization: Bearer {secret}",
             "--generation-database", "none", "--no-color", "--report", "junit", "--report-junit-path", str(report)],
            capture_output=True, text=True, timeout=240, cwd=tmp_path)  # its cache stays out of the repository
    finally:
        server.stop()
    print(run.stdout[-3000:])  # the figures: operations, cases per phase, failures (pytest -s shows them)
    assert report.exists(), run.stdout + run.stderr
    suites = ElementTree.parse(report).getroot()
    cases = suites.findall(".//testcase")
    failures = [case.get("name") for case in cases if case.find("failure") is not None or case.find("error") is not None]
    assert len(cases) >= 10, run.stdout  # every read operation was exercised
    assert failures == [], run.stdout[-6000:]
    assert run.returncode == 0, run.stdout[-6000:]
