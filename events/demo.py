"""Demo events: in Montréal an upcoming workshop that is full with a waiting list, an online fireside chat, a past
meetup and a past workshop whose attendance was marked (Priya's portfolio and competency profile show the
workshop), and a past demo day whose presenting projects' feeds recorded it; in Lyon an upcoming workshop and an
upcoming demo day that invited the presenting team and its sponsors' reviewers."""
from datetime import datetime, timedelta

from sqlalchemy import update

from core.audit import utcnow
from core.cli import seeder
from core.extensions import db
from events import services, tasks, timezones
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


def into_the_past(event: Event, days: int) -> Event:
    """Written as history: the event took place `days` earlier than scheduled (events cannot be scheduled in the
    past)."""
    shift = timedelta(days=days)
    db.session.execute(update(Event).where(Event.id == event.id).values(
        starts_at=event.starts - shift, ends_at=event.ends - shift))
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Event, event.id)


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
    # The meetup took place five weeks ago.
    services.mark_attendance(into_the_past(past, 38), amara, {people["priya"].id})
    proposal = schedule(montreal, amara, title="Writing a proposal a non-profit can approve", kind="workshop",
                        description="From a first conversation to a one-page proposal: scope, milestones and price.",
                        zone="America/Toronto", days=2, hour=18, capacity=12, address="5333 avenue Casgrain, Montréal",
                        competencies=("scoping.proposal", "sales.discovery"))
    for handle in ("priya", "noah"):
        services.answer(proposal, people[handle], True)
    # Three weeks ago; Priya came, Noah could not: her competency profile shows the workshop.
    services.mark_attendance(into_the_past(proposal, 23), amara, {people["priya"].id})
    projects = world["projects"]
    showcase = schedule(montreal, amara, title="Spring demo day", kind="demo_day",
                        description="The season's teams show their work to the associations and their sponsors.",
                        zone="America/Toronto", days=4, hour=17, hours=3, capacity=80,
                        address="Maison du développement durable, Montréal",
                        presenting=[projects["delivered"].id, projects["sponsored"].id])
    into_the_past(showcase, 16)
    tasks.record_presentations()  # what the scheduler does the hour a demo day ends: "Presented at …" in the feeds
    db.session.commit()
    schedule(lyon, lucas, title="Contrats et devis : l’atelier", kind="workshop",
             description="Relire ensemble un contrat de prestation et un devis : clauses utiles, pièges, acomptes.",
             zone="Europe/Paris", days=9, hour=18, capacity=15, address="Maison des associations, Lyon",
             competencies=("admin.contracts",))
    active = world["projects"]["active"]
    autumn = schedule(active.chapter, lucas, title="Journée de démonstration d’automne", kind="demo_day",
             description="Les équipes présentent leur travail à leurs partenaires et sponsors.", zone="Europe/Paris",
             days=30, hour=17, hours=3, capacity=60, address="Maison des associations, Lyon", presenting=[active.id])
    world["events"] = {"workshop": workshop, "past": past, "proposal": proposal, "showcase": showcase,
                       "autumn": autumn}
