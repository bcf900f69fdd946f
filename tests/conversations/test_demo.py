"""`flask seed-demo` gives conversations: Priya and Kofi on her application, Noah (Northwind's reviewer), Inès
and Lucas on the "Workshop kit" milestone, and the team's own discussion; the declined applicant reads the lead's
message; the pages open in both languages."""
from sqlalchemy import select

from accounts.models import User
from conversations.models import Thread
from core.extensions import db
from projects.models import Application, Milestone, Project


def user(handle):
    return db.session.scalar(select(User).where(User.handle == handle))


def test_seed_demo_gives_conversations(runner, client, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert sorted(t.kind for t in db.session.scalars(select(Thread))) == ["application", "milestone", "project"]
    active = db.session.scalar(select(Project).where(Project.title == "Bookkeeping clinic for associations"))
    kit = db.session.scalar(select(Milestone).where(Milestone.project_id == active.id,
                                                    Milestone.title == "Workshop kit"))
    auth.login_as(user("noah"))  # the sponsor's reviewer, in English
    body = client.get(f"/projects/{active.id}/milestones/{kit.id}/conversation").get_data(as_text=True)
    assert "the sources list would be enough" in body and "Inès Moreau" in body
    auth.login_as(user("ines"))  # mentioned; she reads French
    assert "Conversations non lues" in client.get("/me").get_data(as_text=True)
    body = client.get(f"/projects/{active.id}/milestones/{kit.id}/conversation").get_data(as_text=True)
    assert "Conversation sur « Workshop kit »" in body
    recruiting = db.session.scalar(select(Project).where(Project.title == "Open map of Accra water points"))
    declined = db.session.scalar(select(Application).where(Application.project_id == recruiting.id,
                                                           Application.status == "declined"))
    auth.login_as(declined.user)
    body = client.get(f"/projects/{recruiting.id}/applications/{declined.id}/conversation").get_data(as_text=True)
    assert "The team is complete for now." in body
    assert "The team is complete for now." in client.get("/me").get_data(as_text=True)
