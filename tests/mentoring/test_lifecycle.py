"""The mentoring lifecycles and every guard, through the services: what each refusal says, and that a refusal
changes nothing (no mentorship, no place taken, no audit row, no notification)."""
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from accounts import notifications
from accounts.models import Notification
from core.audit import AuditEvent
from core.errors import DomainError, FieldError, TransitionRefused
from core.extensions import db
from mentoring import services
from mentoring.lifecycle import MENTORSHIP, OFFER
from mentoring.models import MentorOffer, MentoringSession, Mentorship
from tests.conftest import fresh
from tests.factories import make_user
from tests.mentoring.helpers import make_mentorship, make_offer


def state() -> dict:
    db.session.expire_all()
    return {"mentorships": db.session.execute(select(Mentorship.id, Mentorship.status)).all(),
            "places": db.session.execute(select(MentorOffer.id, MentorOffer.open_count, MentorOffer.status)).all(),
            "sessions": db.session.scalar(select(func.count()).select_from(MentoringSession)),
            "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
            "notifications": db.session.scalar(select(func.count()).select_from(Notification))}


def audit_actions(entity: str, entity_id: int) -> list[tuple]:
    return db.session.execute(select(AuditEvent.action, AuditEvent.from_state, AuditEvent.to_state)
                              .where(AuditEvent.entity_type == entity, AuditEvent.entity_id == entity_id)
                              .order_by(AuditEvent.id)).all()


@pytest.fixture
def mentor(app):
    return make_user("mentor", name="Sofia Mentor")


@pytest.fixture
def offer(mentor):
    return make_offer(mentor, capacity=2)


def test_a_member_offers_once_with_competencies_skills_and_a_capacity(app, mentor):
    offer = services.create_offer(mentor, competencies=["scoping.pricing", "admin.budget"],
                                  skills=["Bookkeeping", "Tarification"], capacity=3, bio="I help you price.")
    assert offer.competency_codes == ["admin.budget", "scoping.pricing"]
    assert sorted(s.slug for s in offer.skills) == ["bookkeeping", "pricing"]  # typed in French, the same skill
    assert (offer.status, offer.capacity, offer.open_count) == ("active", 3, 0)
    assert audit_actions("mentor_offer", offer.id) == [("create", None, "active")]
    with pytest.raises(DomainError, match="already offer mentoring"):
        services.create_offer(mentor, competencies=["admin.budget"], skills=[], capacity=1, bio="Again.")


@pytest.mark.parametrize("fields, field, message", [
    ({"competencies": [], "skills": []}, "competencies", "at least one competency"),
    ({"competencies": ["made.up"]}, "competencies", "from the list"),
    ({"competencies": ["scoping.pricing", "scoping.proposal", "admin.budget", "admin.invoicing", "sales.pitching",
                       "brand.network"]}, "competencies", "at most 5"),
    ({"capacity": 0}, "capacity", "between 1 and 20"),
    ({"capacity": 21}, "capacity", "between 1 and 20"),
    ({"skills": [f"Skill {n}" for n in range(11)]}, "skills", "at most 10 skills"),
])
def test_an_offer_with_bad_fields_is_refused_next_to_the_field(app, mentor, fields, field, message):
    before = state()
    with pytest.raises(FieldError) as refused:
        services.create_offer(mentor, **{"competencies": ["admin.budget"], "skills": [], "capacity": 2,
                                         "bio": "A bio.", **fields})
    assert message in refused.value.errors[field]
    assert state() == before


def test_the_capacity_cannot_go_below_the_places_taken(app, offer):
    make_mentorship(offer, status="active")
    make_mentorship(offer, status="requested")
    with pytest.raises(FieldError) as refused:
        services.update_offer(offer, offer.user, competencies=["scoping.pricing"], skills=[], capacity=1, bio="x")
    assert "2 mentees already hold a place" in refused.value.errors["capacity"]
    assert fresh(offer).capacity == 2
    services.update_offer(offer, offer.user, competencies=["scoping.pricing"], skills=[], capacity=2, bio="x")


def test_a_request_takes_a_place_tells_the_mentor_and_is_audited(app, offer):
    mentee = make_user()
    mentorship = services.request_mentoring(offer, mentee, "  Price my first project.  ")
    assert (mentorship.status, mentorship.goal, mentorship.mentor_id) == ("requested", "Price my first project.",
                                                                          offer.user_id)
    assert fresh(offer).open_count == 1
    note = db.session.scalar(select(Notification).where(Notification.user_id == offer.user_id))
    assert note.kind == "mentorship.requested" and note.url == f"/mentorships/{mentorship.id}"
    assert notifications.message(note) == f"{mentee.name} asks you for mentoring: Price my first project."
    assert audit_actions("mentorship", mentorship.id) == [("request", None, "requested")]


