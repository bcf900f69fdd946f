"""The project, application and milestone lifecycles (SPEC §2), with their guards."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import func, select

from core.extensions import db
from core.workflow import T, Workflow
from projects import sponsor_links
from projects.models import (APPLICATION_STATES, MILESTONE_STATES, PROJECT_STATES, TEAM_MEMBER_STATES, Milestone,
                             Review, Submission)


def has_pitch(project, user):
    """Title, summary and problem statement are written."""
    missing = [name for name, value in ((_("a title"), project.title), (_("a summary"), project.summary),
                                        (_("a problem statement"), project.problem)) if not (value or "").strip()]
    if missing:
        return _("Add %(missing)s first.", missing=", ".join(missing))


def has_skill(project, user):
    if not project.skills:
        return _("List at least one required skill.")


def has_team_bounds(project, user):
    if not (project.team_min and project.team_max and 1 <= project.team_min <= project.team_max):
        return _("Set a team size where the minimum is at most the maximum.")


def milestone_count(project) -> int:
    known = project.known_milestones()
    if known is not None:
        return len(known)
    return db.session.scalar(select(func.count()).select_from(Milestone).where(Milestone.project_id == project.id))


def milestones_waiting(project) -> int:
    """Milestones not accepted yet."""
    known = project.known_milestones()
    if known is not None:
        return sum(1 for milestone in known if milestone.status != "accepted")
    return db.session.scalar(select(func.count()).select_from(Milestone).where(
        Milestone.project_id == project.id, Milestone.status != "accepted"))


def has_milestone(project, user):
    if milestone_count(project) == 0:
        return _("Plan at least one milestone.")


def team_min_reached(project, user):
    if project.team_size < project.team_min:
        return _("The team has %(size)d of the %(min)d members it needs to start.",
                 size=project.team_size, min=project.team_min)


def milestones_accepted(project, user):
    waiting = milestones_waiting(project)
    if waiting:
        return _("%(count)d milestone(s) are not accepted yet.", count=waiting)
    if milestone_count(project) == 0:
        return _("Plan at least one milestone.")


def final_milestone(project):
    """The id of the project's final milestone, the one with the highest position (a scalar subquery)."""
    return (select(Milestone.id).where(Milestone.project_id == project.id)
            .order_by(Milestone.position.desc(), Milestone.id.desc()).limit(1).scalar_subquery())


def known_final_milestone(project) -> Milestone | None:
    """The final milestone among those the page already loaded (None when it loaded none)."""
    known = project.known_milestones()
    return max(known, key=lambda m: (m.position, m.id)) if known else None


def final_milestone_id(project) -> int | None:
    known = known_final_milestone(project)
    return known.id if known else db.session.scalar(select(final_milestone(project)))


def sponsor_accepted_final(project, user):
    """Where the project has a confirmed sponsor, a reviewer of a confirming sponsor accepted its final milestone."""
    if not project.has_confirmed_sponsor:
        return None
    known = known_final_milestone(project)
    if known is not None and known.status != "accepted":
        # Not accepted yet, and only a confirming sponsor's reviewer may accept it: no need to ask who did.
        return _final_needs_sponsor()
    accepted = db.session.scalar(select(Review.id).where(
        Review.milestone_id == final_milestone(project), Review.decision == "accepted",
        Review.sponsor_organisation_id.in_(sponsor_links.confirming_organisations(project.id))).limit(1))
    if not accepted:
        return _final_needs_sponsor()


def _final_needs_sponsor() -> str:
    return _("The project is sponsored: a reviewer of a confirming sponsor must accept its final milestone.")


# Labels are written per entity, so that French agrees: "le projet est livré", "la candidature est acceptée".
PROJECT_LABELS = {
    "draft": lazy_pgettext("project", "draft"),
    "recruiting": lazy_pgettext("project", "recruiting"),
    "active": lazy_pgettext("project", "active"),
    "delivered": lazy_pgettext("project", "delivered"),
    "cancelled": lazy_pgettext("project", "cancelled"),
}
APPLICATION_LABELS = {
    "pending": lazy_pgettext("application", "pending"),
    "accepted": lazy_pgettext("application", "accepted"),
    "declined": lazy_pgettext("application", "declined"),
    "withdrawn": lazy_pgettext("application", "withdrawn"),
}
MILESTONE_LABELS = {
    "planned": lazy_pgettext("milestone", "planned"),
    "submitted": lazy_pgettext("milestone", "submitted"),
    "accepted": lazy_pgettext("milestone", "accepted"),
    "changes_requested": lazy_pgettext("milestone", "changes requested"),
}

PROJECT = Workflow("project", field="status", states=PROJECT_STATES, labels=PROJECT_LABELS,
                   wrong_state=_l("This cannot be done while the project is %(state)s."), transitions=[
    T("open", "draft", "recruiting", perm="project.transition", label=_l("Open recruiting"),
      guards=[has_pitch, has_skill, has_team_bounds, has_milestone]),
    T("start", "recruiting", "active", perm="project.transition", label=_l("Start the project"),
      guards=[team_min_reached]),
    T("deliver", "active", "delivered", perm="project.transition", label=_l("Mark as delivered"),
      guards=[milestones_accepted, sponsor_accepted_final], after_commit=["credentials.tasks.issue_for_project"]),
    T("cancel", ("draft", "recruiting", "active"), "cancelled", perm="project.transition",
      label=_l("Cancel the project"), reason_required=True),
])


