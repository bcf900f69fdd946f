"""Conversations: who reads and writes which thread, what a message may hold, mentions, edits and removal,
unread positions, notifications, the posting limit, and the lead's message to an applicant."""
from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounts.models import Notification
from conversations import queries, services
from conversations.models import MAX_MESSAGE_LENGTH, Message, Thread, ThreadRead
from core.audit import AuditEvent, utcnow
from core.extensions import db
from projects.models import Milestone
from tests.conftest import fresh
from tests.factories import (add_member, make_admin, make_application, make_chapter, make_organisation,
                             make_project, make_sponsorship, make_user)


@pytest.fixture
def w(app):
    lead = make_user("lead", name="Lena Lead")
    chapter = make_chapter(lead)
    co_lead = add_member(chapter, make_user("colead", name="Colin Colead"), role="co_lead")
    teammate, other_teammate = make_user("teammate", name="Tara Team"), make_user("mate", name="Matt Mate")
    applicant = make_user("applicant", name="Anna Applicant")
    reviewer, unconfirmed = make_user("reviewer", name="Rita Reviewer"), make_user("unconfirmed")
    active = make_project(chapter, status="active", team=(teammate, other_teammate), milestones=1)
    sponsor_admin = make_user("sponsoradmin")
    make_sponsorship(active, make_organisation(sponsor_admin, reviewers=(reviewer,)), status="confirmed")
    make_sponsorship(active, make_organisation(reviewers=(unconfirmed,)), status="offered")
    recruiting = make_project(chapter, status="recruiting")
    other_lead = make_user("otherlead")
    make_chapter(other_lead)
    return {"lead": lead, "co_lead": co_lead, "teammate": teammate, "mate": other_teammate, "applicant": applicant,
            "reviewer": reviewer, "sponsor_admin": sponsor_admin, "unconfirmed": unconfirmed, "other_lead": other_lead,
            "member": make_user("member"),
            "admin": make_admin("admin"), "active": active, "recruiting": recruiting,
            "milestone": db.session.scalar(select(Milestone).where(Milestone.project_id == active.id)),
            "application": make_application(recruiting, applicant)}


def urls(w) -> dict[str, str]:
    return {"application": f"/projects/{w['recruiting'].id}/applications/{w['application'].id}/conversation",
            "milestone": f"/projects/{w['active'].id}/milestones/{w['milestone'].id}/conversation",
            "project": f"/projects/{w['active'].id}/conversation"}


def post(client, url, body):
    return client.post(url, data={"body": body})


def message_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Message))


READERS = {"application": {"applicant", "lead", "co_lead"},
           "milestone": {"teammate", "mate", "lead", "co_lead", "reviewer"},
           "project": {"teammate", "mate", "lead", "co_lead"}}
EVERYONE = ("lead", "co_lead", "teammate", "mate", "applicant", "reviewer", "unconfirmed", "other_lead", "member",
            "admin")


@pytest.mark.parametrize("kind", sorted(READERS))
def test_each_thread_is_read_and_written_only_by_its_people(client, auth, w, kind):
    url = urls(w)[kind]
    for role in EVERYONE:
        auth.login_as(w[role])
        before = message_count()
        allowed = role in READERS[kind]
        assert client.get(url).status_code == (200 if allowed else 403), role
        response = post(client, url, f"Hello from {role}")
        assert response.status_code == (302 if allowed else 403), role
        assert message_count() == before + (1 if allowed else 0), role
    auth.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_an_applicant_and_a_lead_talk_on_the_application(client, auth, w):
    url = urls(w)["application"]
    auth.login_as(w["applicant"])
    response = post(client, url, "When does the field survey start?")
    assert response.status_code == 302 and "#message-" in response.headers["Location"]
    auth.login_as(w["lead"])
    body = client.get(url).get_data(as_text=True)
    assert "When does the field survey start?" in body and "New messages" in body
    assert "Anna Applicant" in body
    # The lead was told (in the app; the kind's default for new messages is the daily digest).
    note = db.session.scalar(select(Notification).where(Notification.user_id == w["lead"].id,
                                                         Notification.kind == "thread_message"))
    assert note is not None and note.url.startswith(url)
    post(client, url, "Next Monday. Welcome!")
    auth.login_as(w["applicant"])
    body = client.get(url).get_data(as_text=True)
    assert body.index("When does the field survey start?") < body.index("Next Monday. Welcome!")


