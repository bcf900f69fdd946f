"""Demo and scale data cover mentoring; a member's export holds their mentoring; deleting an account erases it."""
import json

from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from core.personal_data import PARTS, Erasure, erase_everywhere
from mentoring.models import OPEN_STATES, MentorOffer, MentoringSession, Mentorship
from tests.factories import make_user
from tests.mentoring.helpers import make_mentorship, make_offer, make_session


def test_the_demo_has_offers_an_active_pair_with_sessions_and_a_request_waiting(runner, client):
    assert runner.invoke(args=["seed-demo", "--quiet"]).exit_code == 0
    statuses = dict(db.session.execute(select(User.handle, MentorOffer.status)
                                       .join(MentorOffer, MentorOffer.user_id == User.id)).all())
    assert statuses == {"sofia": "active", "lucas": "active", "kofi": "paused"}
    pairs = db.session.execute(select(Mentorship.status, User.handle).join(User, User.id == Mentorship.mentee_id)
                               .order_by(Mentorship.id)).all()
    assert [tuple(p) for p in pairs] == [("active", "priya"), ("requested", "noah")]
    active = db.session.scalar(select(Mentorship).where(Mentorship.status == "active"))
    assert db.session.scalar(select(func.sum(MentoringSession.minutes))
                             .where(MentoringSession.mentorship_id == active.id)) == 195
    assert "3.25 hours mentoring · 1 mentee" in client.get("/u/sofia").get_data(as_text=True)
    listing = client.get("/mentors/").get_data(as_text=True)
    assert "Mentoring with Sofia Rossi" in listing and "Mentoring with Lucas Martin" in listing


def test_scale_data_has_offers_and_pairs_within_capacity(runner):
    result = runner.invoke(args=["seed-scale", "--quiet", "--force", "--scale", "0.002"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(MentorOffer)) == 4
    assert set(db.session.scalars(select(Mentorship.status).distinct())) >= {"active", "ended"}
    held = dict(db.session.execute(select(Mentorship.offer_id, func.count()).where(Mentorship.status.in_(OPEN_STATES))
                                   .group_by(Mentorship.offer_id)).all())
    for offer in db.session.scalars(select(MentorOffer)):
        assert held.get(offer.id, 0) == offer.open_count <= offer.capacity
    assert db.session.scalar(select(func.count()).select_from(MentoringSession)) > 0


def test_the_export_holds_the_offer_and_both_sides_of_mentorships_with_notes(app):
    mentor, mentee = make_user(), make_user()
    offer = make_offer(mentor)
    make_session(make_mentorship(offer, mentee), notes="Our private plan.")
    files = PARTS["mentoring"].collect(mentor)
    assert files["offer.json"]["competencies"] == ["scoping.pricing"]
    [mentorship] = files["mentorships.json"]
    assert mentorship["role"] == "mentor" and mentorship["sessions"][0]["notes"] == "Our private plan."
    assert PARTS["mentoring"].collect(mentee)["mentorships.json"][0]["role"] == "mentee"
    assert PARTS["mentoring"].collect(mentee)["offer.json"] is None
    json.dumps(PARTS["mentoring"].collect(mentor), default=str)


def test_deleting_an_account_ends_its_mentorships_frees_places_and_removes_its_name(app):
    mentor, mentee = make_user(name="Sofia Mentor"), make_user(name="Priya Mentee", handle="priyam")
    other_mentor = make_offer(make_user(), capacity=2)
    offer = make_offer(mentor)
    active = make_mentorship(offer, mentee)
    active.goal = "Priya Mentee wants a day rate."
    asked = make_mentorship(other_mentor, mentee, status="requested")
    db.session.commit()
    erase_everywhere(Erasure(user_id=mentee.id, name=mentee.name, handle=mentee.handle, email=mentee.email))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Mentorship, active.id).status == "ended"
    assert db.session.get(Mentorship, asked.id).status == "ended"
    assert db.session.get(MentorOffer, other_mentor.id).open_count == 0
    assert "Priya Mentee" not in db.session.get(Mentorship, active.id).goal
    erase_everywhere(Erasure(user_id=mentor.id, name=mentor.name, handle=mentor.handle, email=mentor.email))
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(MentorOffer, offer.id)
    assert (kept.status, kept.bio, kept.competencies) == ("withdrawn", "", [])
