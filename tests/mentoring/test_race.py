"""Members asking a mentor at the same moment: the guarded UPDATE of the offer's places gives the last place to
exactly one, and the partial unique index keeps one open request per mentee. On PostgreSQL (as the RSVP
capacity and the team cap are tested), where the sessions really run at once."""
import threading

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from accounts.models import User
from core.errors import DomainError
from core.extensions import db
from mentoring import services
from mentoring.models import MentorOffer, Mentorship
from tests.factories import make_user
from tests.mentoring.helpers import make_mentorship, make_offer


def at_the_same_moment(app, calls) -> list[str]:
    """Run each (user id, offer id) request in its own thread and database session, all at once (a barrier)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    barrier, outcomes = threading.Barrier(len(calls)), []

    def run(user_id, offer_id):
        with app.app_context(), Session(engine) as session:
            db.session.registry.set(session)
            offer, actor = session.get(MentorOffer, offer_id), session.get(User, user_id)
            offer.user  # loaded before the barrier
            barrier.wait()
            try:
                outcomes.append(services.request_mentoring(offer, actor, "Help me set a day rate.").status)
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
def test_two_members_asking_for_the_last_place_at_once_never_exceed_the_capacity(app):
    offer = make_offer(capacity=2)
    make_mentorship(offer, status="active")
    members = [make_user(), make_user(), make_user()]
    outcomes = at_the_same_moment(app, [(m.id, offer.id) for m in members])
    assert sorted(outcomes) == sorted(["requested"] + ["This mentor has no place left this month: every place is "
                                                       "taken."] * 2)
    assert db.session.get(MentorOffer, offer.id).open_count == 2
    assert db.session.scalar(select(func.count()).select_from(Mentorship)
                             .where(Mentorship.status.in_(("requested", "active")))) == 2


@pytest.mark.postgres_only
def test_the_same_member_asking_twice_at_once_gets_one_request_and_one_place_taken(app):
    offer = make_offer(capacity=5)
    member = make_user()
    outcomes = at_the_same_moment(app, [(member.id, offer.id), (member.id, offer.id)])
    assert sorted(outcomes) == sorted(["You already have a request or a mentorship open with this mentor.",
                                       "requested"])
    assert db.session.get(MentorOffer, offer.id).open_count == 1
    assert db.session.scalar(select(func.count()).select_from(Mentorship)) == 1