@pytest.mark.parametrize("case, message", [
    ("yourself", "cannot ask yourself"),
    ("paused", "not taking requests"),
    ("withdrawn", "not taking requests"),
    ("open request", "already have a request or a mentorship open"),
    ("active mentorship", "already have a request or a mentorship open"),
    ("full", "no place left this month"),
])
def test_a_request_that_breaks_a_guard_is_refused_with_its_reason_and_changes_nothing(app, offer, case, message):
    mentee = make_user()
    if case in ("paused", "withdrawn"):
        offer.status = case
    elif case == "open request":
        make_mentorship(offer, mentee, status="requested")
    elif case == "active mentorship":
        make_mentorship(offer, mentee, status="active")
    elif case == "full":
        make_mentorship(offer, status="active")
        make_mentorship(offer, status="requested")
    db.session.commit()
    actor = offer.user if case == "yourself" else mentee
    before = state()
    with pytest.raises(DomainError, match=message):
        services.request_mentoring(offer, actor, "Help me price my work.")
    assert state() == before


@pytest.mark.parametrize("status", ["declined", "withdrawn", "ended"])
def test_a_closed_mentorship_does_not_stop_a_new_request(app, offer, status):
    mentee = make_user()
    make_mentorship(offer, mentee, status=status)
    assert services.request_mentoring(offer, mentee, "Once more, please.").status == "requested"


def test_an_empty_goal_is_refused_next_to_the_field(app, offer):
    before = state()
    with pytest.raises(FieldError) as refused:
        services.request_mentoring(offer, make_user(), "   ")
    assert refused.value.errors == {"goal": "Say what you would like help with."}
    assert state() == before


def test_the_mentor_accepts_with_a_message_and_the_mentee_is_told_in_the_app_and_by_email(app, offer):
    mentee = make_user()
    mentorship = make_mentorship(offer, mentee, status="requested")
    services.answer(mentorship, offer.user, True, "Gladly: bring your last quotes.")
    assert (fresh(mentorship).status, mentorship.answer_message) == ("active", "Gladly: bring your last quotes.")
    assert fresh(offer).open_count == 1  # the place stays taken
    note = db.session.scalar(select(Notification).where(Notification.user_id == mentee.id))
    assert note.kind == "mentorship.accepted" and notifications.quote(note) == "Gladly: bring your last quotes."
    emails = [p.read_text() for p in Path(app.config["MAIL_FOLDER"]).glob("*.eml")]
    assert any("accepted your request for mentoring" in text and mentee.email in text for text in emails)
    assert audit_actions("mentorship", mentorship.id)[-1] == ("accept", "requested", "active")


def test_a_mentee_who_chose_the_app_only_gets_no_email(app, offer):
    mentee = make_user()
    notifications.save_preferences(mentee, {"mentorship.accepted": "app"})
    services.answer(make_mentorship(offer, mentee, status="requested"), offer.user, True, None)
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == mentee.id)) == "mentorship.accepted"
    assert not list(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))


def test_declining_needs_a_message_and_gives_the_place_back(app, offer):
    mentee = make_user()
    mentorship = make_mentorship(offer, mentee, status="requested")
    before = state()
    with pytest.raises(TransitionRefused, match="Please give a reason"):
        services.answer(mentorship, offer.user, False, "  ")
    assert state() == before
    services.answer(mentorship, offer.user, False, "I am full until spring, sorry.")
    assert fresh(mentorship).status == "declined" and fresh(offer).open_count == 0
    note = db.session.scalar(select(Notification).where(Notification.user_id == mentee.id))
    assert note.kind == "mentorship.declined" and notifications.quote(note) == "I am full until spring, sorry."
    assert audit_actions("mentorship", mentorship.id)[-1] == ("decline", "requested", "declined")


def test_only_the_mentor_answers_and_only_a_request(app, offer):
    mentee = make_user()
    mentorship = make_mentorship(offer, mentee, status="requested")
    for someone in (mentee, make_user()):
        with pytest.raises(Forbidden):
            services.answer(mentorship, someone, True, None)
    services.answer(mentorship, offer.user, True, None)
    with pytest.raises(TransitionRefused, match="while the mentorship is active"):
        services.answer(mentorship, offer.user, False, "Changed my mind.")


def test_the_mentee_withdraws_a_request_and_its_place_is_free(app, offer):
    mentee = make_user()
    mentorship = make_mentorship(offer, mentee, status="requested")
    with pytest.raises(Forbidden):
        services.withdraw(mentorship, offer.user)
    services.withdraw(mentorship, mentee)
    assert fresh(mentorship).status == "withdrawn" and fresh(offer).open_count == 0
    assert audit_actions("mentorship", mentorship.id)[-1] == ("withdraw", "requested", "withdrawn")


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_either_of_the_pair_ends_an_active_mentorship_and_the_other_is_told(app, offer, side):
    mentee = make_user()
    mentorship = make_mentorship(offer, mentee, status="active")
    actor, other = (offer.user, mentee) if side == "mentor" else (mentee, offer.user)
    with pytest.raises(Forbidden):
        services.end(mentorship, make_user(), None)
    services.end(mentorship, actor, "We reached the goal.")
    assert (fresh(mentorship).status, mentorship.end_reason) == ("ended", "We reached the goal.")
    assert mentorship.ended_at is not None and fresh(offer).open_count == 0
    assert db.session.scalar(select(Notification.user_id).where(Notification.kind == "mentorship.ended")) == other.id
    assert audit_actions("mentorship", mentorship.id)[-1] == ("end", "active", "ended")


