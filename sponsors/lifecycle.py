"""The sponsor organisation and sponsorship lifecycles (SPEC §2), with their guards."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from core.authz import SPONSORABLE_STATES
from core.workflow import T, Workflow
from projects.lifecycle import PROJECT
from sponsors.models import INVITATION_STATES, ORGANISATION_STATES, SPONSORSHIP_STATES



def project_open(sponsorship, user):
    """Sponsorships are agreed only while the project is recruiting or active."""
    if sponsorship.project.status not in SPONSORABLE_STATES:
        return _("The project is %(status)s: sponsorships are possible only while it is recruiting or active.",
                 status=PROJECT.label(sponsorship.project.status))


def organisation_active(sponsorship, user):
    if sponsorship.organisation.status != "active":
        return _("The organisation is not active.")


def answered_by_other_side(sponsorship, user):
    """An offer is answered by the project's leads, a request by the organisation's admins; nobody
    answers their own proposal, even when they belong to both sides."""
    if sponsorship.created_by_id is not None and sponsorship.created_by_id == getattr(user, "id", None):
        return _("You made this proposal: the other side answers it.")
    if sponsorship.initiated_by == "sponsor" and not sponsorship.project.is_led_by(user):
        return _("This offer is answered by the project's chapter leads, not by the organisation that made it.")
    if sponsorship.initiated_by == "chapter" and not sponsorship.organisation.is_admin(user):
        return _("This request is answered by the organisation's admins, not by the chapter that made it.")


def invitation_current(invitation, user):
    if invitation.is_expired:
        return _("This invitation has expired: ask the organisation for a new one.")


def organisation_not_archived(invitation, user):
    if invitation.organisation.status == "archived":
        return _("The organisation is archived.")


# Labels are written per entity: "l’organisation est active" (feminine), "le parrainage est confirmé".
ORGANISATION_LABELS = {
    "pending": lazy_pgettext("organisation", "awaiting approval"),
    "active": lazy_pgettext("organisation", "active"),
    "archived": lazy_pgettext("organisation", "archived"),
}
SPONSORSHIP_LABELS = {
    "offered": lazy_pgettext("sponsorship", "offered"),
    "requested": lazy_pgettext("sponsorship", "requested"),
    "confirmed": lazy_pgettext("sponsorship", "confirmed"),
    "declined": lazy_pgettext("sponsorship", "declined"),
    "withdrawn": lazy_pgettext("sponsorship", "withdrawn"),
}

INVITATION_LABELS = {
    "pending": lazy_pgettext("invitation", "waiting for an answer"),
    "accepted": lazy_pgettext("invitation", "accepted"),
    "declined": lazy_pgettext("invitation", "declined"),
    "revoked": lazy_pgettext("invitation", "withdrawn"),
}

ORGANISATION = Workflow("organisation", field="status", states=ORGANISATION_STATES, labels=ORGANISATION_LABELS,
                        wrong_state=_l("This cannot be done while the organisation is %(state)s."), transitions=[
    T("approve", "pending", "active", perm="sponsor.approve", label=_l("Approve")),
    T("archive", ("pending", "active"), "archived", perm="sponsor.archive", label=_l("Archive")),
])

SPONSORSHIP = Workflow("sponsorship", field="status", states=SPONSORSHIP_STATES, labels=SPONSORSHIP_LABELS,
                       wrong_state=_l("This cannot be done while the sponsorship is %(state)s."), transitions=[
    T("confirm", ("offered", "requested"), "confirmed", perm="sponsorship.answer", label=_l("Confirm"),
      guards=[answered_by_other_side, project_open, organisation_active]),
    T("decline", ("offered", "requested"), "declined", perm="sponsorship.answer", label=_l("Decline"),
      guards=[answered_by_other_side]),
    T("withdraw", ("offered", "requested"), "withdrawn", perm="sponsorship.withdraw", label=_l("Withdraw")),
])

INVITATION = Workflow("invitation", field="status", states=INVITATION_STATES, labels=INVITATION_LABELS,
                      wrong_state=_l("This invitation is %(state)s already."), transitions=[
    T("accept", "pending", "accepted", perm="sponsor.answer_invitation", label=_l("Accept"),
      guards=[invitation_current, organisation_not_archived]),
    T("decline", "pending", "declined", perm="sponsor.answer_invitation", label=_l("Decline")),
    T("revoke", "pending", "revoked", perm="sponsor.revoke_invitation", label=_l("Withdraw the invitation")),
])
