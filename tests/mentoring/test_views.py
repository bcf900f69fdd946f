"""Every mentoring route, for each role (visitor, member, mentor, mentee, other member, chapter lead, admin), and
bad input through the forms: a clear message next to the field with a 4xx, and nothing changed."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.extensions import db
from mentoring.models import MentorOffer, MentoringSession, Mentorship
from tests.conftest import fresh
from tests.factories import add_member, make_admin, make_chapter, make_user
from tests.mentoring.helpers import make_mentorship, make_offer, make_session


@pytest.fixture
def w(app):
    lead = make_user("lead", name="Lea Lead")
    chapter = make_chapter(lead, name="Lyon Freelancers")
    mentor = add_member(chapter, make_user("mentor", name="Sofia Mentor", skills=("Bookkeeping",)))
    mentee = add_member(chapter, make_user("mentee", name="Priya Mentee"))
    offer = make_offer(mentor, capacity=3, competencies=("scoping.pricing",))
    offer.skills = list(mentor.skills)
    mentorship = make_mentorship(offer, mentee, status="active")
    make_session(mentorship, minutes=90, notes="Words only the pair reads.")
    return {"lead": lead, "chapter": chapter, "mentor": mentor, "mentee": mentee, "offer": offer,
            "mentorship": mentorship, "member": make_user("member", name="Noah Member"),
            "other": add_member(chapter, make_user("other", name="Olga Other")), "admin": make_admin("admin")}


def counts():
    db.session.expire_all()
    return (db.session.execute(select(Mentorship.id, Mentorship.status)).all(),
            db.session.execute(select(MentorOffer.id, MentorOffer.open_count, MentorOffer.status,
                                      MentorOffer.capacity)).all(),
            db.session.scalar(select(func.count()).select_from(MentoringSession)))


ROLES = ("visitor", "member", "mentor", "mentee", "other", "lead", "admin")


def sign_in(auth, w, role):
    if role != "visitor":
        auth.login_as(w[role])


@pytest.mark.parametrize("role", ROLES)
def test_everyone_finds_mentors_on_the_list_and_the_offer_page(client, auth, w, role):
    sign_in(auth, w, role)
    listing = client.get("/mentors/").get_data(as_text=True)
    assert "Mentoring with Sofia Mentor" in listing and "Pricing" in listing and "Bookkeeping" in listing
    assert "2 places left" in listing
    page = client.get(f"/mentors/{w['offer'].id}").get_data(as_text=True)
    assert "1 of 3 places taken this month" in page
    # The way to ask: a sign-in for visitors, the form for members, a sentence for those who may not ask.
    asks = f'href="/mentors/{w["offer"].id}/request"' in page
    assert asks is (role in ("member", "other", "lead", "admin"))
    if role == "visitor":
        assert "Sign in to ask for mentoring" in page
    if role == "mentee":
        assert "You have a request or a mentorship open with this mentor." in page
    assert ('href="/mentors/offer">Change your offer' in page) is (role == "mentor")
    assert ("Requests waiting for your answer" in page) is (role == "mentor")


def test_the_nav_and_me_lead_to_mentors_and_my_mentorships(client, auth, w):
    assert 'href="/mentors/">Mentors</a>' in client.get("/").get_data(as_text=True)
    auth.login_as(w["mentee"])
    me = client.get("/me").get_data(as_text=True)
    assert "Your mentorships" in me and "Mentored by Sofia Mentor" in me
    assert f'href="/mentorships/{w["mentorship"].id}"' in me and "Find a mentor" in me
    auth.login_as(w["mentor"])
    me = client.get("/me").get_data(as_text=True)
    assert "Mentoring Priya Mentee" in me and f'href="/mentors/{w["offer"].id}">Your offer to mentor' in me


@pytest.mark.parametrize("filters, listed", [
    ("competency=scoping.pricing", True), ("competency=admin.budget", False),
    ("skill=bookkeeping", True), ("skill=python", False),
    ("chapter=Lyon", True), ("chapter={slug}", True), ("chapter=Accra", False),
    ("available=y", True),
])
def test_the_list_filters_by_competency_skill_chapter_and_availability(client, w, filters, listed):
    kofi = make_user(name="Kofi Elsewhere", skills=("Python",))
    other = make_offer(kofi, competencies=("sales.prospecting",))
    other.skills = list(kofi.skills)
    db.session.commit()
    page = client.get(f"/mentors/?{filters.format(slug=w['chapter'].slug)}").get_data(as_text=True)
    assert ("Mentoring with Sofia Mentor" in page) is listed
    assert ("Mentoring with Kofi Elsewhere" in page) is (filters in ("available=y", "skill=python"))


def test_full_paused_hidden_and_withdrawn_offers_on_the_list(client, w):
    offer = w["offer"]
    offer.capacity = 1  # its one place is the mentee's
    db.session.commit()
    assert "No place left" in client.get("/mentors/").get_data(as_text=True)
    assert "Mentoring with Sofia Mentor" not in client.get("/mentors/?available=y").get_data(as_text=True)
    paused = make_offer(make_user(name="Paula Paused"), status="paused")
    make_offer(make_user(name="Wanda Withdrawn"), status="withdrawn")
    make_offer(make_user(name="Hugo Hidden", profile_hidden=True))
    page = client.get("/mentors/").get_data(as_text=True)
    assert "Paula Paused" in page and "paused" in page
    assert "Wanda Withdrawn" not in page and "Hugo Hidden" not in page
    assert "Paula Paused" not in client.get("/mentors/?available=y").get_data(as_text=True)
    assert paused.id


def test_the_list_is_paginated(client, w):
    for n in range(13):
        make_offer(make_user(name=f"Many Mentor {n:02d}"), commit=False)
    db.session.commit()
    first, second = (client.get(f"/mentors/?page={n}").get_data(as_text=True) for n in (1, 2))
    assert "14 mentors" in first and first.count("Mentoring with ") == 12
    assert second.count("Mentoring with ") == 2 and 'rel="prev"' in second


def test_a_visitor_is_sent_to_sign_in_to_offer_or_ask(client, w):
    for path in ("/mentors/offer", f"/mentors/{w['offer'].id}/request"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_a_member_offers_to_mentor_and_changes_the_offer(client, auth, w):
    auth.login_as(w["member"])
    assert "Offer to mentor" in client.get("/mentors/").get_data(as_text=True)
    response = client.post("/mentors/offer", data={"competencies": ["sales.pitching"], "skills": "Vente, Python",
                                                   "capacity": "2", "bio": "I pitched to forty boards; ask me how."})
    offer = db.session.scalar(select(MentorOffer).where(MentorOffer.user_id == w["member"].id))
    assert response.status_code == 302 and response.headers["Location"] == f"/mentors/{offer.id}"
    assert offer.competency_codes == ["sales.pitching"] and sorted(s.slug for s in offer.skills) == ["python", "sales"]
    form = client.get("/mentors/offer").get_data(as_text=True)
    assert "Change your offer to mentor" in form and 'value="Python, Sales"' in form
    client.post("/mentors/offer", data={"competencies": ["sales.pitching"], "skills": "", "capacity": "4",
                                        "bio": "I pitched to forty boards; ask me how."})
    assert fresh(offer).capacity == 4


@pytest.mark.parametrize("data, field, message", [
    ({"capacity": "0"}, "capacity", "Enter a number between 1 and 20."),
    ({"capacity": "99999999999"}, "capacity", "Enter a number between 1 and 20."),
    ({"bio": "Too short"}, "bio", "Field must be between 20 and 1000 characters long."),
    ({"competencies": ["made.up"]}, "competencies", "Choose competencies from the list."),
    ({"competencies": [], "skills": ""}, "competencies", "Choose at least one competency or name a skill"),
])
def test_a_bad_offer_is_refused_next_to_its_field(client, auth, w, data, field, message):
    auth.login_as(w["member"])
    before = counts()
    response = client.post("/mentors/offer", data={"competencies": ["sales.pitching"], "skills": "", "capacity": "2",
                                                   "bio": "I pitched to forty boards; ask me how.", **data})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert counts() == before


def test_the_capacity_below_the_places_taken_is_refused_next_to_the_field(client, auth, w):
    make_mentorship(w["offer"], status="requested")
    auth.login_as(w["mentor"])
    response = client.post("/mentors/offer", data={"competencies": ["scoping.pricing"], "skills": "", "capacity": "1",
                                                   "bio": "Ten years of freelance accounting."})
    assert response.status_code == 400
    assert "2 mentees already hold a place: the capacity cannot be lower." in response.get_data(as_text=True)
    assert fresh(w["offer"]).capacity == 3


def test_a_member_asks_the_mentor_accepts_the_pair_logs_a_session_and_ends(client, auth, w):
    member, offer = w["member"], w["offer"]
    auth.login_as(member)
    assert "Your goal" in client.get(f"/mentors/{offer.id}/request").get_data(as_text=True)
    response = client.post(f"/mentors/{offer.id}/request", data={"goal": "Help me price my first video project."})
    mentorship = db.session.scalar(select(Mentorship).where(Mentorship.mentee_id == member.id))
    assert response.headers["Location"] == f"/mentorships/{mentorship.id}" and mentorship.status == "requested"
    page = client.get(f"/mentorships/{mentorship.id}").get_data(as_text=True)
    assert "Help me price my first video project." in page and "Withdraw my request" in page
    assert "Answer the request" not in page and "Log a session" not in page

    auth.login_as(w["mentor"])
    assert f'/mentorships/{mentorship.id}">Request from Noah Member' in client.get(f"/mentors/{offer.id}").get_data(
        as_text=True)
    assert "Answer the request" in client.get(f"/mentorships/{mentorship.id}").get_data(as_text=True)
    client.post(f"/mentorships/{mentorship.id}/answer", data={"decision": "accept", "message": "We start on Monday."})
    assert fresh(mentorship).status == "active"

    auth.login_as(member)
    notes = client.get("/notifications").get_data(as_text=True)
    assert "Sofia Mentor accepted your request for mentoring." in notes and "We start on Monday." in notes
    response = client.post(f"/mentorships/{mentorship.id}/sessions",
                           data={"day": date.today().isoformat(), "minutes": "50", "notes": "Our secret plan."})
    assert response.status_code == 302
    page = client.get(f"/mentorships/{mentorship.id}").get_data(as_text=True)
    assert "Our secret plan." in page and "1 session · 50 minutes in all" in page
    client.post(f"/mentorships/{mentorship.id}/transitions/end", data={"reason": "Done."})
    assert fresh(mentorship).status == "ended" and fresh(offer).open_count == 1


def test_the_mentor_declines_with_a_message_and_without_one_is_refused(client, auth, w):
    mentorship = make_mentorship(w["offer"], w["member"], status="requested")
    auth.login_as(w["mentor"])
    before = counts()
    response = client.post(f"/mentorships/{mentorship.id}/answer", data={"decision": "decline", "message": ""})
    assert response.status_code == 400
    assert 'id="message-error"' in response.get_data(as_text=True)
    assert "Say why you decline, in a few words." in response.get_data(as_text=True)
    assert counts() == before
    client.post(f"/mentorships/{mentorship.id}/answer", data={"decision": "decline", "message": "Full until May."})
    assert fresh(mentorship).status == "declined" and fresh(w["offer"]).open_count == 1


@pytest.mark.parametrize("case, message", [
    ("again", "You already have a request or a mentorship open with this mentor."),
    ("yourself", "You cannot ask yourself for mentoring."),
    ("full", "This mentor has no place left this month: every place is taken."),
    ("paused", "This mentor is not taking requests at the moment."),
])
def test_a_refused_request_says_why_and_changes_nothing(client, auth, w, case, message):
    offer = w["offer"]
    asker = {"again": w["mentee"], "yourself": w["mentor"]}.get(case, w["member"])
    if case == "full":
        make_mentorship(offer, status="requested")
        make_mentorship(offer, status="requested")
    if case == "paused":
        offer.status = "paused"
        db.session.commit()
    auth.login_as(asker)
    assert message in client.get(f"/mentors/{offer.id}/request").get_data(as_text=True)  # said before asking
    before = counts()
    response = client.post(f"/mentors/{offer.id}/request", data={"goal": "Help me set a day rate, please."},
                           headers={"Referer": f"/mentors/{offer.id}"})
    assert response.status_code == 302 and counts() == before
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_empty_or_short_goal_is_refused_next_to_the_field(client, auth, w):
    auth.login_as(w["member"])
    before = counts()
    for goal, message in (("", "Say what you would like help with."),
                          ("Help", "Field must be between 10 and 2000 characters long.")):
        response = client.post(f"/mentors/{w['offer'].id}/request", data={"goal": goal})
        assert response.status_code == 400
        assert 'id="goal-error"' in response.get_data(as_text=True) and message in response.get_data(as_text=True)
    assert counts() == before


@pytest.mark.parametrize("data, field, message", [
    ({"day": (date.today() + timedelta(days=1)).isoformat()}, "day", "The session cannot be in the future."),
    ({"minutes": "0"}, "minutes", "A session lasts at least one minute."),
    ({"minutes": "-20"}, "minutes", "A session lasts at least one minute."),
    ({"minutes": "601"}, "minutes", "A session lasts at most 600 minutes."),
    ({"minutes": "ninety"}, "minutes", "Not a valid integer value."),
    ({"day": ""}, "day", "Give the day of the session."),
])
def test_a_session_with_a_bad_day_or_length_is_refused_next_to_the_field(client, auth, w, data, field, message):
    auth.login_as(w["mentee"])
    before = counts()
    response = client.post(f"/mentorships/{w['mentorship'].id}/sessions",
                           data={"day": date.today().isoformat(), "minutes": "30", "notes": "", **data})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert counts() == before


@pytest.mark.parametrize("role, status", [("visitor", 302), ("member", 403), ("other", 403), ("lead", 403),
                                          ("admin", 403)])
def test_session_logs_by_anyone_outside_the_pair_are_refused(client, auth, w, role, status):
    sign_in(auth, w, role)
    before = counts()
    response = client.post(f"/mentorships/{w['mentorship'].id}/sessions",
                           data={"day": date.today().isoformat(), "minutes": "30"})
    assert response.status_code == status
    assert counts() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_mentorship_page_and_its_notes(client, auth, w, role):
    sign_in(auth, w, role)
    response = client.get(f"/mentorships/{w['mentorship'].id}")
    if role == "visitor":
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
        return
    if role not in ("mentor", "mentee", "admin"):
        assert response.status_code == 404
        return
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 session · 90 minutes in all" in html
    assert ("Words only the pair reads." in html) is (role != "admin")
    assert ("Log a session" in html) is (role != "admin")
    assert ("End the mentorship" in html) is (role != "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mentor_pauses_and_resumes_the_offer(client, auth, w, role):
    sign_in(auth, w, role)
    response = client.post(f"/mentors/{w['offer'].id}/transitions/pause")
    assert fresh(w["offer"]).status == ("paused" if role == "mentor" else "active")
    if role == "mentor":
        assert "Take requests again" in client.get(f"/mentors/{w['offer'].id}").get_data(as_text=True)
        client.post(f"/mentors/{w['offer'].id}/transitions/resume")
        assert fresh(w["offer"]).status == "active"
    else:
        assert response.status_code == (302 if role == "visitor" else 403)


def test_the_mentor_withdraws_the_offer_only_once_no_request_waits(client, auth, w):
    waiting = make_mentorship(w["offer"], w["member"], status="requested")
    auth.login_as(w["mentor"])
    page = client.get(f"/mentors/{w['offer'].id}").get_data(as_text=True)
    assert "Answer the requests waiting for you before withdrawing your offer." in page
    client.post(f"/mentors/{w['offer'].id}/transitions/withdraw", headers={"Referer": f"/mentors/{w['offer'].id}"})
    assert fresh(w["offer"]).status == "active"
    auth.login_as(w["member"])
    client.post(f"/mentorships/{waiting.id}/transitions/withdraw")
    assert fresh(waiting).status == "withdrawn"
    auth.login_as(w["mentor"])
    client.post(f"/mentors/{w['offer'].id}/transitions/withdraw")
    assert fresh(w["offer"]).status == "withdrawn"
    auth.login_as(w["member"])
    assert client.get(f"/mentors/{w['offer'].id}").status_code == 404


def test_unknown_transitions_and_ids_are_404(client, auth, w):
    auth.login_as(w["mentor"])
    assert client.post(f"/mentors/{w['offer'].id}/transitions/explode").status_code == 404
    assert client.post(f"/mentorships/{w['mentorship'].id}/transitions/explode").status_code == 404
    assert client.get("/mentorships/999999").status_code == 404
    assert client.get("/mentors/99999999999").status_code == 404


def test_the_mentors_portfolio_shows_hours_and_mentees_and_feeds_the_learning_profile(client, w):
    second = make_mentorship(w["offer"], status="ended")
    make_session(second, minutes=30)
    make_mentorship(w["offer"], status="declined")  # declined requests are not mentees
    html = client.get("/u/mentor").get_data(as_text=True)
    assert '<p id="mentoring-record">2 hours mentoring · 2 mentees</p>' in html
    # Mentoring is evidence for the framework's closest competency: feedback and difficult conversations.
    assert 'href="/learning/relations.feedback">Feedback and difficult conversations</a>' in html
    assert '<li class="practice-mentoring">Mentoring 2 members: 2 h</li>' in html
    mentee_page = client.get("/u/mentee").get_data(as_text=True)
    assert "mentoring-record" not in mentee_page and "practice-mentoring" not in mentee_page


def test_the_pages_speak_french(client, auth, w):
    client.set_cookie("locale", "fr")
    page = client.get("/mentors/").get_data(as_text=True)
    assert "Mentorat avec Sofia Mentor" in page and "2 places libres" in page
    auth.login_as(w["mentee"])
    page = client.get(f"/mentorships/{w['mentorship'].id}").get_data(as_text=True)
    assert "Noter une séance" in page and "en cours" in page
