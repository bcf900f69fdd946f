"""Two members take the last place at the same moment: the guarded UPDATE gives it to exactly one; the other
waits. On PostgreSQL (as the team cap is tested), where the two sessions really run at once."""
import threading

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from accounts.models import User
from core.errors import DomainError
from core.extensions import db
from events import services
from events.models import Event, Rsvp
from tests.factories import make_chapter, make_event, make_rsvp, make_user


def at_the_same_moment(app, calls) -> list[str]:
    """Run each (user id, event id, going) in its own thread and database session, all at once (a barrier)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    barrier, outcomes = threading.Barrier(len(calls)), []

    def run(user_id, event_id, going):
        with app.app_context(), Session(engine) as session:
            db.session.registry.set(session)
            event, actor = session.get(Event, event_id), session.get(User, user_id)
            event.chapter  # loaded before the barrier
            barrier.wait()
            try:
                outcomes.append(services.answer(event, actor, going).status)
            except DomainError as error:
                outcomes.append(error.message)
            except Exception as error:  # noqa: BLE001 - nothing else may escape
                outcomes.append(f"error {type(error).__name__}")

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engine.dispose()
    db.session.expire_all()
    return outcomes


@pytest.mark.postgres_only
def test_two_members_taking_the_last_place_at_once_never_exceed_the_capacity(app):
    event = make_event(make_chapter(make_user()), capacity=2)
    make_rsvp(event)
    members = [make_user(), make_user()]
    outcomes = at_the_same_moment(app, [(m.id, event.id, True) for m in members])
    assert sorted(outcomes) == ["going", "waiting"]
    assert db.session.get(Event, event.id).going_count == 2
    assert db.session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.status == "going")) == 2


@pytest.mark.postgres_only
def test_a_place_freed_while_another_member_asks_goes_to_one_member_only(app):
    """One member going gives back their place while two others (one waiting, one new) answer at once."""
    event = make_event(make_chapter(make_user()), capacity=1)
    leaving = make_rsvp(event).user_id
    waiting = make_rsvp(event, status="waiting").user_id
    newcomer = make_user().id
    at_the_same_moment(app, [(leaving, event.id, False), (newcomer, event.id, True)])
    going = db.session.scalars(select(Rsvp.user_id).where(Rsvp.status == "going")).all()
    assert len(going) == 1 and db.session.get(Event, event.id).going_count == 1
    assert going[0] in (waiting, newcomer)


def test_the_database_refuses_more_going_than_places(app):
    from sqlalchemy.exc import IntegrityError

    event = make_event(make_chapter(make_user()), capacity=1)
    event.going_count = 2
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