def test_mentions_notify_the_people_in_the_thread(client, auth, w, app):
    auth.login_as(w["reviewer"])
    response = post(client, urls(w)["milestone"], "@teammate could you add the sources? cc @Lead")
    assert response.status_code == 302
    mentions = db.session.scalars(select(Notification.user_id).where(Notification.kind == "thread_mention")).all()
    assert sorted(mentions) == sorted([w["teammate"].id, w["lead"].id])
    # The others hear of the message as they chose; the mentioned are not told twice.
    plain = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "thread_message")))
    assert plain == {w["mate"].id, w["co_lead"].id, w["sponsor_admin"].id}
    # Mentions are emailed by default.
    emails = [message_from_bytes(p.read_bytes(), policy=policy.default)
              for p in Path(app.config["MAIL_FOLDER"]).glob("*.eml")]
    assert {m["To"].addresses[0].addr_spec for m in emails} == {w["teammate"].email, w["lead"].email}
    assert any("mentioned you" in m["Subject"] for m in emails)


def test_a_mention_of_someone_outside_the_thread_is_refused(client, auth, w):
    auth.login_as(w["teammate"])
    before = message_count()
    response = post(client, urls(w)["project"], "Ask @reviewer and @nosuchperson")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Only people in this conversation can be mentioned: @reviewer, @nosuchperson" in body
    assert 'id="body-error"' in body and "Ask @reviewer and @nosuchperson</textarea>" in body  # kept, next to it
    assert message_count() == before
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


@pytest.mark.parametrize("body, message", [
    ("", "Write a message before sending it."),
    ("   \n  ", "Write a message before sending it."),
    ("x" * (MAX_MESSAGE_LENGTH + 1), f"A message holds at most {MAX_MESSAGE_LENGTH} characters"),
    ("bell \x07 here", "invisible control characters"),
    ("null \x00 here", "invisible control characters"),
    ("reversed \u202e txt.exe", "invisible control characters"),
])
def test_bad_messages_are_refused_next_to_the_field_and_change_nothing(client, auth, w, body, message):
    auth.login_as(w["teammate"])
    response = post(client, urls(w)["project"], body)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="body-error"' in text and message in text
    assert message_count() == 0


def test_links_are_clickable_and_everything_else_is_escaped(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "See https://example.org/a?b=1&c=2. <script>alert(1)</script> "
                                     "javascript:alert(1) <b>bold</b>\n\nNew paragraph")
    body = client.get(urls(w)["project"]).get_data(as_text=True)
    assert ('<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">'
            'https://example.org/a?b=1&amp;c=2</a>.') in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript' not in body and "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "<p>New paragraph</p>" in body


