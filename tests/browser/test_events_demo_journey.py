"""Events on the demo data (`make run`), in English and in French, through a real browser with axe-core on every
page it lands on (issue 14: "Both journeys work from make run on the demo data in English and French").

Amara, who leads Freelance Montréal, schedules a workshop with one place; Priya takes it, Noah joins the waiting
list and moves up when Priya cannot come; after the workshop Amara marks who attended, and the workshop shows
on Noah's portfolio and competency profile. Inès, on the team of the Lyon project presenting at the autumn demo
day, finds her invitation and answers it; a visitor reads Priya's past workshop on her profile and "Presented
at …" on the feed of a project that presented at the spring demo day.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from accounts.models import User
from app import create_app
from core.config import TEST_CONFIG
from core.extensions import db
from events.models import Event
from projects.models import Project
from tests.browser.a11y import click_to_page, visit
from tests.browser.conftest import TIMEOUT_MS
from tests.servers import LiveServer

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"sign in": "Sign in", "signed in": "You are signed in.", "sign out": "Sign out",
           "signed out": "You are signed out.", "upcoming": "Upcoming events", "new": "New event",
           "schedule": "Schedule the event", "ends first": "The event must end after it starts.",
           "scheduled": "The event is scheduled.", "answer": "Your answer", "going": "Going",
           "you go": "You are going. See you there!", "wait": "Join the waiting list",
           "waiting": "you are on the waiting list", "first in line": "You are on the waiting list (number 1).",
           "not any more": "Not going any more", "not going": "Your answer is saved: not going.",
           "moved up": "A place freed up: you are now going to “{title}”.", "going now": "You are going.",
           "answered": "Who answered", "save attendance": "Save attendance",
           "attendance saved": "Attendance is saved: 1 attended.", "attended": "Events attended",
           "pricing": "Pricing", "workshop evidence": "Workshop attended: {title}",
           "invited": "You are invited to the demo day “Journée de démonstration d’automne”",
           "invitation note": "You are invited: “Bookkeeping clinic for associations” presents at this demo day.",
           "presented": "Presented at “Spring demo day”."},
    "fr": {"sign in": "Se connecter", "signed in": "Vous êtes connecté·e.", "sign out": "Se déconnecter",
           "signed out": "Vous êtes déconnecté·e.", "upcoming": "Événements à venir", "new": "Nouvel événement",
           "schedule": "Programmer l’événement", "ends first": "L’événement doit se terminer après son début.",
           "scheduled": "L’événement est programmé.", "answer": "Votre réponse", "going": "J’y vais",
           "you go": "Vous êtes inscrit. À bientôt !", "wait": "Rejoindre la liste d’attente",
           "waiting": "vous êtes sur la liste d’attente", "first in line": "Vous êtes sur la liste d’attente (numéro 1).",
           "not any more": "Je n’y vais plus", "not going": "Votre réponse est enregistrée : vous n’y allez pas.",
           "moved up": "Une place s’est libérée : vous êtes inscrit à « {title} ».", "going now": "Vous êtes inscrit.",
           "answered": "Qui a répondu", "save attendance": "Enregistrer les présences",
           "attendance saved": "Les présences sont enregistrées : 1 présents.", "attended": "Événements suivis",
           "pricing": "Fixer ses prix", "workshop evidence": "Atelier suivi : {title}",
           "invited": "Vous êtes invité·e à la journée de démonstration « Journée de démonstration d’automne »",
           "invitation note": "Vous êtes invité·e : « Bookkeeping clinic for associations » présente à cette "
                              "journée de démonstration.",
           "presented": "Présenté à la journée « Spring demo day »."},
}


@pytest.fixture(params=["en", "fr"])
def demo(request, tmp_path_factory):
    """A live server of its own on the demo data (`flask seed-demo`), every demo member reading `language`."""
    language = request.param
    folder = tmp_path_factory.mktemp(f"demo-{language}")
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True,
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "demo.db"),
                      "LOGIN_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
                      "UPLOAD_FOLDER": str(folder / "uploads"), "EXPORT_FOLDER": str(folder / "exports"),
                      "MAIL_FOLDER": str(folder / "mail"),
                      "CREDENTIAL_KEYS_FILE": str(folder / "credential_keys.json")})
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
        assert result.exit_code == 0, result.output
        db.session.execute(update(User).values(locale=language))
        db.session.commit()
        db.session.remove()
    server = LiveServer(app)
    server.start()
    try:
        yield server, language
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def tab(browser, demo):
    server, language = demo
    context = browser.new_context(base_url=server.url, bypass_csp=True,
                                  locale="fr-FR" if language == "fr" else "en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    errors: list[str] = []
    context.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def flash(page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_the_events_journey_on_the_demo_data(tab, demo):
    page, (server, language) = tab, demo
    t = WORDS[language]

    def sign_in(handle: str) -> None:
        visit(page, "/auth/login")
        page.locator("#email").fill(f"{handle}@example.org")
        page.locator("#password").fill("demo-password-1")
        click_to_page(page, page.get_by_role("button", name=t["sign in"]))
        flash(page, t["signed in"])

    def sign_out() -> None:
        click_to_page(page, page.get_by_role("banner").get_by_role("button", name=t["sign out"]))
        flash(page, t["signed out"])

    def answers():
        return page.get_by_role("region", name=t["answer"])

    title = "Facturer ses clients" if language == "fr" else "Invoicing your clients"
    day = (date.today() + timedelta(days=14)).isoformat()

    # 1. Amara schedules a workshop with one place on the Montréal chapter's page; a wrong end is refused.
    sign_in("amara")
    visit(page, "/chapters/freelance-montreal")
    click_to_page(page, page.get_by_role("region", name=t["upcoming"]).get_by_role("link", name=t["new"]))
    page.locator("#title").fill(title)
    page.locator("#kind").select_option("workshop")
    page.locator("#description").fill("Invoices, deposits and reminders, with the tools members use.")
    page.locator("#address").fill("5333 avenue Casgrain, Montréal")
    page.locator("#starts_local").fill(f"{day}T18:00")
    page.locator("#ends_local").fill(f"{day}T17:00")
    page.locator("#capacity").fill("1")
    page.locator("#competency-scoping\\.pricing").check()
    assert click_to_page(page, page.get_by_role("button", name=t["schedule"])).status == 400
    expect(page.locator("#ends_local-error")).to_have_text(t["ends first"])
    page.locator("#ends_local").fill(f"{day}T20:00")
    click_to_page(page, page.get_by_role("button", name=t["schedule"]))
    flash(page, t["scheduled"])
    event_path = "/" + page.url.split("//", 1)[1].split("/", 1)[1]
    sign_out()

    # 2. Priya takes the place; Noah joins the waiting list.
    sign_in("priya")
    visit(page, event_path)
    click_to_page(page, answers().get_by_role("button", name=t["going"], exact=True))
    flash(page, t["you go"])
    sign_out()
    sign_in("noah")
    visit(page, event_path)
    click_to_page(page, answers().get_by_role("button", name=t["wait"]))
    flash(page, t["waiting"])
    expect(page.locator("#answer-status")).to_have_text(t["first in line"])
    sign_out()

    # 3. Priya cannot come after all: Noah moves up and is told.
    sign_in("priya")
    visit(page, event_path)
    click_to_page(page, answers().get_by_role("button", name=t["not any more"]))
    flash(page, t["not going"])
    sign_out()
    sign_in("noah")
    visit(page, "/notifications")
    expect(page.get_by_text(t["moved up"].format(title=title))).to_be_visible()
    visit(page, event_path)
    expect(page.locator("#answer-status")).to_have_text(t["going now"])
    sign_out()

    # 4. The workshop takes place (moved to two weeks ago here); Amara marks who attended.
    event_id = int(event_path.rsplit("/", 1)[1])
    with server.app_context():
        event = db.session.get(Event, event_id)
        db.session.execute(update(Event).where(Event.id == event_id).values(
            starts_at=event.starts - timedelta(days=28), ends_at=event.ends - timedelta(days=28)))
        db.session.commit()
    sign_in("amara")
    visit(page, event_path)
    attendance = page.get_by_role("region", name=t["answered"])
    attendance.get_by_label("Noah Williams").check()
    click_to_page(page, attendance.get_by_role("button", name=t["save attendance"]))
    flash(page, t["attendance saved"])
    sign_out()

    # 5. Anyone reads it on Noah's portfolio: the events attended and the competency profile.
    visit(page, "/u/noah")
    attended = page.get_by_role("region", name=t["attended"])
    expect(attended).to_contain_text(title)
    expect(attended).to_contain_text(t["pricing"])
    expect(page.get_by_role("link", name=t["workshop evidence"].format(title=title))).to_be_visible()

    # 6. Inès presents at the Lyon demo day: her invitation leads to the event, where she answers it.
    sign_in("ines")
    visit(page, "/notifications")
    click_to_page(page, page.get_by_role("link", name=t["invited"]))
    expect(page.locator("#invitation-note")).to_have_text(t["invitation note"])
    click_to_page(page, answers().get_by_role("button", name=t["going"], exact=True))
    flash(page, t["you go"])
    sign_out()

    # 7. A visitor reads Priya's past workshop on her profile, and the spring demo day on a project's feed.
    visit(page, "/u/priya")
    expect(page.get_by_role("link", name=t["workshop evidence"].format(
        title="Writing a proposal a non-profit can approve")).first).to_be_visible()
    with server.app_context():
        chatbot = db.session.scalar(select(Project.id).where(Project.title == "Tenant rights chatbot"))
    visit(page, f"/projects/{chatbot}")
    expect(page.get_by_text(t["presented"])).to_be_visible()
