"""A client generated from /api/v1/openapi.json by a third-party generator (openapi-python-client), used as
a partner would: list the recruiting projects, then apply to one with a member's token, over HTTP against
the app served on 127.0.0.1. It fails when the document no longer describes what the API does."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from core.extensions import db
from projects.models import Application
from tests.api.helpers import token_for
from tests.factories import make_chapter, make_project, make_user
from tests.servers import LiveServer

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "chapterhouse_client"
MOTIVATION = "I want to learn how to price and scope freelance work."


def generate(document: bytes, where: Path) -> None:
    (where / "openapi.json").write_bytes(document)
    run = subprocess.run([str(GENERATOR), "generate", "--path", str(where / "openapi.json"), "--meta", "none",
                          "--output-path", str(where / PACKAGE)],
                         capture_output=True, text=True, timeout=180, cwd=where,
                         env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    # The generator says "Warning(s) encountered" when it left out an operation or a schema it could not read.
    assert run.returncode == 0 and "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr


def test_a_generated_client_lists_recruiting_projects_and_applies(app, tmp_path):
    app.config.update(API_RATE_LIMIT="10000 per minute")
    generate(app.test_client().get("/api/v1/openapi.json").get_data(), tmp_path)
    server = LiveServer(app)
    with server.app_context():
        chapter = make_chapter(make_user(), name="Lyon Makers")
        recruiting = make_project(chapter, title="Price the bakery's catering")
        make_project(chapter, status="active", title="Already running")
        member = make_user("partneruser")
        recruiting_id, member_id = recruiting.id, member.id
        secret = token_for(member, ["read", "apply"])
    server.start()
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module(PACKAGE)
        project_list = importlib.import_module(f"{PACKAGE}.api.projects.project_list")
        apply = importlib.import_module(f"{PACKAGE}.api.me.apply")
        my_applications = importlib.import_module(f"{PACKAGE}.api.me.my_applications")
        models = importlib.import_module(f"{PACKAGE}.models")

        visitor = client_module.Client(base_url=server.url, raise_on_unexpected_status=True)
        listed = project_list.sync(client=visitor, status=models.ProjectListStatus("recruiting"))
        assert [(p.id, p.title, p.status, p.chapter.name) for p in listed] == \
            [(recruiting_id, "Price the bakery's catering", "recruiting", "Lyon Makers")]

        partner = client_module.AuthenticatedClient(base_url=server.url, token=secret,
                                                    raise_on_unexpected_status=True)
        response = apply.sync_detailed(client=partner, body=models.ApplicationIn(project_id=recruiting_id,
                                                                                  motivation=MOTIVATION))
        assert response.status_code == 201, response.content
        assert isinstance(response.parsed, models.ApplicationOut) and response.parsed.status == "pending"
        again = apply.sync(client=partner, body=models.ApplicationIn(project_id=recruiting_id, motivation=MOTIVATION))
        assert isinstance(again, models.Problem) and again.status == 403  # one application per project
        mine = my_applications.sync(client=partner)
        assert [(a.id, a.status) for a in mine] == [(response.parsed.id, "pending")]
    finally:
        server.stop()
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]
    db.session.remove()
    assert db.session.execute(select(Application.project_id, Application.user_id, Application.status)).all() == \
        [(recruiting_id, member_id, "pending")]
