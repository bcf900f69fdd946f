"""Demo mentoring: Sofia (Montréal) mentors on pricing and bookkeeping, with Priya as her mentee (sessions
logged) and Noah's request waiting for her answer; Lucas (Lyon) mentors in French on contracts; Kofi's offer is
paused."""
from datetime import timedelta

from sqlalchemy import update

from core.audit import utcnow
from core.cli import seeder
from core.extensions import db
from mentoring import services
from mentoring.models import Mentorship


@seeder(order=55)
def seed_mentoring(world: dict) -> None:
    people = world["people"]
    sofia, lucas, kofi = people["sofia"], people["lucas"], people["kofi"]
    pricing = services.create_offer(
        sofia, competencies=["scoping.pricing", "admin.budget", "admin.invoicing"], skills=["Bookkeeping", "Pricing"],
        capacity=3, bio="Freelance accountant for ten years. I help freelancers set a day rate they can live on, "
                        "quote with confidence and keep their books in order without spending weekends on them.")
    services.create_offer(
        lucas, competencies=["admin.contracts", "scoping.proposal"], skills=["Comptabilité"], capacity=2,
        bio="Je relis vos contrats et vos devis avec vous : clauses utiles, acomptes, pénalités de retard. "
            "Sessions en français, en visio ou à Lyon.")
    paused = services.create_offer(
        kofi, competencies=["sales.prospecting"], skills=["Data analysis"], capacity=1,
        bio="I mentor data freelancers on finding their first non-profit clients in West Africa.")
    services.transition_offer(paused, kofi, "pause")

    active = services.request_mentoring(pricing, people["priya"],
                                        "I undercharge every client. I would like a day rate and a quote template "
                                        "I can defend in front of a non-profit's board.")
    # Written as history: Priya asked five weeks ago; the sessions then took place.
    db.session.execute(update(Mentorship).where(Mentorship.id == active.id)
                       .values(created_at=utcnow() - timedelta(days=35)))
    db.session.commit()
    db.session.expire_all()
    active = db.session.get(Mentorship, active.id)
    services.answer(active, sofia, True, "With pleasure: let's start with your last three quotes.")
    today = utcnow().date()
    services.log_session(active, sofia, day=today - timedelta(days=28), minutes=60,
                         notes="Went through three recent quotes: all below cost once taxes are counted.")
    services.log_session(active, people["priya"], day=today - timedelta(days=14), minutes=45,
                         notes="Worked out a day rate from yearly costs and the days really billable.")
    services.log_session(active, sofia, day=today - timedelta(days=3), minutes=90,
                         notes="Rehearsed presenting the new rate to a board; next: the quote template.")
    services.request_mentoring(pricing, people["noah"],
                               "I am starting out as a video editor and have no idea how to price a project.")
    world["mentoring"] = {"offer": pricing, "active": active}
