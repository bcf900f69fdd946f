"""Demo days (issue 14 item 5): publishing one, or adding a project to it, invites the presenting teams and their
sponsors' reviewers (in the app, by email as each chose), never twice; the invited answer from the event page;
cancelling tells them; once the demo day has taken place each presenting project's feed records it."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from accounts.models import Notification
from accounts.notifications import set_preference
from core.audit import AuditEvent, utcnow
from core.extensions import db
from core.jobs import JobIntent
from events import tasks
from events.models import Event, EventInvitation, Rsvp
from projects.models import ProjectActivity, TeamMember
from tests.conftest import count_queries, fresh, over_budget
from tests.events.test_events import event_form, in_days
from tests.factories import (add_member, make_chapter, make_event, make_organisation, make_project, make_sponsorship,
                             make_user)


def invited(event) -> dict[int, str]:
    return dict(db.session.execute(select(EventInvitation.user_id, EventInvitation.role)
                                   .where(EventInvitation.event_id == event.id)).all())


def invitations_to(user) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                         Notification.kind == "event.invited")).all()


@pytest.fixture
def w(app):
    lead = make_user("lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    ana, ben, gone = make_user("ana", name="Ana Team"), make_user("ben", name="Ben Team"), make_user("gone")
    clinic = make_project(chapter, status="active", title="Bookkeeping clinic", team=(ana, gone, lead))
    db.session.execute(update(TeamMember).where(TeamMember.user_id == gone.id).values(left_at=utcnow()))
    kiosk = make_project(chapter, status="active", title="Solar kiosk log", team=(ben, ana))
    rita, sam = make_user("rita", name="Rita Reviewer"), make_user("sam", name="Sam Sponsor")
    northwind = make_organisation(sam, name="Northwind", reviewers=(rita,))
    make_sponsorship(clinic, northwind, status="confirmed")
    stranger = make_user("olga", name="Olga Offered")
    make_sponsorship(kiosk, make_organisation(stranger, name="Offering only"), status="offered")
    sleeper = make_user("sleepy")
    make_sponsorship(kiosk, make_organisation(sleeper, name="Archived sponsor", status="archived"), status="confirmed")
    member = add_member(chapter, make_user("member"))
    return {"lead": lead, "chapter": chapter, "ana": ana, "ben": ben, "gone": gone, "clinic": clinic, "kiosk": kiosk,
            "rita": rita, "sam": sam, "stranger": stranger, "sleeper": sleeper, "member": member}


def publish(client, auth, w, *projects, **changes):
    auth.login_as(w["lead"])
    response = client.post(f"/chapters/{w['chapter'].slug}/events/new", data=event_form(
        kind="demo_day", title="Autumn demo day", competencies=[], capacity="40",
        presenting=[str(p.id) for p in projects], **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Event).order_by(Event.id.desc()).limit(1))


def test_publishing_a_demo_day_invites_the_presenting_team_and_its_confirmed_sponsors(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    assert invited(event) == {w["ana"].id: "team", w["rita"].id: "sponsor", w["sam"].id: "sponsor"}
    note = invitations_to(w["rita"])[0]
    assert note.url == f"/events/{event.id}" and note.params["project"] == "Bookkeeping clinic"
    # Left the team, not presenting, sponsor not confirmed or archived, not concerned, organising (on the team).
    for nobody in ("gone", "ben", "stranger", "sleeper", "member", "lead"):
        assert invitations_to(w[nobody]) == []
    # By email for those who chose it (the default), in the app only for the others: through the outbox.
    emails = db.session.scalars(select(JobIntent.args).where(JobIntent.name == "accounts.tasks.email_notification"))
    emailed = {db.session.get(Notification, args[0]).user_id for args in emails}
    assert emailed == {w["ana"].id, w["rita"].id, w["sam"].id}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "event", AuditEvent.action == "invite")) == 1


def test_a_member_who_chose_the_app_only_is_invited_without_an_email(client, auth, w):
    set_preference(w["rita"], "event.invited", "app")
    db.session.commit()
    publish(client, auth, w, w["clinic"])
    assert len(invitations_to(w["rita"])) == 1
    emails = db.session.scalars(select(JobIntent.args).where(JobIntent.name == "accounts.tasks.email_notification"))
    assert w["rita"].id not in {db.session.get(Notification, args[0]).user_id for args in emails}


def test_editing_invites_only_the_people_of_a_project_added_and_never_twice(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    edit = event_form(kind="demo_day", title="Autumn demo day, renamed", competencies=[], capacity="40",
                      presenting=[str(w["clinic"].id)])
    assert client.post(f"/events/{event.id}/edit", data=edit).status_code == 302
    assert len(invitations_to(w["ana"])) == 1 and len(invitations_to(w["rita"])) == 1
    edit["presenting"] = [str(w["clinic"].id), str(w["kiosk"].id)]  # Ana is on both teams: still one invitation
    assert client.post(f"/events/{event.id}/edit", data=edit).status_code == 302
    assert invited(event) == {w["ana"].id: "team", w["rita"].id: "sponsor", w["sam"].id: "sponsor",
                              w["ben"].id: "team"}
    assert [n.params["project"] for n in invitations_to(w["ben"])] == ["Solar kiosk log"]
    assert len(invitations_to(w["ana"])) == 1
    assert tasks.invite_to_demo_day(event.id) == 0  # the job run again (a retry) invites nobody


def test_other_kinds_and_demo_days_without_projects_invite_nobody(client, auth, w):
    publish(client, auth, w)
    auth.login_as(w["lead"])
    client.post(f"/chapters/{w['chapter'].slug}/events/new", data=event_form())
    assert db.session.scalar(select(func.count()).select_from(EventInvitation)) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.kind == "event.invited")) == 0


def test_a_cancelled_or_ended_demo_day_invites_nobody(app, w):
    from events.models import EventProject
    for status, starts in (("cancelled", 48), ("scheduled", -48)):
        event = make_event(w["chapter"], kind="demo_day", status=status, starts_in_hours=starts)
        db.session.add(EventProject(event_id=event.id, project_id=w["clinic"].id))
        db.session.commit()
        assert tasks.invite_to_demo_day(event.id) == 0 and invited(event) == {}


def test_the_invited_see_why_and_answer_from_the_event_page(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    auth.login_as(w["rita"])
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "You are invited: “Bookkeeping clinic” presents at this demo day." in page
    assert client.post(f"/events/{event.id}/answer", data={"answer": "going"}).status_code == 302
    assert db.session.scalar(select(Rsvp.status).where(Rsvp.user_id == w["rita"].id)) == "going"
    auth.login_as(w["member"])  # not invited: no such sentence
    assert 'id="invitation-note"' not in client.get(f"/events/{event.id}").get_data(as_text=True)
    auth.login_as(w["lead"])  # the organisers see how many each presentation invited
    assert "3 people invited (team and sponsors)" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_the_invitation_reads_in_french(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    auth.login_as(w["ana"])
    body = client.get("/notifications", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Vous êtes invité·e à la journée de démonstration « Autumn demo day »" in body
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Vous êtes invité·e : « Bookkeeping clinic » présente à cette journée de démonstration." in page


def test_cancelling_a_demo_day_tells_everyone_invited_once(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    auth.login_as(w["ana"])
    client.post(f"/events/{event.id}/answer", data={"answer": "going"})  # invited and going: told once
    auth.login_as(w["lead"])
    response = client.post(f"/events/{event.id}/transitions/cancel", data={"reason": "The venue flooded."})
    assert response.status_code == 302
    told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "event.cancelled")).all()
    assert sorted(told) == sorted([w["ana"].id, w["rita"].id, w["sam"].id])
    assert tasks.invite_to_demo_day(event.id) == 0  # a job left over from an edit invites nobody now


# ---- after the demo day: the presenting projects' feeds ----

def held(event, hours_ago: int = 3):
    db.session.execute(update(Event).where(Event.id == event.id).values(
        starts_at=utcnow() - timedelta(hours=hours_ago + 2), ends_at=utcnow() - timedelta(hours=hours_ago)))
    db.session.commit()
    db.session.expire_all()


def presented(project) -> list[dict]:
    return db.session.scalars(select(ProjectActivity.params).where(ProjectActivity.project_id == project.id,
                                                                   ProjectActivity.verb == "presented")).all()


def test_once_held_each_presenting_projects_feed_records_the_demo_day_once(client, auth, w):
    event = publish(client, auth, w, w["clinic"], w["kiosk"])
    assert tasks.record_presentations() == 0 and presented(w["clinic"]) == []  # not held yet
    held(event)
    assert tasks.record_presentations() == 1
    db.session.commit()
    assert [p["event"] for p in presented(w["clinic"])] == ["Autumn demo day"]
    assert [p["event"] for p in presented(w["kiosk"])] == ["Autumn demo day"]
    assert tasks.record_presentations() == 0 and len(presented(w["clinic"])) == 1  # the next hour: nothing again
    assert fresh(event).presentations_recorded_at is not None
    page = client.get(f"/projects/{w['clinic'].id}").get_data(as_text=True)
    assert "Presented at “Autumn demo day”." in page
    french = client.get(f"/projects/{w['clinic'].id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Présenté à la journée « Autumn demo day »." in french


def test_a_cancelled_demo_day_and_other_kinds_are_never_recorded(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    client.post(f"/events/{event.id}/transitions/cancel", data={"reason": "The venue flooded."})
    held(event)
    meetup = make_event(w["chapter"], kind="meetup", starts_in_hours=-30)
    assert tasks.record_presentations() == 0 and tasks.record_presentations(meetup.id) == 0
    assert presented(w["clinic"]) == []


def test_marking_attendance_after_the_demo_day_records_it_at_once(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    auth.login_as(w["ana"])
    client.post(f"/events/{event.id}/answer", data={"answer": "going"})
    held(event)
    auth.login_as(w["lead"])
    response = client.post(f"/events/{event.id}/attendance", data={"attended": [str(w["ana"].id)]})
    assert response.status_code == 302
    assert [p["event"] for p in presented(w["clinic"])] == ["Autumn demo day"]


def test_marking_attendance_during_the_demo_day_does_not_record_it_yet(client, auth, w):
    event = publish(client, auth, w, w["clinic"])
    auth.login_as(w["ana"])
    client.post(f"/events/{event.id}/answer", data={"answer": "going"})
    db.session.execute(update(Event).where(Event.id == event.id).values(
        starts_at=utcnow() - timedelta(hours=1), ends_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    auth.login_as(w["lead"])
    client.post(f"/events/{event.id}/attendance", data={"attended": [str(w["ana"].id)]})
    assert presented(w["clinic"]) == []


# ---- statements ----

def test_a_demo_day_page_costs_the_same_whatever_it_presents_and_invited(client, auth, app):
    counts = {}
    for size in (1, 12):
        lead = make_user()
        chapter = make_chapter(lead)
        projects = [make_project(chapter, status="active", team=(make_user(), make_user())) for _ in range(size)]
        for project in projects:
            make_sponsorship(project, make_organisation(reviewers=(make_user(),)), status="confirmed")
        auth.login_as(lead)
        day = in_days(10)
        client.post(f"/chapters/{chapter.slug}/events/new", data=event_form(
            kind="demo_day", competencies=[], capacity="90", presenting=[str(p.id) for p in projects],
            starts_local=day, ends_local=day.replace("T18", "T20")))
        event = db.session.scalar(select(Event).where(Event.chapter_id == chapter.id))
        assert len(invited(event)) == 4 * size
        counts[size] = {}
        for viewer in ("lead", "invited"):
            if viewer == "invited":
                auth.login_as(db.session.get(type(lead), next(iter(invited(event)))))
            with count_queries() as queries:
                assert client.get(f"/events/{event.id}").status_code == 200
            counts[size][f"{viewer} event"] = len(queries)
    assert counts[1] == counts[12], counts
    assert over_budget(counts[12]) == {}, counts


def test_invitations_are_in_the_members_export_and_go_with_their_account(client, auth, w):
    from core.personal_data import ERASERS, PARTS, Erasure
    publish(client, auth, w, w["clinic"])
    exported = PARTS["events"].collect(w["rita"])
    assert [(row["event"], row["role"]) for row in exported["invitations.json"]] == [("Autumn demo day", "sponsor")]
    rita = w["rita"]
    ERASERS["events"](Erasure(rita.id, rita.name, rita.handle, rita.email))
    db.session.commit()
    assert w["rita"].id not in invited(db.session.scalar(select(Event)))