def project_recruiting(application, user):
    if application.project.status != "recruiting":
        return _("The project is not recruiting any more.")


APPLICATION = Workflow("application", field="status", states=APPLICATION_STATES, labels=APPLICATION_LABELS,
                       wrong_state=_l("This cannot be done while the application is %(state)s."), transitions=[
    T("accept", "pending", "accepted", perm="application.decide", label=_l("Accept"), guards=[project_recruiting]),
    T("decline", "pending", "declined", perm="application.decide", label=_l("Decline")),
    T("withdraw", "pending", "withdrawn", perm="application.withdraw", label=_l("Withdraw")),
])


# A place on a team: the member leaves it, or a lead removes them with a reason. The permissions hold the
# project's state (nothing about a team changes once the project is delivered or cancelled), like role changes
# (rule team.manage).
TEAM_MEMBER_LABELS = {
    "active": lazy_pgettext("team_member", "active"),
    "left": lazy_pgettext("team_member", "left"),
    "removed": lazy_pgettext("team_member", "removed"),
}

TEAM_MEMBER = Workflow("team_member", field="status", states=TEAM_MEMBER_STATES, labels=TEAM_MEMBER_LABELS,
                       wrong_state=_l("This cannot be done while the team member is %(state)s."), transitions=[
    T("leave", "active", "left", perm="team_member.leave", label=_l("Leave the team")),
    T("remove", "active", "removed", perm="team_member.remove", label=_l("Remove from the team"),
      reason_required=True),
])


def project_active(milestone, user):
    if milestone.project.status != "active":
        return _("Deliverables can be submitted only while the project is active.")


# Set by the review service on the milestone being reviewed: the organisation the reviewer reviews for
# (None: as the chapter's lead). Absent when a page only asks what the user could do.
REVIEWING_FOR = "reviewing_for"


def reviews_for_a_sponsor(milestone, user) -> bool:
    """Whether this review counts as a confirming sponsor's: the organisation chosen for it, or, when a page
    only asks what the user could do, any confirming organisation the user belongs to."""
    chosen = getattr(milestone, REVIEWING_FOR, False)
    if chosen is False:
        return bool(milestone.project.sponsor_organisations_of(user))
    return chosen is not None and chosen in milestone.project.sponsor_organisations_of(user)


def sponsor_accepts_final(milestone, user):
    """Where the project has a confirmed sponsor, only a reviewer of a confirming sponsor, reviewing for it,
    accepts its final milestone (SPEC §2); leads still accept the others, and may request changes on the final one."""
    project = milestone.project
    if (project.has_confirmed_sponsor and final_milestone_id(project) == milestone.id
            and not reviews_for_a_sponsor(milestone, user)):
        return _("The project is sponsored: its final milestone is accepted by a reviewer of a confirming sponsor. "
                 "You can still request changes.")


def latest_submission_author(milestone) -> int | None:
    return db.session.scalar(select(Submission.author_id).where(Submission.milestone_id == milestone.id,
                                                                Submission.withdrawn_at.is_(None))
                             .order_by(Submission.created_at.desc(), Submission.id.desc()).limit(1))


def not_the_author(milestone, user):
    """A submission's author never reviews it, whatever other role they hold (lead, sponsor reviewer, admin)."""
    if user.is_authenticated and latest_submission_author(milestone) == user.id:
        return _("You submitted this deliverable: someone else reviews it.")


def never_reviewed(milestone, user):
    """A first submission withdrawn takes the milestone back to planned."""
    if milestone_reviewed(milestone):
        return _("This milestone was reviewed before: withdrawing takes it back to “changes requested”.")


def reviewed_before(milestone, user):
    """A submission made after a request for changes, withdrawn, leaves that request standing."""
    if not milestone_reviewed(milestone):
        return _("This milestone was never reviewed: withdrawing takes it back to “planned”.")


def milestone_reviewed(milestone) -> bool:
    return milestone.was_reviewed()


def withdrawal_of(milestone) -> str:
    """The transition that withdraws the milestone's waiting submission: back to where it was before."""
    return "withdraw_resubmission" if milestone_reviewed(milestone) else "withdraw"


MILESTONE = Workflow("milestone", field="status", states=MILESTONE_STATES, labels=MILESTONE_LABELS,
                     wrong_state=_l("This cannot be done while the milestone is “%(state)s”."), transitions=[
    T("submit", ("planned", "changes_requested"), "submitted", perm="milestone.submit",
      label=_l("Submit deliverable"), guards=[project_active],
      after_commit=["sponsors.tasks.tell_sponsor_reviewers"]),
    # Before anyone reviews it, the author takes their submission back (rule milestone.withdraw).
    T("withdraw", "submitted", "planned", perm="milestone.withdraw", label=_l("Withdraw my submission"),
      guards=[project_active, never_reviewed]),
    T("withdraw_resubmission", "submitted", "changes_requested", perm="milestone.withdraw",
      label=_l("Withdraw my submission"), guards=[project_active, reviewed_before]),
    T("accept", "submitted", "accepted", perm="milestone.review", label=_l("Accept"),
      guards=[project_active, not_the_author, sponsor_accepts_final]),
    T("request_changes", "submitted", "changes_requested", perm="milestone.review",
      label=_l("Request changes"), reason_required=True, guards=[project_active, not_the_author]),
])

