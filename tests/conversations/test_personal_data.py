"""A member's messages are in their data export; deleting the account removes their messages and takes their
name and handle out of the others' messages, which stay."""
import io
import json
import zipfile

from sqlalchemy import func, select

from conversations import queries, services
from conversations.models import Message, ThreadRead
from core.extensions import db
from core.personal_data import files_of
from privacy import services as privacy_services
from tests.factories import make_chapter, make_project, make_user


def build():
    zelda, lead = make_user("zeldaq", name="Zelda Quixote", email="zelda@example.org"), make_user("lead")
    project = make_project(make_chapter(lead), status="active", team=(zelda,))
    thread, _ = queries.thread_for("project", project)
    services.post_message(thread, zelda, "My own words about the map.")
    thread, _ = queries.thread_for("project", project)
    services.post_message(thread, lead, "Thanks @zeldaq! Zelda Quixote did great work.")
    return zelda, lead, project


def test_the_export_holds_the_members_messages_and_read_positions(app):
    zelda, lead, project = build()
    files = {path: content for _, path, content in files_of(zelda)}
    messages = json.loads(files["conversations/messages.json"])
    assert [m["body"] for m in messages] == ["My own words about the map."]
    assert messages[0]["conversation"] == "project" and messages[0]["project"] == project.title
    positions = json.loads(files["conversations/read_positions.json"])
    assert len(positions) == 1 and positions[0]["project"] == project.title
    lead_files = {path: content for _, path, content in files_of(lead)}
    assert "My own words" not in lead_files["conversations/messages.json"].decode()


def test_deleting_the_account_removes_their_messages_and_their_name_from_others(client, auth, app):
    zelda, lead, project = build()
    privacy_services.delete_account(zelda, zelda)
    mine, theirs = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert mine.body == "" and mine.deleted_at is not None
    assert theirs.body == "Thanks Former member! Former member did great work."
    assert db.session.scalar(select(func.count()).select_from(ThreadRead).where(ThreadRead.user_id == zelda.id)) == 0
    auth.login_as(lead)
    body = client.get(f"/projects/{project.id}/conversation").get_data(as_text=True)
    assert "Message removed" in body and "Zelda" not in body and "zeldaq" not in body


def test_the_zip_carries_the_conversations_part(client, auth, app):
    zelda, _, _ = build()
    auth.login_as(zelda)
    client.post("/me/data")
    export = db.session.scalar(select(privacy_services.DataExport))
    with zipfile.ZipFile(io.BytesIO(privacy_services.path_for(export).read_bytes())) as archive:
        assert "conversations/messages.json" in archive.namelist()
        assert "messages.json" in archive.read("README.txt").decode()
