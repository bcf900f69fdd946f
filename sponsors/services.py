"""Sponsor services: register and approve organisations, manage members, offer, request and answer sponsorships."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from accounts import notifications
from accounts.models import User
from core import audit, jobs
from core.audit import utcnow
from core.authz import require
from core.errors import DomainError, FieldError
from core.extensions import db
from core.slugs import unique_slug
from core.urls import path_for
from core import uploads
from projects.services import lead_users
from sponsors import money
from sponsors.lifecycle import INVITATION, ORGANISATION, SPONSORSHIP, organisation_active, project_open
from sponsors.models import (IN_KIND_TYPES, MEMBER_ROLES, OPEN_STATES, SponsorInvitation, SponsorMember,
                             SponsorOrganisation, Sponsorship)

INVITATION_VALIDITY = timedelta(days=14)
MAX_PENDING_INVITATIONS = 50  # an organisation cannot be used to send invitations to any number of addresses


notifications.register_kind("sponsorship.offered", _l("A sponsor offers sponsorship to a project you lead"),
                            _l("%(organisation)s offers sponsorship to “%(project)s”."))
notifications.register_kind("sponsorship.requested", _l("A chapter asks your organisation for sponsorship"),
                            _l("%(actor)s asks %(organisation)s to sponsor “%(project)s”."))
notifications.register_kind("sponsorship.confirmed", _l("A sponsorship you proposed is confirmed"),
                            _l("The sponsorship of “%(project)s” by %(organisation)s is confirmed."))
notifications.register_kind("sponsorship.declined", _l("A sponsorship you proposed is declined"),
                            _l("The sponsorship of “%(project)s” by %(organisation)s was declined."))


def checked_logo(logo: FileStorage | None) -> uploads.CheckedFile | None:
    """The logo, checked like every upload (PNG, JPEG or WebP by content, at most 1 MB), or None when none is sent."""
    if logo is None or not getattr(logo, "filename", None):
        return None
    try:
        return uploads.check_image(logo)
    except uploads.UploadRejected as error:
        raise FieldError.on("logo", error.message) from None


def _commit_with_logo(new_key: str | None, old_key: str | None) -> None:
    """Commit; a stored logo file follows the outcome (the new one is removed on failure, the old on success)."""
    try:
        db.session.commit()
    except Exception:
        if new_key:
            uploads.discard(new_key)
        raise
    if old_key and old_key != new_key:
        uploads.discard(old_key)


def _set_logo(org: SponsorOrganisation, checked: uploads.CheckedFile | None) -> str | None:
    if checked is None:
        return None
    org.logo_key, org.logo_type = uploads.store(checked), checked.extension
    return org.logo_key


def register_organisation(actor, *, name: str, website: str | None, description: str,
                          contact_email: str, logo: FileStorage | None = None) -> SponsorOrganisation:
    """A member registers an organisation: pending until an admin approves it; the registrant is its admin."""
    require(actor, "sponsor.register")
    checked = checked_logo(logo)
    org = SponsorOrganisation(slug=unique_slug(SponsorOrganisation.slug, name, "organisation"), name=name,
                              website=website or None, description=description, contact_email=contact_email,
                              status="pending", created_by_id=actor.id)
    new_key = _set_logo(org, checked)
    db.session.add(org)
    db.session.flush()
    db.session.add(SponsorMember(organisation_id=org.id, user_id=actor.id, role="admin"))
    audit.record(actor, "organisation", org.id, "register", None, "pending")
    try:
        _commit_with_logo(new_key, None)
    except IntegrityError:  # another registration took the same slug at the same moment
        db.session.rollback()
        raise DomainError(_("Another organisation with this name was just registered. Please try again."))
    return org


def update_organisation(org: SponsorOrganisation, actor, *, name: str, website: str | None, description: str,
                        contact_email: str, logo: FileStorage | None = None, remove_logo: bool = False) -> None:
    """An organisation admin edits its details and logo (the address, its slug, stays)."""
    require(actor, "sponsor.edit", org)
    checked = checked_logo(logo)
    old_key = org.logo_key
    org.name, org.website, org.description, org.contact_email = name, website or None, description, contact_email
    if remove_logo and checked is None:
        org.logo_key = org.logo_type = None
    new_key = _set_logo(org, checked)
    audit.record(actor, "organisation", org.id, "edit")
    _commit_with_logo(new_key, old_key if org.logo_key != old_key else None)


def transition_organisation(org: SponsorOrganisation, actor, name: str, reason: str | None = None) -> None:
    ORGANISATION.apply(org, name, actor, reason)
    db.session.commit()


def admins_of(org: SponsorOrganisation) -> list[User]:
    return list(db.session.scalars(select(User).join(SponsorMember, SponsorMember.user_id == User.id).where(
        SponsorMember.organisation_id == org.id, SponsorMember.role == "admin")))


def invite_member(org: SponsorOrganisation, actor, email: str, role: str) -> SponsorInvitation:
    """An organisation admin invites an email address as admin or reviewer. The answer is the same whether
    or not the address has an account (and whether or not it belongs to a member already): an email goes
    to the address, and the person joins only by accepting. Inviting the same address again replaces the
    pending invitation."""
    require(actor, "sponsor.manage_members", org)
    if role not in MEMBER_ROLES:
        raise FieldError.on("role", _("Choose admin or reviewer."))
    email = email.strip().lower()
    pending = list(db.session.scalars(select(SponsorInvitation).where(
        SponsorInvitation.organisation_id == org.id, SponsorInvitation.status == "pending")))
    earlier = [i for i in pending if i.email == email]
    if len(pending) - len(earlier) >= MAX_PENDING_INVITATIONS:
        raise FieldError.on("email", _("%(num)d invitations are waiting for an answer: withdraw some first.",
                                       num=MAX_PENDING_INVITATIONS))
    for invitation in earlier:
        INVITATION.apply(invitation, "revoke", actor, reason="invited again")
    invitation = SponsorInvitation(organisation_id=org.id, email=email, role=role, invited_by_id=actor.id,
                                   locale=str(get_locale()), expires_at=utcnow() + INVITATION_VALIDITY)
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "organisation", org.id, "invite", None, role, reason=f"invitation {invitation.id}")
    jobs.enqueue("sponsors.tasks.email_invitation", invitation.id)
    db.session.commit()
    return invitation


def answer_invitation(invitation: SponsorInvitation, actor, name: str) -> None:
    """The invited member accepts (and joins with the invitation's role) or declines; an admin withdraws it."""
    INVITATION.apply(invitation, name, actor)
    invitation.answered_at = utcnow()
    org = invitation.organisation
    if name == "accept" and org.role_of(actor) is None:
        db.session.add(SponsorMember(organisation_id=org.id, user_id=actor.id, role=invitation.role))
        audit.record(actor, "organisation", org.id, "join", None, invitation.role,
                     reason=f"invitation {invitation.id}")
    try:
        db.session.commit()
    except IntegrityError:  # another invitation to the same organisation was accepted at the same moment
        db.session.rollback()
        raise DomainError(_("You are already a member of %(name)s.", name=org.name)) from None
    org.forget_roles()


def remove_member(org: SponsorOrganisation, actor, user_id: int) -> None:
    """An organisation admin removes a member; the last admin cannot be removed."""
    require(actor, "sponsor.manage_members", org)
    member = db.session.scalar(select(SponsorMember).where(SponsorMember.organisation_id == org.id,
                                                           SponsorMember.user_id == user_id))
    if member is None:
        raise DomainError(_("This person is not a member of the organisation."))
    if member.role == "admin" and db.session.scalar(select(func.count()).select_from(SponsorMember).where(
            SponsorMember.organisation_id == org.id, SponsorMember.role == "admin")) <= 1:
        raise DomainError(_("An organisation needs an admin: add another admin first."))
    db.session.delete(member)
    audit.record(actor, "organisation", org.id, "remove_member", member.role, None, reason=f"user {user_id}")
    db.session.commit()
    org.forget_roles()


def _terms(kind: str, amount: str | None, currency: str | None, in_kind_type: str | None,
           description: str | None) -> dict:
    """Check what is offered or requested; nothing is stored when a field is wrong."""
    description = (description or "").strip()
    if kind == "funding":
        currency = (currency or "").strip().upper()
        if not money.known_currency(currency):
            raise FieldError.on("currency", _("Choose a currency by its ISO 4217 code, such as EUR, USD or CAD."))
        try:
            minor = money.to_minor(amount or "", currency)
        except ValueError as error:
            raise FieldError.on("amount", str(error)) from None
        return {"kind": kind, "amount_minor": minor, "currency": currency, "in_kind_type": None,
                "description": description}
    if kind == "in_kind":
        if in_kind_type not in IN_KIND_TYPES:
            raise FieldError.on("in_kind_type", _("Choose what kind of help: compute, data, mentoring, venue or other."))
        if not description:
            raise FieldError.on("description", _("Describe the help."))
        return {"kind": kind, "amount_minor": None, "currency": None, "in_kind_type": in_kind_type,
                "description": description}
    raise FieldError.on("kind", _("Choose funding or in-kind help."))


def _check_open(sponsorship: Sponsorship, actor) -> None:
    """The sponsorship workflow's guards for an agreement (open project, active organisation), then no
    other sponsorship between the two waiting for an answer."""
    failed = [message for guard in (project_open, organisation_active) if (message := guard(sponsorship, actor))]
    if failed:
        raise DomainError(" ".join(failed))
    project, org = sponsorship.project, sponsorship.organisation
    if db.session.scalar(select(Sponsorship.id).where(Sponsorship.project_id == project.id,
                                                      Sponsorship.organisation_id == org.id,
                                                      Sponsorship.status.in_(OPEN_STATES))):
        raise DomainError(_("%(organisation)s and this project already have a sponsorship waiting for an answer.",
                            organisation=org.name))


def sponsorship_url(sponsorship: Sponsorship) -> str:
    return path_for("projects.detail", project_id=sponsorship.project_id, _anchor="sponsors")


# Which state a sponsorship starts in, and the audit action, for the side that starts it.
STARTS = {"sponsor": ("offered", "offer"), "chapter": ("requested", "request")}


def _start(project, org: SponsorOrganisation, actor, side: str, terms: dict) -> Sponsorship:
    """Create an offer (side "sponsor") or a request (side "chapter") once the checks have passed."""
    status, action = STARTS[side]
    sponsorship = Sponsorship(project=project, organisation=org, status=status, initiated_by=side,
                              created_by_id=actor.id, **terms)
    try:
        with db.session.no_autoflush:
            _check_open(sponsorship, actor)
    except DomainError:
        if sponsorship in db.session:  # pulled in through the project's relationship
            db.session.expunge(sponsorship)
        raise
    db.session.add(sponsorship)
    db.session.flush()
    audit.record(actor, "sponsorship", sponsorship.id, action, None, status)
    return sponsorship


def offer(org: SponsorOrganisation, project, actor, *, kind: str, amount: str | None = None,
          currency: str | None = None, in_kind_type: str | None = None, description: str | None = None) -> Sponsorship:
    """An organisation admin offers funding or in-kind help to a recruiting or active project."""
    require(actor, "sponsorship.offer", org)
    sponsorship = _start(project, org, actor, "sponsor", _terms(kind, amount, currency, in_kind_type, description))
    notifications.notify(lead_users(project), "sponsorship.offered", url=sponsorship_url(sponsorship), actor=actor,
                         organisation=org.name, project=project.title)
    db.session.commit()
    return sponsorship


def request_sponsorship(project, org: SponsorOrganisation, actor, *, kind: str, amount: str | None = None,
                        currency: str | None = None, in_kind_type: str | None = None,
                        description: str | None = None) -> Sponsorship:
    """A chapter lead asks an active organisation for funding or in-kind help for a project."""
    require(actor, "sponsorship.request", project)
    sponsorship = _start(project, org, actor, "chapter", _terms(kind, amount, currency, in_kind_type, description))
    notifications.notify(admins_of(org), "sponsorship.requested",
                         url=path_for("sponsors.detail", slug=org.slug), actor=actor,
                         organisation=org.name, project=project.title)
    db.session.commit()
    return sponsorship


def answer(sponsorship: Sponsorship, actor, name: str) -> None:
    """Confirm, decline or withdraw a sponsorship through its workflow; the side that started it is told."""
    if name not in ("confirm", "decline", "withdraw"):
        raise DomainError(_("Choose confirm, decline or withdraw."))
    SPONSORSHIP.apply(sponsorship, name, actor)
    if name in ("confirm", "decline"):
        sponsorship.decided_by_id, sponsorship.decided_at = actor.id, utcnow()
        starters = (admins_of(sponsorship.organisation) if sponsorship.initiated_by == "sponsor"
                    else lead_users(sponsorship.project))
        notifications.notify(starters, f"sponsorship.{sponsorship.status}", url=sponsorship_url(sponsorship),
                             actor=actor, organisation=sponsorship.organisation.name,
                             project=sponsorship.project.title)
    db.session.commit()
