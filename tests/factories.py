"""Plain factory functions with good defaults; each returns a committed object."""
from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from accounts.models import User
from accounts.services import skills_named
from chapters.models import Chapter, ChapterMembership
from core.audit import utcnow
from core.extensions import db
from sqlalchemy import select

PASSWORD = "correct horse battery"
# Hashing once keeps the suite fast; a cheap method is fine for test accounts.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_counter = itertools.count(1)


def make_user(handle: str | None = None, *, email: str | None = None, name: str | None = None,
              skills: tuple[str, ...] = (), commit: bool = True, **fields) -> User:
    n = next(_counter)
    handle = handle or f"user{n}"
    fields.setdefault("email_verified_at", utcnow())  # make_user(..., email_verified_at=None) for an unverified one
    user = User(handle=handle, email=email or f"{handle}@example.org", name=name or f"User {n}",
                password_hash=_PASSWORD_HASH, city=fields.pop("city", "Lyon"),
                country=fields.pop("country", "FR"), skills=skills_named(list(skills)), **fields)
    db.session.add(user)
    db.session.commit() if commit else db.session.flush()
    return user


def make_admin(handle: str | None = None, **fields) -> User:
    return make_user(handle, is_admin=True, **fields)


def make_chapter(lead: User | None = None, *, status: str = "active", name: str | None = None,
                 city: str = "Lyon", country: str = "FR", commit: bool = True) -> Chapter:
    n = next(_counter)
    lead = lead or make_user()
    name = name or f"Chapter {n}"
    chapter = Chapter(slug=f"chapter-{n}", name=name, city=city, country=country,
                      description="A chapter made by the test factories.", status=status,
                      proposed_by_id=lead.id)
    db.session.add(chapter)
    db.session.flush()
    db.session.add(ChapterMembership(chapter_id=chapter.id, user_id=lead.id, role="lead"))
    if commit:
        db.session.commit()
    return chapter


def add_member(chapter: Chapter, user: User | None = None, role: str = "member", commit: bool = True) -> User:
    user = user or make_user(commit=commit)
    db.session.add(ChapterMembership(chapter_id=chapter.id, user_id=user.id, role=role))
    db.session.commit() if commit else db.session.flush()
    chapter.forget_roles()
    return user


def make_project(chapter: Chapter, *, status: str = "recruiting", title: str | None = None,
                 team: tuple[User, ...] = (), milestones: int = 1, team_min: int = 1, team_max: int = 4,
                 skills: tuple[str, ...] = ("Python",), sdgs: tuple[int, ...] = (4,), commit: bool = True,
                 competencies: tuple[str, ...] = ()):
    """A complete project (pitch, skills, milestones planned) with `team` on it; `competencies` are framework codes."""
    from datetime import date, timedelta

    from projects.models import Milestone, Project, ProjectCompetency, ProjectImpact, TeamMember

    n = next(_counter)
    project = Project(chapter_id=chapter.id, title=title or f"Project {n}", summary="A summary of the project.",
                      problem="The problem it solves.", learning_outcomes="Pricing\nScoping", status=status,
                      team_min=team_min, team_max=team_max, team_size=len(team), skills=skills_named(list(skills)),
                      impacts=[ProjectImpact(sdg=sdg) for sdg in sdgs], start_date=date.today(),
                      competencies=[ProjectCompetency(code=code) for code in competencies],
                      end_date=date.today() + timedelta(days=60))
    db.session.add(project)
    db.session.flush()
    for position in range(1, milestones + 1):
        db.session.add(Milestone(project_id=project.id, position=position, title=f"Milestone {position}",
                                 due_date=date.today() + timedelta(days=10 * position)))
    for member in team:
        db.session.add(TeamMember(project_id=project.id, user_id=member.id))
    db.session.commit() if commit else db.session.flush()
    return project


def make_delivered_project(chapter: Chapter, *, team: tuple[User, ...] = (), roles: tuple[str, ...] = (),
                           milestones: int = 2, **fields):
    """A delivered project: every milestone accepted, `team` on it (roles in order); credentials not issued."""
    from core.audit import utcnow
    from projects.models import Milestone, TeamMember

    project = make_project(chapter, status="delivered", team=team, milestones=milestones, commit=False, **fields)
    for milestone in db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)):
        milestone.status, milestone.accepted_at = "accepted", utcnow()
    for member, role in zip(team, roles):
        db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                                   TeamMember.user_id == member.id)).role = role
    db.session.commit()
    return project


