"""Mentoring lifecycles, declared as data: an offer is active, paused or withdrawn; a mentorship goes from
requested to active (or declined, or withdrawn by the mentee) and from active to ended. Asking for a mentor
creates a mentorship: REQUEST_GUARDS are what must hold first, each a sentence when it does not."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from core.extensions import db
from core.workflow import T, Workflow
from mentoring.models import MENTORSHIP_STATES, OFFER_STATES, OPEN_STATES, Mentorship


def no_request_waiting(offer, user):
    """A mentor answers the requests waiting for them before withdrawing their offer."""
    waiting = db.session.scalar(select(Mentorship.id).where(Mentorship.offer_id == offer.id,
                                                            Mentorship.status == "requested").limit(1))
    if waiting is not None:
        return _("Answer the requests waiting for you before withdrawing your offer.")


OFFER_LABELS = {
    "active": lazy_pgettext("mentor_offer", "taking requests"),
    "paused": lazy_pgettext("mentor_offer", "paused"),
    "withdrawn": lazy_pgettext("mentor_offer", "withdrawn"),
}

OFFER = Workflow("mentor_offer", field="status", states=OFFER_STATES, labels=OFFER_LABELS,
                 wrong_state=_l("This cannot be done while the offer is %(state)s."), transitions=[
    T("pause", "active", "paused", perm="mentor_offer.manage", label=_l("Pause the offer")),
    T("resume", ("paused", "withdrawn"), "active", perm="mentor_offer.manage", label=_l("Take requests again")),
    T("withdraw", ("active", "paused"), "withdrawn", perm="mentor_offer.manage", label=_l("Withdraw the offer"),
      guards=[no_request_waiting]),
])


MENTORSHIP_LABELS = {
    "requested": lazy_pgettext("mentorship", "requested"),
    "active": lazy_pgettext("mentorship", "active"),
    "declined": lazy_pgettext("mentorship", "declined"),
    "withdrawn": lazy_pgettext("mentorship", "withdrawn"),
    "ended": lazy_pgettext("mentorship", "ended"),
}

MENTORSHIP = Workflow("mentorship", field="status", states=MENTORSHIP_STATES, labels=MENTORSHIP_LABELS,
                      wrong_state=_l("This cannot be done while the mentorship is %(state)s."), transitions=[
    T("accept", "requested", "active", perm="mentorship.answer", label=_l("Accept")),
    T("decline", "requested", "declined", perm="mentorship.answer", reason_required=True, label=_l("Decline")),
    T("withdraw", "requested", "withdrawn", perm="mentorship.withdraw", label=_l("Withdraw my request")),
    T("end", "active", "ended", perm="mentorship.end", label=_l("End the mentorship")),
])


# ---- Asking for a mentor: what must hold before a request is made ----

def not_own_offer(offer, user):
    if offer.user_id == getattr(user, "id", None):
        return _("You cannot ask yourself for mentoring.")


def offer_takes_requests(offer, user):
    if offer.status != "active":
        return _("This mentor is not taking requests at the moment.")


def no_open_request(offer, user):
    """One open request or mentorship per mentee and mentor (the partial unique index holds it under races)."""
    if not getattr(user, "is_authenticated", False):
        return None
    open_one = db.session.scalar(select(Mentorship.id).where(
        Mentorship.offer_id == offer.id, Mentorship.mentee_id == user.id,
        Mentorship.status.in_(OPEN_STATES)).limit(1))
    if open_one is not None:
        return _("You already have a request or a mentorship open with this mentor.")


def has_place(offer, user):
    """Checked here for the sentence; the guarded UPDATE in services.take_place holds it under races."""
    if offer.open_count >= offer.capacity:
        return _("This mentor has no place left this month: every place is taken.")


REQUEST_GUARDS = (not_own_offer, offer_takes_requests, no_open_request, has_place)


def request_blockers(offer, user) -> list[str]:
    """The sentences of every request guard that fails now for `user` (empty: they may ask)."""
    return [message for guard in REQUEST_GUARDS if (message := guard(offer, user))]
