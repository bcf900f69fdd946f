"""What sponsors hold about a member, for their data export."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.personal_data import part
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