@pytest.mark.parametrize("status", ["requested", "declined", "withdrawn", "ended"])
def test_only_an_active_mentorship_ends(app, offer, status):
    mentorship = make_mentorship(offer, status=status)
    assert [t.name for t in MENTORSHIP.available(mentorship, offer.user) if t.name == "end"] == []
    with pytest.raises(TransitionRefused):
        services.end(mentorship, offer.user, None)


def test_the_pair_logs_sessions_and_the_hours_add_up(app, offer):
    mentorship = make_mentorship(offer, status="active")
    services.log_session(mentorship, offer.user, day=date.today(), minutes=60, notes="Rates.")
    mentee = db.session.get(type(offer.user), mentorship.mentee_id)
    services.log_session(mentorship, mentee, day=date.today() - timedelta(days=7), minutes=45)
    assert db.session.scalar(select(func.sum(MentoringSession.minutes))) == 105
    assert [a for a, *_ in audit_actions("mentorship", mentorship.id)] == ["log_session", "log_session"]


@pytest.mark.parametrize("day_offset, minutes, field, message", [
    (1, 60, "day", "cannot be in the future"),
    (0, 0, "minutes", "at least one minute"),
    (0, -30, "minutes", "at least one minute"),
    (0, 601, "minutes", "at most 600 minutes"),
    (-60, 60, "day", "before the request"),
    (None, 60, "day", "Give the day"),
])
def test_a_session_with_a_bad_day_or_length_is_refused_next_to_the_field(app, offer, day_offset, minutes, field,
                                                                         message):
    mentorship = make_mentorship(offer, status="active", days_ago=30)
    before = state()
    day = None if day_offset is None else date.today() + timedelta(days=day_offset)
    with pytest.raises(FieldError) as refused:
        services.log_session(mentorship, offer.user, day=day, minutes=minutes)
    assert message in refused.value.errors[field]
    assert state() == before


@pytest.mark.parametrize("who", ["outsider", "admin", "chapter lead"])
def test_someone_outside_the_pair_cannot_log_a_session(app, offer, who):
    from tests.factories import make_admin, make_chapter
    mentorship = make_mentorship(offer, status="active")
    actor = make_admin() if who == "admin" else make_user()
    if who == "chapter lead":  # a lead of the chapter both of the pair belong to
        from tests.factories import add_member
        chapter = make_chapter(actor)
        add_member(chapter, offer.user)
        add_member(chapter, db.session.get(type(actor), mentorship.mentee_id))
    before = state()
    with pytest.raises(Forbidden):
        services.log_session(mentorship, actor, day=date.today(), minutes=30)
    assert state() == before


@pytest.mark.parametrize("status", ["requested", "declined", "withdrawn", "ended"])
def test_sessions_are_logged_only_while_the_mentorship_is_active(app, offer, status):
    mentorship = make_mentorship(offer, status=status)
    with pytest.raises(Forbidden):
        services.log_session(mentorship, offer.user, day=date.today(), minutes=30)


def test_a_paused_offer_takes_no_request_until_resumed(app, offer):
    mentee = make_user()
    services.transition_offer(offer, offer.user, "pause")
    with pytest.raises(DomainError, match="not taking requests"):
        services.request_mentoring(offer, mentee, "Help me please.")
    services.transition_offer(offer, offer.user, "resume")
    assert services.request_mentoring(offer, mentee, "Help me please.").status == "requested"
    assert [a for a, *_ in audit_actions("mentor_offer", offer.id)] == ["pause", "resume"]


def test_an_offer_is_withdrawn_only_once_no_request_waits(app, offer):
    mentorship = make_mentorship(offer, status="requested")
    assert OFFER.blockers(offer, offer.user, "withdraw") == [
        "Answer the requests waiting for you before withdrawing your offer."]
    with pytest.raises(TransitionRefused, match="Answer the requests"):
        services.transition_offer(offer, offer.user, "withdraw")
    services.answer(mentorship, offer.user, True, None)
    services.transition_offer(offer, offer.user, "withdraw")
    assert fresh(offer).status == "withdrawn"
    with pytest.raises(Forbidden):
        services.transition_offer(offer, make_user(), "resume")


def test_the_database_refuses_more_open_mentorships_than_places(app, offer):
    offer.open_count = 3
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_a_second_open_mentorship_of_the_same_pair(app, offer):
    mentee = make_user()
    make_mentorship(offer, mentee, status="active")
    db.session.add(Mentorship(offer_id=offer.id, mentor_id=offer.user_id, mentee_id=mentee.id, goal="Again",
                              status="requested"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    make_mentorship(offer, mentee, status="ended")  # closed ones do not count