def test_the_author_edits_within_fifteen_minutes(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Meeting at 10")
    message = db.session.scalar(select(Message))
    assert client.get(f"/messages/{message.id}/edit").status_code == 200
    response = client.post(f"/messages/{message.id}/edit", data={"body": "Meeting at 11"})
    assert response.status_code == 302
    assert fresh(message).body == "Meeting at 11" and message.edited_at is not None
    assert "edited" in client.get(urls(w)["project"]).get_data(as_text=True)


def test_an_edit_after_the_window_is_refused_with_a_message(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Meeting at 10")
    message = db.session.scalar(select(Message))
    message.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    response = client.post(f"/messages/{message.id}/edit", data={"body": "Meeting at 11"})
    assert response.status_code == 403
    assert "can be changed for 15 minutes" in response.get_data(as_text=True)
    assert fresh(message).body == "Meeting at 10" and message.edited_at is None


def test_nobody_edits_someone_elses_message(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Meeting at 10")
    message = db.session.scalar(select(Message))
    for role in ("mate", "lead"):
        auth.login_as(w[role])
        response = client.post(f"/messages/{message.id}/edit", data={"body": "Changed by someone else"})
        assert response.status_code == 403
        assert "You can change only your own messages." in response.get_data(as_text=True)
    auth.login_as(w["member"])  # not in the thread: refused without seeing the message
    response = client.get(f"/messages/{message.id}/edit")
    assert response.status_code == 403 and "Meeting at 10" not in response.get_data(as_text=True)
    assert fresh(message).body == "Meeting at 10"


def test_an_edit_that_mentions_someone_outside_is_refused(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Meeting at 10")
    message = db.session.scalar(select(Message))
    response = client.post(f"/messages/{message.id}/edit", data={"body": "Meeting at 10 @reviewer"})
    assert response.status_code == 400 and "Only people in this conversation" in response.get_data(as_text=True)
    assert fresh(message).body == "Meeting at 10"


def test_an_edit_that_adds_a_mention_notifies_only_the_newly_mentioned(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Meeting at 10 @mate")
    message = db.session.scalar(select(Message))
    client.post(f"/messages/{message.id}/edit", data={"body": "Meeting at 10 @mate @lead"})
    mentioned = db.session.scalars(select(Notification.user_id).where(Notification.kind == "thread_mention")).all()
    assert sorted(mentioned) == sorted([w["mate"].id, w["lead"].id])


def test_the_author_or_a_lead_removes_a_message_which_leaves_a_trace(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "First")
    post(client, urls(w)["project"], "Second")
    first, second = db.session.scalars(select(Message).order_by(Message.id)).all()
    auth.login_as(w["mate"])
    assert client.post(f"/messages/{first.id}/delete").status_code == 403
    assert fresh(first).deleted_at is None
    auth.login_as(w["teammate"])
    assert client.post(f"/messages/{first.id}/delete").status_code == 302
    auth.login_as(w["co_lead"])
    assert client.post(f"/messages/{second.id}/delete").status_code == 302
    assert fresh(first).body == "" and fresh(second).body == "" and second.deleted_by_id == w["co_lead"].id
    body = client.get(urls(w)["project"]).get_data(as_text=True)
    assert body.count("Message removed") == 2 and "First" not in body.split("Messages")[-1]
    # The lead's moderation is in the audit log; the author's own removal is not.
    assert db.session.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity_type == "message")).all() \
        == [second.id]
    assert client.post(f"/messages/{second.id}/delete").status_code == 403  # already removed


def test_posting_faster_than_the_limit_is_refused_next_to_the_field(client, auth, w, app):
    app.config["MESSAGE_RATE_LIMIT"] = "2 per minute"
    auth.login_as(w["teammate"])
    assert post(client, urls(w)["project"], "one").status_code == 302
    assert post(client, urls(w)["project"], "").status_code == 400  # refused messages do not count
    assert post(client, urls(w)["project"], "two").status_code == 302
    response = post(client, urls(w)["milestone"], "three")
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    assert 'id="body-error"' in text and "faster than this site allows" in text and "three</textarea>" in text
    assert message_count() == 2
    auth.login_as(w["mate"])  # the limit is each member's own
    assert post(client, urls(w)["project"], "mine").status_code == 302


def test_messages_are_paginated_and_open_at_the_first_unread(client, auth, w):
    thread, _ = queries.thread_for("project", w["active"])
    for n in range(1, 46):
        thread, _ = queries.thread_for("project", w["active"])
        services.post_message(thread, w["teammate"] if n > 5 else w["mate"], f"Message number {n:02d}")
    auth.login_as(w["mate"])  # read up to their own fifth message: the first unread (6) is on page 1
    body = client.get(urls(w)["project"]).get_data(as_text=True)
    assert "Message number 01" in body and "Message number 20" in body and "Message number 21" not in body
    assert 'id="unread"' in body and body.index('id="unread"') < body.index("Message number 06")
    assert body.index("Message number 05") < body.index('id="unread"')
    assert f'href="{urls(w)["project"]}?page=3"' in body
    # Having seen page 1, they open the thread at page 2 next time.
    body = client.get(urls(w)["project"]).get_data(as_text=True)
    assert "Message number 21" in body and "Message number 40" in body and "Message number 20" not in body
    page3 = client.get(urls(w)["project"] + "?page=3").get_data(as_text=True)
    assert "Message number 45" in page3


def test_unread_conversations_show_on_me_until_opened(client, auth, w):
    auth.login_as(w["applicant"])
    post(client, urls(w)["application"], "Hello leads")
    auth.login_as(w["lead"])
    body = client.get("/me").get_data(as_text=True)
    assert "Unread conversations" in body and "1 unread" in body and urls(w)["application"] in body
    applications = client.get(f"/projects/{w['recruiting'].id}/applications").get_data(as_text=True)
    assert f'href="{urls(w)["application"]}">Conversation with Anna Applicant</a>' in applications
    assert "1 unread" in applications
    client.get(urls(w)["application"])
    assert "Unread conversations" not in client.get("/me").get_data(as_text=True)
    assert db.session.get(ThreadRead, (w["lead"].id, db.session.scalar(select(Thread.id)))).last_read_id > 0


def test_a_closed_project_thread_is_read_but_takes_no_message(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Before the end")
    w["active"].status = "cancelled"
    db.session.commit()
    body = client.get(urls(w)["project"]).get_data(as_text=True)
    assert "Before the end" in body and "This conversation is closed" in body and 'name="body"' not in body
    assert post(client, urls(w)["project"], "After the end").status_code == 403
    assert message_count() == 1


def test_the_leads_message_reaches_the_applicant(client, auth, w, app):
    auth.login_as(w["lead"])
    response = client.post(f"/projects/{w['recruiting'].id}/applications/{w['application'].id}/decline",
                           data={"message": "Thank you! The team is complete; please apply to our next project."})
    assert response.status_code == 302
    note = db.session.scalar(select(Notification).where(Notification.user_id == w["applicant"].id))
    assert note.params["message"].startswith("Thank you! The team is complete")
    assert note.url == urls(w)["application"]
    [eml] = Path(app.config["MAIL_FOLDER"]).glob("*.eml")
    email = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "The team is complete; please apply to our next project." in email.get_body(("plain",)).get_content()
    assert "The team is complete; please apply" in email.get_body(("html",)).get_content()
    auth.login_as(w["applicant"])
    for path in ("/me", f"/projects/{w['recruiting'].id}", urls(w)["application"], "/notifications"):
        assert "The team is complete; please apply to our next project." in client.get(path).get_data(as_text=True), \
            path
    thread_page = client.get(urls(w)["application"]).get_data(as_text=True)
    assert "Message from the chapter’s leads with the decision" in thread_page
    assert "This conversation is closed" not in thread_page  # the applicant can answer


def test_a_withdrawn_applications_thread_is_closed(client, auth, w):
    auth.login_as(w["applicant"])
    post(client, urls(w)["application"], "Hello")
    client.post(f"/projects/{w['recruiting'].id}/applications/{w['application'].id}/withdraw")
    assert post(client, urls(w)["application"], "Still there?").status_code == 403
    auth.login_as(w["lead"])
    assert post(client, urls(w)["application"], "Sorry to see you go").status_code == 403
    assert message_count() == 1


def test_unknown_subjects_are_not_found(client, auth, w):
    auth.login_as(w["lead"])
    assert client.get(f"/projects/{w['active'].id}/milestones/999999/conversation").status_code == 404
    assert client.get(f"/projects/{w['active'].id}/applications/{w['application'].id}/conversation").status_code \
        == 404  # the application belongs to another project
    assert client.get("/messages/999999/edit").status_code == 404
    assert client.post("/messages/999999/delete").status_code == 404


def test_a_page_number_past_the_end_shows_no_message_and_no_error(client, auth, w):
    auth.login_as(w["teammate"])
    post(client, urls(w)["project"], "Only one")
    assert client.get(urls(w)["project"] + "?page=99").status_code == 200
    assert client.get(urls(w)["project"] + "?page=abc").status_code in (200, 400, 404)


def test_a_post_without_a_csrf_token_is_refused(client, auth, w):
    auth.login_as(w["teammate"])
    response = client.post(urls(w)["project"], data={"body": "Hello"}, csrf=False)
    assert response.status_code == 400 and message_count() == 0
