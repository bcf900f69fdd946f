"""Mentoring through a real browser, in English and in French, with axe-core run on every page it lands on.

A member finds a mentor on /mentors/ (through the navigation, filtered by competency), asks for mentoring with a
goal (a goal too short is refused next to the field first); the mentor finds the request on /me and accepts it
with a message; the member reads the answer in their notifications and logs a session (a zero length is refused
first); anyone then reads the mentor's hours and mentees on the mentor's portfolio.
"""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import click_to_page, visit
from tests.browser.test_journey import unique
from tests.factories import PASSWORD, add_member, make_chapter, make_user
from tests.mentoring.helpers import make_offer

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"sign_in": "Sign in", "signed_in": "You are signed in.", "sign_out": "Sign out",
           "signed_out": "You are signed out.", "mentors": "Mentors", "competency": "Business competency",
           "pricing": "Pricing", "filter": "Filter", "mentoring_with": "Mentoring with {name}",
           "ask": "Ask for mentoring", "goal": "Your goal", "send_request": "Send my request",
           "too_short": "Field must be between 10 and 2000 characters long.",
           "sent": "Your request is sent.", "mine": "Your mentorships", "mentoring": "Mentoring {name}",
           "answer": "Answer the request", "accept": "Accept", "message": "Message to the member",
           "send_answer": "Send my answer", "accepted": "You accepted: the mentorship starts.",
           "accepted_note": "{name} accepted your request for mentoring.", "mentored_by": "Mentored by {name}",
           "day": "Day of the session", "minutes": "Length (minutes)", "notes": "Private notes",
           "log": "Log the session", "too_little": "A session lasts at least one minute.",
           "logged": "The session is logged.", "total": "1 session · 45 minutes in all",
           "portfolio": "Mentoring", "record": "0.75 hours mentoring · 1 mentee"},
    "fr": {"sign_in": "Se connecter", "signed_in": "Vous êtes connecté·e.", "sign_out": "Se déconnecter",
           "signed_out": "Vous êtes déconnecté·e.", "mentors": "Mentors", "competency": "Compétence entrepreneuriale",
           "pricing": "Tarification", "filter": "Filtrer", "mentoring_with": "Mentorat avec {name}",
           "ask": "Demander un mentorat", "goal": "Votre objectif", "send_request": "Envoyer ma demande",
           "too_short": "La longueur du champ doit être comprise entre 10 et 2000 caractères.",
           "sent": "Votre demande est envoyée.", "mine": "Vos mentorats", "mentoring": "Vous accompagnez {name}",
           "answer": "Répondre à la demande", "accept": "Accepter", "message": "Message au membre",
           "send_answer": "Envoyer ma réponse", "accepted": "Vous avez accepté : le mentorat commence.",
           "accepted_note": "{name} a accepté votre demande de mentorat.", "mentored_by": "Accompagné par {name}",
           "day": "Jour de la séance", "minutes": "Durée (minutes)", "notes": "Notes privées",
           "log": "Enregistrer la séance", "too_little": "Une séance dure au moins une minute.",
           "logged": "La séance est enregistrée.", "total": "1 séance · 45 minutes au total",
           "portfolio": "Mentorat", "record": "0,75 heures de mentorat · 1 personne accompagnée"},
}


@pytest.fixture
def pair(live_server):
    suffix = unique()
    with live_server.app_context():
        lead = make_user(f"mlead-{suffix}")
        chapter = make_chapter(lead, name=f"Mentors of Lyon {suffix}")
        mentor = add_member(chapter, make_user(f"mmentor-{suffix}", name=f"Sofia Mentor {suffix}"))
        member = add_member(chapter, make_user(f"mmember-{suffix}", name=f"Noah Member {suffix}"))
        make_offer(mentor, capacity=2, competencies=("scoping.pricing", "admin.budget"),
                   bio="Ten years of freelance accounting: I help you set a day rate you can defend.")
        return {"mentor": mentor.email, "mentor_name": mentor.name, "mentor_handle": mentor.handle,
                "member": member.email, "member_name": member.name}


