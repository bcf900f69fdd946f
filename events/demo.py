"""Demo events: in Montréal an upcoming workshop that is full with a waiting list, an online fireside chat, and
a past meetup whose attendance was marked; in Lyon an upcoming meetup."""
from datetime import datetime, timedelta

from sqlalchemy import update

from core.audit import utcnow
from core.cli import seeder
from core.extensions import db
from events import services, timezones
from events.models import Event


def _local_days_ahead(days: int, hour: int, zone: str) -> datetime:
    day = timezones.local(utcnow(), zone).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def schedule(chapter, lead, *, title, kind, description, zone, days, hour, hours=2, capacity=20, mode="in_person",
             address="", online_url="", competencies=(), presenting=()):
    start = _local_days_ahead(days, hour, zone)
    return services.create_event(chapter, lead, title=title, kind=kind, description=description, mode=mode,
                                 address=address, online_url=online_url, timezone=zone, starts_local=start,
                                 ends_local=start + timedelta(hours=hours), capacity=capacity,
                                 competencies=list(competencies), presenting=list(presenting))


@seeder(order=50)
def seed_events(world: dict) -> None:
    people, chapters = world["people"], world["chapters"]
    montreal, lyon = chapters["Freelance Montréal"], chapters["Lyon Indépendants"]
    amara, lucas = people["amara"], people["lucas"]
    workshop = schedule(montreal, amara, title="Pricing your freelance work", kind="workshop",
                        description="A hands-on workshop: work out a day rate, price a fixed-scope project and "
                                    "write a quote a non-profit can approve. Bring a project you priced recently.",
                        zone="America/Toronto", days=12, hour=18, capacity=2, address="5333 avenue Casgrain, Montréal",
                        competencies=("scoping.pricing", "scoping.proposal"))
    for handle in ("priya", "noah", "lucas"):  # two places: Lucas waits
        services.answer(workshop, people[handle], True)
    schedule(montreal, people["sofia"], title="Fireside chat: ten years of freelancing", kind="fireside_chat",
             description="Sofia talks with a long-time freelance accountant about clients, rates and rest.",
             zone="America/Toronto", days=20, hour=12, hours=1, capacity=100, mode="online",
             online_url="https://meet.example.org/chapterhouse-fireside")
    past = schedule(montreal, amara, title="Spring meetup", kind="meetup",
                    description="Members present what they worked on this season, then drinks.",
                    zone="America/Toronto", days=3, hour=19, capacity=30, address="Café Névé, Montréal")
    for handle in ("priya", "noah"):
        services.answer(past, people[handle], True)
    # Written as history: the meetup took place five weeks ago (events cannot be scheduled in the past).
    shift = timedelta(days=38)
    db.session.execute(update(Event).where(Event.id == past.id).values(
        starts_at=past.starts - shift, ends_at=past.ends - shift))
    db.session.commit()
    db.session.expire_all()
    services.mark_attendance(db.session.get(Event, past.id), amara, {people["priya"].id})
    schedule(lyon, lucas, title="Contrats et devis : l’atelier", kind="workshop",
             description="Relire ensemble un contrat de prestation et un devis : clauses utiles, pièges, acomptes.",
             zone="Europe/Paris", days=9, hour=18, capacity=15, address="Maison des associations, Lyon",
             competencies=("admin.contracts",))
    active = world["projects"]["active"]
    schedule(active.chapter, lucas, title="Journée de démonstration d’automne", kind="demo_day",
             description="Les équipes présentent leur travail à leurs partenaires et sponsors.", zone="Europe/Paris",
             days=30, hour=17, hours=3, capacity=60, address="Maison des associations, Lyon", presenting=[active.id])
    world["events"] = {"workshop": workshop, "past": past}
