"""Demo and scale data cover events: an upcoming workshop with a waiting list, a past meetup with attendance,
and at scale events of every kind with answers that never exceed their places."""
from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from events.models import KINDS, Event, Rsvp


def test_the_demo_has_a_full_workshop_with_a_waiting_list_and_a_past_meetup(runner, client):
    assert runner.invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    workshop = db.session.scalar(select(Event).where(Event.title == "Pricing your freelance work"))
    assert workshop.kind == "workshop" and workshop.going_count == workshop.capacity == 2
    waiting = db.session.scalars(select(User.handle).join(Rsvp, Rsvp.user_id == User.id)
                                 .where(Rsvp.event_id == workshop.id, Rsvp.status == "waiting")).all()
    assert waiting == ["lucas"] and not workshop.has_started
    meetup = db.session.scalar(select(Event).where(Event.title == "Spring meetup"))
    assert meetup.has_ended
    attended = db.session.scalars(select(User.handle).join(Rsvp, Rsvp.user_id == User.id)
                                  .where(Rsvp.event_id == meetup.id, Rsvp.attended.is_(True))).all()
    assert attended == ["priya"]
    assert "Spring meetup" in client.get("/u/priya").get_data(as_text=True)
    assert "Pricing your freelance work" in client.get("/chapters/freelance-montreal").get_data(as_text=True)


def test_scale_data_has_events_of_every_kind_within_capacity(runner):
    result = runner.invoke(args=["seed-scale", "--quiet", "--force", "--scale", "0.0005"])
    assert result.exit_code == 0, result.output
    assert set(db.session.scalars(select(Event.kind).distinct())) == set(KINDS)
    going = dict(db.session.execute(select(Rsvp.event_id, func.count()).where(Rsvp.status == "going")
                                    .group_by(Rsvp.event_id)).all())
    for event in db.session.scalars(select(Event)):
        assert going.get(event.id, 0) == event.going_count <= event.capacity
    assert db.session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.status == "waiting")) > 0


def test_the_demo_has_demo_days_with_invitations_and_a_workshop_on_priyas_profile(runner, client):
    from events.models import EventInvitation
    from projects.models import Project, ProjectActivity

    assert runner.invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    autumn = db.session.scalar(select(Event).where(Event.title == "Journée de démonstration d’automne"))
    invited = dict(db.session.execute(select(User.handle, EventInvitation.role)
                                      .join(EventInvitation, EventInvitation.user_id == User.id)
                                      .where(EventInvitation.event_id == autumn.id)).all())
    assert invited.get("noah") == invited.get("sofia") == "sponsor"  # Northwind's reviewer and admin
    assert "team" in invited.values() and "lucas" not in invited  # the team; not the lead who organises it
    spring = db.session.scalar(select(Event).where(Event.title == "Spring demo day"))
    assert spring.has_ended and spring.presentations_recorded_at is not None
    presented = db.session.scalars(select(Project.title).join(ProjectActivity, ProjectActivity.project_id == Project.id)
                                   .where(ProjectActivity.verb == "presented")).all()
    assert sorted(presented) == ["Food bank volunteer scheduler", "Tenant rights chatbot"]
    portfolio = client.get("/u/priya").get_data(as_text=True)
    assert "Writing a proposal a non-profit can approve" in portfolio.split('id="profile-events-heading"')[1]
    assert "Workshop attended: Writing a proposal a non-profit can approve" in portfolio


def test_scale_demo_days_present_projects_invite_their_teams_and_feed_those_held(runner):
    from events.models import EventInvitation, EventProject
    from projects.models import Project, ProjectActivity, TeamMember

    result = runner.invoke(args=["seed-scale", "--quiet", "--force", "--scale", "0.002"])
    assert result.exit_code == 0, result.output
    pairs = db.session.execute(select(EventProject.event_id, EventProject.project_id, Event.kind, Event.chapter_id,
                                      Project.chapter_id, Project.status)
                               .join(Event, Event.id == EventProject.event_id)
                               .join(Project, Project.id == EventProject.project_id)).all()
    assert pairs and all(kind == "demo_day" and ours == theirs and status in ("active", "delivered")
                         for _e, _p, kind, ours, theirs, status in pairs)
    invited = db.session.execute(select(EventInvitation.user_id, EventInvitation.project_id)).all()
    team = set(db.session.execute(select(TeamMember.user_id, TeamMember.project_id)).all())
    assert invited and set(invited) <= team
    held = db.session.scalars(select(Event.id).where(Event.kind == "demo_day",
                                                     Event.presentations_recorded_at.is_not(None))).all()
    presented = db.session.execute(select(ProjectActivity.params).where(ProjectActivity.verb == "presented")).all()
    assert held and len(presented) == sum(1 for e, *_ in pairs if e in set(held))
