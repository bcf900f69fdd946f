"""What sponsors hold about a member: for their data export, and erased when they delete their account."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from core.extensions import db
from core.personal_data import Erasure, eraser, handover, part
from sponsors.models import SponsorInvitation, SponsorMember, SponsorOrganisation


@part("sponsors", _l("organisations.json: the sponsor organisations you belong to and your role; "
                     "invitations.json: the invitations sent to your email address and your answers."))
def sponsors(user) -> dict:
    memberships = db.session.execute(
        select(SponsorOrganisation.name.label("organisation"), SponsorMember.role, SponsorMember.joined_at)
        .join(SponsorOrganisation, SponsorOrganisation.id == SponsorMember.organisation_id)
        .where(SponsorMember.user_id == user.id).order_by(SponsorMember.joined_at))
    invitations = db.session.execute(
        select(SponsorOrganisation.name.label("organisation"), SponsorInvitation.role, SponsorInvitation.status,
               SponsorInvitation.created_at, SponsorInvitation.answered_at)
        .join(SponsorOrganisation, SponsorOrganisation.id == SponsorInvitation.organisation_id)
        .where(SponsorInvitation.email == user.email).order_by(SponsorInvitation.created_at))
    return {"organisations.json": [row._asdict() for row in memberships],
            "invitations.json": [row._asdict() for row in invitations]}


@handover
def last_admin_of(user) -> list[str]:
    """An organisation that is not archived keeps an admin."""
    other = aliased(SponsorMember)
    others = (select(func.count()).select_from(other)
              .where(other.organisation_id == SponsorOrganisation.id, other.user_id != user.id,
                     other.role == "admin").scalar_subquery())
    names = db.session.scalars(
        select(SponsorOrganisation.name).join(SponsorMember, SponsorMember.organisation_id == SponsorOrganisation.id)
        .where(SponsorMember.user_id == user.id, SponsorMember.role == "admin",
               SponsorOrganisation.status != "archived", others == 0).order_by(SponsorOrganisation.name))
    return [_("You are the last admin of %(organisation)s: invite another admin before you leave.",
              organisation=name) for name in names]


@eraser("sponsors")
def erase_memberships(erasure: Erasure) -> None:
    db.session.execute(delete(SponsorMember).where(SponsorMember.user_id == erasure.user_id))
    db.session.execute(delete(SponsorInvitation).where(SponsorInvitation.email == erasure.email))