def sign_in(page, t, email):
    visit(page, "/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    click_to_page(page, page.get_by_role("button", name=t["sign_in"]))
    expect(page.get_by_role("status").filter(has_text=t["signed_in"])).to_be_visible()


def sign_out(page, t):
    click_to_page(page, page.get_by_role("banner").get_by_role("button", name=t["sign_out"]))
    expect(page.get_by_role("status").filter(has_text=t["signed_out"])).to_be_visible()


def flash(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_member_finds_a_mentor_asks_the_mentor_accepts_and_the_pair_logs_a_session(page, live_server, pair,
                                                                                     language):
    t, s = WORDS[language], pair
    if language == "fr":
        page.context.add_cookies([{"name": "locale", "value": "fr", "url": live_server.url}])

    # 1. The member finds the mentor on /mentors/, from the navigation, filtered by competency, and asks.
    sign_in(page, t, s["member"])
    click_to_page(page, page.get_by_role("navigation", name="Main" if language == "en" else "Navigation principale")
                  .get_by_role("link", name=t["mentors"], exact=True))
    page.get_by_label(t["competency"]).select_option("scoping.pricing")
    click_to_page(page, page.get_by_role("button", name=t["filter"]))
    click_to_page(page, page.get_by_role("link", name=t["mentoring_with"].format(name=s["mentor_name"])))
    click_to_page(page, page.get_by_role("link", name=t["ask"]))
    page.get_by_label(t["goal"]).fill("Help")
    response = click_to_page(page, page.get_by_role("button", name=t["send_request"]))
    assert response.status == 400
    expect(page.locator("#goal-error")).to_have_text(t["too_short"])
    page.get_by_label(t["goal"]).fill("I undercharge every client: help me set a day rate I can defend.")
    click_to_page(page, page.get_by_role("button", name=t["send_request"]))
    flash(page, t["sent"])
    mentorship_path = "/" + page.url.split("//", 1)[1].split("/", 1)[1]
    sign_out(page, t)

    # 2. The mentor finds the request on /me and accepts it with a message.
    sign_in(page, t, s["mentor"])
    visit(page, "/me")
    mine = page.get_by_role("region", name=t["mine"])
    click_to_page(page, mine.get_by_role("link", name=t["mentoring"].format(name=s["member_name"])))
    answer = page.get_by_role("region", name=t["answer"])
    answer.get_by_label(t["accept"], exact=True).check()
    answer.get_by_label(t["message"]).fill("Gladly: bring your last three quotes on Monday.")
    click_to_page(page, answer.get_by_role("button", name=t["send_answer"]))
    flash(page, t["accepted"])
    sign_out(page, t)

    # 3. The member reads the answer and logs the session they had (a zero length is refused first).
    sign_in(page, t, s["member"])
    visit(page, "/notifications")
    expect(page.get_by_text(t["accepted_note"].format(name=s["mentor_name"]))).to_be_visible()
    expect(page.get_by_text("Gladly: bring your last three quotes on Monday.")).to_be_visible()
    visit(page, "/me")
    click_to_page(page, page.get_by_role("region", name=t["mine"])
                  .get_by_role("link", name=t["mentored_by"].format(name=s["mentor_name"])))
    assert page.url.endswith(mentorship_path)
    page.get_by_label(t["day"]).fill(date.today().isoformat())
    page.get_by_label(t["minutes"]).fill("0")
    page.get_by_label(t["notes"]).fill("We worked out a day rate from my yearly costs.")
    response = click_to_page(page, page.get_by_role("button", name=t["log"]))
    assert response.status == 400
    expect(page.locator("#minutes-error")).to_have_text(t["too_little"])
    page.get_by_label(t["minutes"]).fill("45")
    click_to_page(page, page.get_by_role("button", name=t["log"]))
    flash(page, t["logged"])
    expect(page.locator("#sessions-total")).to_have_text(t["total"])
    expect(page.get_by_text("We worked out a day rate from my yearly costs.")).to_be_visible()
    sign_out(page, t)

    # 4. Anyone reads the mentor's hours and mentees on the mentor's portfolio; the notes stay private.
    visit(page, f"/u/{s['mentor_handle']}")
    expect(page.get_by_role("region", name=t["portfolio"], exact=True).locator("#mentoring-record")).to_have_text(
        t["record"])
    visit(page, mentorship_path)  # a visitor is asked to sign in, and sees no notes
    expect(page.get_by_text("We worked out a day rate from my yearly costs.")).to_have_count(0)
