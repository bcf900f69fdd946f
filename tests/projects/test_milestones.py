"""Milestones through the web: planning, deliverables with checked uploads, private downloads, reviews."""
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core import uploads
from projects.models import Milestone, Review, Submission
from tests.conftest import fresh
from tests.factories import make_admin, make_chapter, make_project, make_user

def image_bytes(size=(2, 2), mode="RGB", kind="PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=kind)
    return buffer.getvalue()


PNG = image_bytes()
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.fixture
def world(app):
    lead, member = make_user("lead"), make_user("member", name="Mo Member")
    project = make_project(make_chapter(lead), status="active", team=(member,), milestones=2)
    first = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id, Milestone.position == 1))
    return {"lead": lead, "member": member, "project": project, "milestone": first}


def submit(client, world, **data):
    m = world["milestone"]
    return client.post(f"/projects/{m.project_id}/milestones/{m.id}/submit", data={"note": "Here it is", **data},
                       content_type="multipart/form-data")


def submissions():
    return db.session.scalar(select(func.count()).select_from(Submission))


@pytest.mark.parametrize("name, content", [
    ("report.pdf", PDF), ("chart.png", PNG), ("photo.jpg", image_bytes(kind="JPEG")),
    ("data.csv", b"a,b\n1,2\n"), ("bundle.zip", None), ("analysis.ipynb", None), ("notes.md", "# Notes\n".encode()),
    ("readme.txt", "Voilà\n".encode()),
])
def test_allowed_files_are_stored_outside_static_under_a_random_name(client, auth, world, app, name, content):
    if name.endswith(".zip"):
        content = zip_bytes()
    if name.endswith(".ipynb"):
        content = json.dumps({"cells": [], "nbformat": 4, "metadata": {}}).encode()
    auth.login_as(world["member"])
    response = submit(client, world, file=(io.BytesIO(content), name))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    submission = db.session.scalar(select(Submission))
    assert submission.file_name == name and submission.file_key != name and len(submission.file_key) == 32
    path = uploads.path_for(submission.file_key)
    assert path.read_bytes() == content and "static" not in str(path)


@pytest.mark.parametrize("name, content, message", [
    ("virus.exe", b"MZ\x90\x00", "not accepted"),
    ("fake.pdf", b"<html>not a pdf</html>", "does not match"),
    ("fake.png", PDF, "does not match"),
    ("binary.txt", b"\x00\x01\x02", "does not match"),
    ("broken.ipynb", b"{not json", "does not match"),
    ("empty.txt", b"", "empty"),
])
def test_disallowed_files_are_refused_and_nothing_is_stored(client, auth, world, app, name, content, message):
    auth.login_as(world["member"])
    response = submit(client, world, file=(io.BytesIO(content), name))
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body and 'id="file-error"' in body
    assert submissions() == 0 and fresh(world["milestone"]).status == "planned"
    assert not any(p.is_file() for p in uploads.upload_folder().rglob("*")) if uploads.upload_folder().exists() else True


def test_files_over_ten_megabytes_are_refused(client, auth, world):
    auth.login_as(world["member"])
    response = submit(client, world, file=(io.BytesIO(b"a" * (uploads.MAX_UPLOAD_BYTES + 1)), "big.txt"))
    assert response.status_code == 400 and "larger than 10 MB" in response.get_data(as_text=True)
    assert submissions() == 0


def test_a_link_or_a_file_is_needed(client, auth, world):
    auth.login_as(world["member"])
    response = submit(client, world)
    assert response.status_code == 400 and "Add a link, a file, or both." in response.get_data(as_text=True)
    assert submit(client, world, note="").status_code == 400
    assert submissions() == 0


