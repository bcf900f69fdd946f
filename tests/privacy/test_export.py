"""A member's data export: everything the site holds about them in one zip, for them alone, for a week."""
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.models import Notification
from core.audit import utcnow
from core.extensions import db
from privacy import services, tasks
from privacy.models import DataExport
from core import uploads
from projects.models import Milestone, Submission
from sponsors.models import SponsorInvitation
from tests.conftest import fresh
from tests.factories import (add_member, issue_credentials, make_application, make_chapter, make_delivered_project,
                             make_organisation, make_project, make_user)


@pytest.fixture
def member(app):
    """A member with something in every part: a chapter, an application, a team, a submission with a file,
    an organisation, an invitation and a credential; and another member beside them on everything."""
    me = make_user("mona", name="Mona Export", email="mona@example.org")
    other = make_user("otto", name="Otto Other", email="otto@example.org")
    chapter = make_chapter(make_user("lead"))
    add_member(chapter, me)
    add_member(chapter, other)
    recruiting = make_project(chapter, status="recruiting", title="Water map")
    make_application(recruiting, me)
    application = make_application(recruiting, other)
    application.motivation = "Otto's private motivation"
    delivered = make_delivered_project(chapter, team=(me, other), title="Tenant chatbot")
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == delivered.id))
    for author, text in ((me, b"Mona's report"), (other, b"Otto's report")):
        key = uploads.store(uploads.CheckedFile("report.txt", "txt", text))
        db.session.add(Submission(milestone_id=milestone.id, author_id=author.id, note=f"Note by {author.name}",
                                  file_name="report.txt", file_key=key, file_type="txt"))
    org = make_organisation(me, name="Mona's Fund")
    db.session.add(SponsorInvitation(organisation_id=org.id, email=me.email, role="reviewer", status="declined",
                                     expires_at=utcnow() + timedelta(days=14)))
    db.session.commit()
    issue_credentials(delivered)
    return me


def export_zip(client, auth, user) -> zipfile.ZipFile:
    auth.login_as(user)
    assert client.post("/me/data").status_code == 302
    export = db.session.scalar(select(DataExport).where(DataExport.user_id == user.id))
    assert fresh(export).status == "ready"  # the job ran (inline in the tests)
    response = client.get(f"/me/data/{export.id}.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_export_holds_every_part_and_nothing_of_anyone_else(client, auth, member):
    archive = export_zip(client, auth, member)
    names = set(archive.namelist())
    read = lambda name: json.loads(archive.read(name))  # noqa: E731
    assert read("account/profile.json")["email"] == "mona@example.org"
    assert [m["role"] for m in read("chapters/memberships.json")] == ["member"]
    assert [a["project"] for a in read("projects/applications.json")] == ["Water map"]
    assert [t["project"] for t in read("projects/teams.json")] == ["Tenant chatbot"]
    [submission] = read("projects/submissions.json")
    assert submission["note"] == "Note by Mona Export" and archive.read(submission["file"]) == b"Mona's report"
    assert submission["withdrawn_at"] is None  # set when she took it back before review
    assert [o["organisation"] for o in read("sponsors/organisations.json")] == ["Mona's Fund"]
    assert [i["status"] for i in read("sponsors/invitations.json")] == ["declined"]
    [credential] = read("credentials/index.json")
    signed = read(f"credentials/{credential['id']}.json")
    assert signed["proof"] and f"credentials/{credential['id']}.jwt" in names
    assert json.loads(client.get(f"/credentials/{credential['id']}.json").data) == signed  # exactly as issued
    readme = archive.read("README.txt").decode()
    assert "Mona Export" in readme and "account/" in readme and "credentials/" in readme
    everything = b"".join(archive.read(name) for name in names)
    for foreign in (b"otto@example.org", b"Otto's private motivation", b"Otto's report", b"Note by Otto"):
        assert foreign not in everything


def test_only_its_member_downloads_an_export_and_only_for_a_week(client, auth, member):
    export_zip(client, auth, member)
    export = db.session.scalar(select(DataExport))
    auth.login_as(make_user("someone"))
    assert client.get(f"/me/data/{export.id}.zip").status_code == 404
    auth.logout()
    response = client.get(f"/me/data/{export.id}.zip")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    export.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    auth.login_as(member)
    assert client.get(f"/me/data/{export.id}.zip").status_code == 404
    assert "Expired" in client.get("/me/data").get_data(as_text=True)


def test_one_export_an_hour(client, auth, member):
    export_zip(client, auth, member)
    again = client.post("/me/data", follow_redirects=True)
    assert "less than an hour ago" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 1


def test_the_member_is_told_once_even_if_the_job_runs_twice(client, auth, member):
    export_zip(client, auth, member)
    export = db.session.scalar(select(DataExport))
    tasks.build_export(export.id)
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.user_id == member.id,
                                                          Notification.kind == tasks.EXPORT_READY)).all()
    assert len(notes) == 1 and notes[0].url == "/me/data"


def test_old_exports_are_deleted_with_their_files(client, auth, member):
    export_zip(client, auth, member)
    export = db.session.scalar(select(DataExport))
    path = services.path_for(export)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    tasks.delete_old_exports()
    db.session.commit()
    assert not path.exists() and db.session.scalar(select(func.count()).select_from(DataExport)) == 0


def test_the_readme_speaks_the_members_language(client, auth, member):
    member.locale = "fr"
    db.session.commit()
    readme = export_zip(client, auth, member).read("README.txt").decode()
    assert "Tout ce que Chapterhouse" in readme


@pytest.mark.parametrize("language, words", [("en", "What we store"), ("fr", "Ce que nous conservons")])
def test_the_privacy_page_is_public_in_both_languages(client, language, words):
    client.get(f"/language?locale={language}")
    response = client.get("/privacy")
    assert response.status_code == 200 and words in response.get_data(as_text=True)


def test_an_export_still_being_prepared_cannot_be_downloaded(client, auth, member):
    export = DataExport(user_id=member.id, file_key="a" * 32)  # pending: its job has not run
    db.session.add(export)
    db.session.commit()
    services.path_for(export).parent.mkdir(parents=True, exist_ok=True)
    services.path_for(export).write_bytes(b"half a zip")
    auth.login_as(member)
    assert client.get(f"/me/data/{export.id}.zip").status_code == 404