def make_application(project, user: User | None = None, status: str = "pending", commit: bool = True):
    from projects.models import Application

    application = Application(project_id=project.id, user_id=(user or make_user()).id, status=status,
                              motivation="I want to learn by doing this project with you.")
    db.session.add(application)
    db.session.commit() if commit else db.session.flush()
    return application


def make_organisation(admin: User | None = None, *, status: str = "active", name: str | None = None,
                      reviewers: tuple[User, ...] = (), commit: bool = True):
    """A sponsor organisation with `admin` as its admin and `reviewers` as reviewers."""
    from sponsors.models import SponsorMember, SponsorOrganisation

    n = next(_counter)
    admin = admin or make_user(commit=commit)
    org = SponsorOrganisation(slug=f"sponsor-{n}", name=name or f"Sponsor {n}", website="https://example.org",
                              description="An organisation made by the test factories.",
                              contact_email=f"sponsor{n}@example.org", status=status, created_by_id=admin.id)
    db.session.add(org)
    db.session.flush()
    db.session.add(SponsorMember(organisation_id=org.id, user_id=admin.id, role="admin"))
    for reviewer in reviewers:
        db.session.add(SponsorMember(organisation_id=org.id, user_id=reviewer.id, role="reviewer"))
    db.session.commit() if commit else db.session.flush()
    return org


def make_sponsorship(project, org, *, status: str = "offered", kind: str = "funding", amount_minor: int = 50000,
                     currency: str = "EUR", created_by: User | None = None, commit: bool = True):
    from sponsors.models import Sponsorship

    in_kind = kind == "in_kind"
    initiated_by = "chapter" if status == "requested" else "sponsor"
    sponsorship = Sponsorship(project_id=project.id, organisation_id=org.id, kind=kind, status=status,
                              amount_minor=None if in_kind else amount_minor, currency=None if in_kind else currency,
                              in_kind_type="compute" if in_kind else None, description="Help",
                              initiated_by=initiated_by, created_by_id=getattr(created_by, "id", None))
    db.session.add(sponsorship)
    db.session.commit() if commit else db.session.flush()
    return sponsorship


def issue_credentials(project, commit: bool = True) -> list:
    """The project's credentials, issued by the real issuer (what the delivery job runs)."""
    from credentials.issuing import issue_for_project

    credentials = issue_for_project(project.id)
    db.session.commit() if commit else db.session.flush()
    return credentials



def make_event(chapter: Chapter, *, starts_in_hours: float = 72, hours: float = 2, capacity: int = 10,
               kind: str = "meetup", mode: str = "in_person", status: str = "scheduled", title: str | None = None,
               timezone: str = "Europe/Paris", competencies: tuple[str, ...] = (), commit: bool = True):
    """An event of `chapter` starting `starts_in_hours` from now (negative: in the past)."""
    from datetime import timedelta

    from events.models import Event, EventCompetency

    n = next(_counter)
    starts = utcnow().replace(microsecond=0) + timedelta(hours=starts_in_hours)
    event = Event(chapter_id=chapter.id, kind=kind, title=title or f"Event {n}", description="An event.", mode=mode,
                  address="1 rue de la République, Lyon" if mode == "in_person" else "",
                  online_url="https://meet.example.org/secret-room" if mode == "online" else "",
                  starts_at=starts, ends_at=starts + timedelta(hours=hours), timezone=timezone, capacity=capacity,
                  going_count=0, status=status, competencies=[EventCompetency(code=c) for c in competencies])
    db.session.add(event)
    db.session.commit() if commit else db.session.flush()
    return event


def make_rsvp(event, user: User | None = None, status: str = "going", attended: bool | None = None,
              commit: bool = True):
    """An answer to `event`; a member going takes a place (the event's count follows)."""
    from events.models import Rsvp

    user = user or make_user(commit=commit)
    rsvp = Rsvp(event_id=event.id, user_id=user.id, status=status, attended=attended,
                waiting_since=utcnow() if status == "waiting" else None)
    db.session.add(rsvp)
    if status == "going":
        event.going_count += 1
    db.session.commit() if commit else db.session.flush()
    return rsvp