def test_downloads_are_attachments_for_the_team_leads_and_admins_only(client, auth, world):
    auth.login_as(world["member"])
    submit(client, world, file=(io.BytesIO(b"<script>alert(1)</script>"), "page.txt"))
    submission = db.session.scalar(select(Submission))
    url = f"/projects/{world['project'].id}/submissions/{submission.id}/file"
    for viewer in (world["member"], world["lead"], make_admin()):
        auth.login_as(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "page.txt" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    auth.login_as(make_user())
    assert client.get(url).status_code == 403
    page = client.get(f"/projects/{world['project'].id}/milestones/{world['milestone'].id}").get_data(as_text=True)
    assert "Here it is" not in page  # outsiders see the milestone, not the deliverables


def test_review_keeps_the_full_history(client, auth, world):
    m, member, lead = world["milestone"], world["member"], world["lead"]
    base = f"/projects/{m.project_id}/milestones/{m.id}"
    auth.login_as(member)
    submit(client, world, link="https://example.org/v1", note="First version")
    auth.login_as(lead)
    refused = client.post(f"{base}/review", data={"decision": "request_changes", "comment": ""})
    assert refused.status_code == 400 and "Say what needs to change." in refused.get_data(as_text=True)
    client.post(f"{base}/review", data={"decision": "request_changes", "comment": "Add the sources."})
    auth.login_as(member)
    submit(client, world, link="https://example.org/v2", note="Second version")
    auth.login_as(lead)
    client.post(f"{base}/review", data={"decision": "accept", "comment": "Great."})
    assert fresh(m).status == "accepted"
    page = client.get(base).get_data(as_text=True)
    for text in ("First version", "Add the sources.", "Second version", "Great."):
        assert text in page
    assert [r.decision for r in db.session.scalars(select(Review).order_by(Review.id))] == [
        "changes_requested", "accepted"]


def test_leads_plan_edit_reorder_and_delete_milestones_until_submitted(client, auth, world):
    project, lead = world["project"], world["lead"]
    auth.login_as(lead)
    due = (date.today() + timedelta(days=40)).isoformat()
    bad = client.post(f"/projects/{project.id}/milestones/new", data={"title": "", "due_date": "someday"})
    assert bad.status_code == 400 and 'id="title-error"' in bad.get_data(as_text=True)
    client.post(f"/projects/{project.id}/milestones/new", data={"title": "Launch", "due_date": due})
    launch = db.session.scalar(select(Milestone).where(Milestone.title == "Launch"))
    assert launch.position == 3
    client.post(f"/projects/{project.id}/milestones/{launch.id}/move", data={"direction": "up"})
    assert fresh(launch).position == 2
    client.post(f"/projects/{project.id}/milestones/{launch.id}/edit", data={"title": "Go live", "due_date": due})
    assert fresh(launch).title == "Go live"
    launch_id = launch.id
    client.post(f"/projects/{project.id}/milestones/{launch_id}/delete")
    db.session.expunge_all()
    assert db.session.get(Milestone, launch_id) is None
    first = db.session.get(Milestone, world["milestone"].id)
    first.status = "submitted"
    db.session.commit()
    response = client.post(f"/projects/{project.id}/milestones/{first.id}/edit",
                           data={"title": "Changed", "due_date": due}, follow_redirects=True)
    assert "cannot be changed once work on it has been submitted" in response.get_data(as_text=True)
    assert fresh(first).title == "Milestone 1"


def test_the_project_page_shows_progress_and_a_timeline(client, world):
    first = world["milestone"]
    first.status, first.due_date = "accepted", date.today() - timedelta(days=3)
    db.session.commit()
    body = client.get(f"/projects/{world['project'].id}").get_data(as_text=True)
    assert '<progress id="project-progress" class="project-progress mb-3" value="1" max="2">' in body
    assert "1 of 2 milestones accepted" in body
    assert "<svg" in body and "Milestone timeline" in body and "today" in body and "accepted" in body


def test_a_deliverable_image_that_declares_a_huge_size_is_refused(client, auth, world):
    auth.login_as(world["member"])
    bomb = image_bytes((20_000, 20_000), mode="1")
    assert len(bomb) < 100_000
    response = submit(client, world, file=(io.BytesIO(bomb), "map.png"))
    assert response.status_code == 400 and "more than 50 million pixels" in response.get_data(as_text=True)
    assert submissions() == 0


@pytest.mark.parametrize("sent, kept", [("re\r\nport.txt", "re port.txt"), ("invoice\u202egnp.txt", "invoice gnp.txt"),
                                        ("../../etc/\x00passwd.txt", "passwd.txt"), ("\t\n", "file")])
def test_control_and_bidirectional_characters_never_reach_a_file_name(sent, kept):
    assert uploads.clean_name(sent) == kept


def test_uploads_are_stored_under_their_clean_name():
    from werkzeug.datastructures import FileStorage

    assert uploads.check(FileStorage(io.BytesIO(b"hello"), filename="re\r\nport.txt")).name == "re port.txt"


def test_a_file_name_stored_with_a_line_break_still_downloads(client, auth, world):
    auth.login_as(world["member"])
    assert submit(client, world, file=(io.BytesIO(b"hello"), "report.txt")).status_code == 302
    submission = db.session.scalar(select(Submission))
    submission.file_name = "old\r\nname.txt"  # as stored before names were cleaned
    db.session.commit()
    download = client.get(f"/projects/{world['project'].id}/submissions/{submission.id}/file")
    assert download.status_code == 200 and "\r" not in download.headers["Content-Disposition"]
    assert "old name.txt" in download.headers["Content-Disposition"]
