"""Sponsor jobs: tell the confirming sponsors' reviewers that a milestone waits for their review;
send organisations' invitations.

Like every job they take ids, must not commit (the outbox commits their writes with the job) and
are idempotent.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import mail
from accounts.models import Notification, User
from accounts.notifications import notify, register_kind
from core import mail as transport
from core.extensions import db
from core.urls import path_for
from projects.models import Milestone, Project, Submission
from sponsors.models import SponsorInvitation, SponsorMember, SponsorOrganisation, Sponsorship

REVIEW_WAITING = "sponsor.review_waiting"

register_kind(REVIEW_WAITING, _l("A milestone of a project your organisation sponsors waits for review"),
              _l("“%(milestone)s” of “%(project)s” is submitted and waits for your review "
                 "for %(organisation)s."))


def sponsor_reviewers(project_id: int) -> list[tuple[User, str]]:
    """Members (admins and reviewers) of the project's confirming, active sponsors, with the organisation's name."""
    return list(db.session.execute(
        select(User, SponsorOrganisation.name).join(SponsorMember, SponsorMember.user_id == User.id)
        .join(SponsorOrganisation, SponsorOrganisation.id == SponsorMember.organisation_id)
        .join(Sponsorship, Sponsorship.organisation_id == SponsorOrganisation.id)
        .where(Sponsorship.project_id == project_id, Sponsorship.status == "confirmed",
               SponsorOrganisation.status == "active", User.suspended_at.is_(None))
        .order_by(SponsorOrganisation.id, User.id)).all())


def tell_sponsor_reviewers(milestone_id: int) -> None:
    """A milestone of a sponsored project is submitted: each sponsor reviewer hears of it once per submission."""
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.status != "submitted":
        return
    project = db.session.get(Project, milestone.project_id)
    url = path_for("projects.milestone", project_id=project.id, milestone_id=milestone.id)
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == REVIEW_WAITING, Notification.url == url,
        Notification.created_at >= milestone.submitted_at)))
    author = db.session.scalar(select(User).join(Submission, Submission.author_id == User.id)
                               .where(Submission.milestone_id == milestone.id)
                               .order_by(Submission.created_at.desc(), Submission.id.desc()).limit(1))
    by_organisation: dict[str, list[User]] = {}
    for user, organisation in sponsor_reviewers(project.id):
        if user.id not in told:
            told.add(user.id)  # a member of two sponsors hears of it once
            by_organisation.setdefault(organisation, []).append(user)
    for organisation, users in by_organisation.items():
        notify(users, REVIEW_WAITING, url=url, actor=author, milestone=milestone.title, project=project.title,
               organisation=organisation)


def email_invitation(invitation_id: int) -> None:
    """Send an organisation's invitation to its address, in its owner's language when the address has an
    account (else the inviter's); once, even if the job runs twice."""
    invitation = db.session.get(SponsorInvitation, invitation_id)
    if invitation is None or invitation.status != "pending" or invitation.is_expired:
        return
    owner = db.session.scalar(select(User).where(User.email == invitation.email))
    if owner is not None and owner.is_suspended:
        return
    org, inviter = invitation.organisation, db.session.get(User, invitation.invited_by_id or 0)

    def context():
        return {"subject": _("%(organisation)s invites you to join it on Chapterhouse", organisation=org.name),
                "organisation": org.name, "inviter": inviter.name if inviter else None,
                "role": _("admin") if invitation.role == "admin" else _("reviewer"),
                "has_account": owner is not None, "expires_at": invitation.expires_at,
                "url": mail.external_url("sponsors.invitation", invitation_id=invitation.id)}

    transport.send_once(mail.address_email(invitation.email, owner.locale if owner else invitation.locale,
                                           "sponsor_invitation", f"sponsor-invitation-{invitation.id}", context))
