"""THE permission table: every action a user may attempt, and the rule that decides it."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from werkzeug.exceptions import Forbidden

from core.audit import as_utc, utcnow

Rule = Callable[[Any, Any], bool]


def is_member(user, obj=None) -> bool:
    """A signed-in account that is not suspended."""
    return bool(user.is_authenticated and not user.is_suspended)


class EmailNotVerified(Forbidden):
    """Refused only because the member has not verified their email address yet: the answer says so and
    offers to send the link again (accounts registers the page for it)."""


def is_verified_member(user, obj=None) -> bool:
    """A member who opened the link sent to their email address."""
    return is_member(user) and user.is_verified


def needs_verified_email(rule: Rule) -> Rule:
    """`rule`, for verified members only. `require` tells an unverified member whom `rule` alone would allow
    to verify their address first (EmailNotVerified), instead of a bare "not allowed"."""
    def verified(user, obj=None) -> bool:
        return is_verified_member(user) and rule(user, obj)

    verified.without_verification = rule
    verified.__doc__ = f"{rule.__doc__ or ''} With a verified email address.".strip()
    return verified


def awaits_verification(user, obj=None) -> bool:
    """A member whose email address is not verified yet (asks for the link again)."""
    return is_member(user) and not user.is_verified


def is_admin(user, obj=None) -> bool:
    """A platform administrator."""
    return is_member(user) and user.is_admin


def can_view_chapter(user, chapter) -> bool:
    """Pending chapters are seen only by their proposer and admins; the others by everyone."""
    if chapter.status != "pending":
        return True
    return is_admin(user) or (is_member(user) and chapter.proposed_by_id == user.id)


def leads_chapter(user, chapter) -> bool:
    """A lead or co-lead of this chapter."""
    return is_member(user) and chapter.is_led_by(user)


def belongs_to_chapter(user, chapter) -> bool:
    return is_member(user) and chapter.has_member(user)


def can_view_profile(user, target) -> bool:
    """Hidden and suspended profiles are seen only by their owner and admins."""
    if is_admin(user) or (is_member(user) and user.id == target.id):
        return True
    return not target.profile_hidden and not target.is_suspended


def leads_project(user, project) -> bool:
    """A lead or co-lead of the project's chapter."""
    return is_member(user) and project.is_led_by(user)


def can_view_project(user, project) -> bool:
    """Drafts are seen by the chapter's leads and admins; published projects by everyone."""
    return project.status != "draft" or is_admin(user) or leads_project(user, project)


def on_team(user, project) -> bool:
    return is_member(user) and project.has_member(user)


# A team changes (roles, leaving, removal) only before the project is delivered or cancelled.
TEAM_OPEN_STATES = ("draft", "recruiting", "active")


def manages_team(user, project) -> bool:
    """The chapter's leads change roles and remove members while the project's team is open."""
    return leads_project(user, project) and project.status in TEAM_OPEN_STATES


def may_leave_team(user, project) -> bool:
    """A member of the team leaves it while the team is open."""
    return on_team(user, project) and project.status in TEAM_OPEN_STATES


def leaves_own_place(user, member) -> bool:
    """A member leaves their own current place on a team that is still open."""
    return member.user_id == getattr(user, "id", None) and may_leave_team(user, member.project)


def removes_from_team(user, member) -> bool:
    """The chapter's leads remove someone from a team that is still open."""
    return manages_team(user, member.project)


def may_apply(user, project) -> bool:
    """Any member applies to a recruiting project: once, and not when already on its team. The chapter's
    leads never apply to their own projects: they join the team directly (project.join)."""
    return (is_member(user) and project.status == "recruiting" and not project.has_member(user)
            and not leads_project(user, project) and not project.has_applied(user))


# A lead joins the team of a project of their chapter while people join it (recruiting) or work (active).
JOINABLE_STATES = ("recruiting", "active")


def joins_directly(user, project) -> bool:
    """A lead of the project's chapter joins its team directly, without applying, while the project recruits
    or is active and they are not on its team already. The team's cap is the service's (and the database's)
    answer, not this rule's."""
    return (leads_project(user, project) and project.status in JOINABLE_STATES
            and not project.has_member(user))


# Sponsorships are offered, requested and agreed only while the project is recruiting or active.
SPONSORABLE_STATES = ("recruiting", "active")


def reviews_for_sponsor(user, project) -> bool:
    """A member (admin or reviewer) of an active organisation with a confirmed sponsorship of the project."""
    return is_member(user) and bool(project.sponsor_organisations_of(user))


def can_review_milestone(user, milestone) -> bool:
    """The chapter's leads and the reviewers of the project's confirmed sponsors; the milestone workflow
    keeps the acceptance of a sponsored project's final milestone for its sponsors."""
    return leads_project(user, milestone.project) or reviews_for_sponsor(user, milestone.project)


def reviews_in_capacity(user, capacity) -> bool:
    """Reviewing a milestone for someone: as the chapter's lead (no organisation), or for one confirming
    sponsor of the project that the user belongs to. `capacity` has `milestone` and `organisation_id`."""
    project = capacity.milestone.project
    if capacity.organisation_id is None:
        return leads_project(user, project)
    return is_member(user) and capacity.organisation_id in project.sponsor_organisations_of(user)


def withdraws_submission(user, milestone) -> bool:
    """The author of the submission waiting for review takes it back while they are on the team; once it is
    reviewed (the milestone accepted or changes requested) it stays. The milestone workflow adds that the
    project must be active."""
    if not on_team(user, milestone.project) or milestone.status != "submitted":
        return False
    waiting = milestone.waiting_submission()
    return waiting is not None and waiting.author_id == user.id


def can_see_deliverables(user, project) -> bool:
    """Deliverables are private to the team, the chapter's leads, the confirmed sponsors' reviewers and admins."""
    return (is_admin(user) or leads_project(user, project) or on_team(user, project)
            or reviews_for_sponsor(user, project))


def can_view_organisation(user, org) -> bool:
    """Pending and archived organisations are seen only by their members, their registrant and admins."""
    if org.status == "active":
        return True
    return is_admin(user) or (is_member(user) and (org.created_by_id == user.id or org.has_member(user)))


def admins_organisation(user, org) -> bool:
    """An admin of this sponsor organisation (which must not be archived)."""
    return org is not None and is_member(user) and org.status != "archived" and org.is_admin(user)


def is_invited(user, invitation) -> bool:
    """The member whose email address an organisation invitation was sent to."""
    return is_member(user) and user.email == invitation.email


def belongs_to_organisation(user, org) -> bool:
    """A member (admin or reviewer) of this sponsor organisation."""
    return org is not None and is_member(user) and org.has_member(user)


def can_see_organisation_report(user, org) -> bool:
    """The outcomes of all an organisation's sponsored projects: its members and platform admins."""
    return is_admin(user) or belongs_to_organisation(user, org)


def can_see_outcome_report(user, sponsorship) -> bool:
    """One sponsored project's outcome report: the sponsor's members, platform admins and the chapter's leads."""
    return can_see_organisation_report(user, sponsorship.organisation) or leads_project(user, sponsorship.project)


def offers_for(user, org) -> bool:
    """An admin of an active organisation may offer sponsorships in its name."""
    return admins_organisation(user, org) and org.status == "active"


def involved_in_sponsorship(user, sponsorship) -> bool:
    """Either side of a sponsorship: the project's chapter leads or the organisation's admins.
    Which side may answer is a guard of the sponsorship workflow (the side that did not start it)."""
    return leads_project(user, sponsorship.project) or admins_organisation(user, sponsorship.organisation)


def started_sponsorship(user, sponsorship) -> bool:
    """The side that started a sponsorship: the organisation's admins for an offer, the leads for a request."""
    if sponsorship.initiated_by == "sponsor":
        return admins_organisation(user, sponsorship.organisation)
    return leads_project(user, sponsorship.project)


def can_revoke_credential(user, credential) -> bool:
    """A platform admin or a lead of the chapter that ran the credential's project."""
    return is_admin(user) or leads_project(user, credential.project)


def sets_competencies(user, project) -> bool:
    """The chapter's leads choose the business competencies a project practises until it is delivered or cancelled."""
    return leads_project(user, project) and project.status in ("draft", "recruiting", "active")


def manages_business_roles(user, project) -> bool:
    """The chapter's leads name a project's business roles while its team is open."""
    return leads_project(user, project) and project.status in TEAM_OPEN_STATES



# ---- Learning evidence: hours on milestones and reflections on submitted deliverables ----

def logs_time(user, project) -> bool:
    """A current member of the team logs time on its milestones while the team is open (not once delivered)."""
    return on_team(user, project) and project.status in TEAM_OPEN_STATES


def edits_own_time(user, entry) -> bool:
    """A member changes or deletes their own time entries while they may still log time on the project."""
    return is_member(user) and entry.user_id == user.id and logs_time(user, entry.project)


def mentors_project(user, project) -> bool:
    """A mentor on the project's current team."""
    return is_member(user) and project.team_role_of(user) == "mentor"


def sees_time(user, time_of) -> bool:
    """Someone's hours on a project (`time_of` has `project` and `user_id`; user_id None: the whole team's):
    the member themself, the chapter's leads and the team's mentors."""
    if not is_member(user):
        return False
    return ((time_of.user_id is not None and time_of.user_id == user.id)
            or leads_project(user, time_of.project) or mentors_project(user, time_of.project))


def reflects_on(user, submission) -> bool:
    """The author of a submission writes (and edits) their reflection on it while they may log time on the
    project: until it is delivered. `submission.milestone.project` is loaded by the caller."""
    return (is_member(user) and submission.author_id == user.id
            and logs_time(user, submission.milestone.project))


def sees_reflection(user, reflection) -> bool:
    """A public reflection is seen by everyone; a private one by its author, the current team (its mentors
    included) and the chapter's leads."""
    if reflection.public:
        return True
    return is_member(user) and (reflection.author_id == user.id or on_team(user, reflection.project)
                                or leads_project(user, reflection.project))


def publishes_reflection(user, reflection) -> bool:
    """The author makes any of their reflections public (or private again), whatever the project's state."""
    return is_member(user) and reflection.author_id == user.id
def sets_learning_goals(user, project) -> bool:
    """A member of the team picks their learning goals (and may take a business role) until the project is
    delivered or cancelled."""
    return may_leave_team(user, project)


def sees_attestations(user, project) -> bool:
    """The attestation page of a project: the chapter's leads and the mentors on its team."""
    return leads_project(user, project) or mentors_project(user, project)


def attests_goal(user, goal) -> bool:
    """While the project is active, a mentor on the team attests a current member's goal, or a chapter lead
    does when the team has no other mentor; nobody attests their own goal. One attestation per goal is the
    service's (and the database's) answer, not this rule's."""
    project = goal.project
    if not is_member(user) or project.status != "active" or goal.owner_id == user.id or not goal.member.is_current:
        return False
    mentors = set(goal.mentor_ids()) - {goal.owner_id}
    if user.id in mentors:
        return True
    return not mentors and leads_project(user, project)


def endorses_project(user, subject) -> bool:
    """The sponsor's reviewer who accepted the project's final milestone, for a confirming sponsor, endorses the
    team's work while the project is active or delivered. `subject` is a learning.models.EndorsementSubject;
    one endorsement per project is the service's (and the database's) answer."""
    review = subject.review
    return (is_member(user) and review is not None and review.reviewer_id == user.id
            and review.decision == "accepted" and review.sponsor_organisation_id is not None
            and subject.project.status in ("active", "delivered"))


# ---- The learner's view: the competency profile on portfolios and chapter health (issue 21 item 7) ----

def sees_learning_record(user, record) -> bool:
    """A goal on a portfolio's competency profile, with its level, the hours on its project and the evidence
    (`record` is a learning.profile.GoalRecord): the member themself and admins see all their goals; everyone
    else sees those the member's credential made public: on a delivered project, where the member stayed on
    the team to the end and their credential for it was not revoked."""
    if is_admin(user) or (is_member(user) and user.id == record.user_id):
        return True
    return record.project_status == "delivered" and record.current and not record.revoked


def sees_next_step(user, target) -> bool:
    """"Your next step" on a portfolio: only for the member who owns it."""
    return is_member(user) and user.id == target.id


def sees_chapter_health(user, chapter) -> bool:
    """A chapter's health (what its members practised and showed, reply time, review turnaround, delivery
    rate): its leads and the platform's admins."""
    return is_admin(user) or leads_chapter(user, chapter)


def owns_notification(user, notification) -> bool:
    """A member opens (and so reads) only their own notifications."""
    return is_member(user) and notification.user_id == user.id


# ---- Conversations: an application's thread, a milestone's thread and the team's discussion of a project ----
# `thread` has kind, project, and application or milestone (conversations.models.Thread, saved or not yet).

MESSAGE_EDIT_WINDOW = timedelta(minutes=15)


def reads_application_thread(user, thread) -> bool:
    """The applicant and the chapter's leads."""
    return is_member(user) and (thread.application.user_id == user.id or leads_project(user, thread.project))


def reads_milestone_thread(user, thread) -> bool:
    """The team, the chapter's leads and the members of the project's confirmed sponsors (their reviewers)."""
    project = thread.project
    return on_team(user, project) or leads_project(user, project) or reviews_for_sponsor(user, project)


def reads_team_thread(user, thread) -> bool:
    """The team's discussion of its project: the team and the chapter's leads."""
    return on_team(user, thread.project) or leads_project(user, thread.project)


def thread_is_open(thread) -> bool:
    """Threads take messages while the project is open (draft, recruiting, active); an application's thread
    also closes when the applicant withdraws it."""
    if thread.project.status not in TEAM_OPEN_STATES:
        return False
    return thread.kind != "application" or thread.application.status != "withdrawn"


def posts_in(reads: Rule) -> Rule:
    """Whoever reads a thread writes in it while it is open, with a verified email address."""
    return needs_verified_email(lambda user, thread: thread_is_open(thread) and reads(user, thread))


def reads_thread(user, thread) -> bool:
    """The reading rule of the thread's kind."""
    return RULES[f"thread.{thread.kind}.view"](user, thread)


def posts_in_thread(user, thread) -> bool:
    """The writing rule of the thread's kind."""
    return RULES[f"thread.{thread.kind}.post"](user, thread)


def edits_message(user, message) -> bool:
    """The author changes their message within 15 minutes of posting it, while they may still post in the
    thread; a removed message stays removed."""
    return (is_member(user) and message.author_id == user.id and message.deleted_at is None
            and utcnow() - as_utc(message.created_at) <= MESSAGE_EDIT_WINDOW and posts_in_thread(user, message.thread))


def removes_message(user, message) -> bool:
    """The author (while they still read the thread) or a lead of the project's chapter removes a message;
    "message removed" stays in its place."""
    if message.deleted_at is not None:
        return False
    return ((is_member(user) and message.author_id == user.id and reads_thread(user, message.thread))
            or leads_project(user, message.thread.project))


# ---- Chapter events (issue 14): an event's page follows its chapter's visibility ----

def can_view_event(user, event) -> bool:
    """An event is seen by whoever may see its chapter."""
    return can_view_chapter(user, event.chapter)


def creates_events(user, chapter) -> bool:
    """The chapter's leads schedule events while the chapter is active."""
    return leads_chapter(user, chapter) and chapter.status == "active"


def edits_event(user, event) -> bool:
    """The chapter's leads change a scheduled event until it ends."""
    return leads_chapter(user, event.chapter) and event.status == "scheduled" and not event.has_ended


def answers_event(user, event) -> bool:
    """A member answers (going, not going, waiting list) a scheduled event of an active chapter until it starts."""
    return (is_member(user) and event.status == "scheduled" and not event.has_started
            and event.chapter.status == "active")


def sees_event_link(user, event) -> bool:
    """The online link of a scheduled event: the members going and the chapter's leads. `event.viewer_going`
    is set by the page's query (events.queries.viewer_rsvp)."""
    return (event.status == "scheduled" and is_member(user)
            and (leads_chapter(user, event.chapter) or getattr(event, "viewer_going", False)))


def marks_attendance(user, event) -> bool:
    """Once a scheduled event has started, the chapter's leads mark who attended."""
    return leads_chapter(user, event.chapter) and event.status == "scheduled" and event.has_started


def invites_to_demo_day(user, event) -> bool:
    """Publishing a demo day (or adding a project to it) invites the presenting teams and their sponsors'
    reviewers: the chapter's leads do it, while the demo day is scheduled and has not ended."""
    return leads_chapter(user, event.chapter) and event.is_open_demo_day


def sees_attendees(user, event) -> bool:
    """Who is going and who waits: the chapter's leads and platform admins."""
    return is_admin(user) or leads_chapter(user, event.chapter)


# ---- The open API (issue 13): personal access tokens ----

def owns_live_token(user, token) -> bool:
    """A member revokes their own tokens that are not revoked yet."""
    return is_member(user) and token.user_id == user.id and token.revoked_at is None


# ---- OAuth 2.0 for partner platforms (issue 13) ----

def grants_partner_access(user, access) -> bool:
    """A member takes back the access they granted a partner app (their own, never another's)."""
    return is_member(user) and access.user_id == user.id


# ---- Webhooks (issue 13): a member's subscriptions to events, with their delivery log ----

def owns_subscription(user, subscription) -> bool:
    """The member who made a webhook subscription (a partner's account) manages it."""
    return is_member(user) and subscription.user_id == user.id


def sees_subscription(user, subscription) -> bool:
    """A subscription and its delivery log: its owner, and platform admins (support). A subscription delivers
    only while its owner may see it (not suspended)."""
    return owns_subscription(user, subscription) or is_admin(user)


def reenables_subscription(user, subscription) -> bool:
    """Its owner turns a disabled subscription (after repeated failures) on again."""
    return owns_subscription(user, subscription) and subscription.status == "disabled"


# ---- Mentoring (issue 14): offers, mentorships between a mentor and a mentee, their sessions ----

def can_view_offer(user, offer) -> bool:
    """An offer is seen by everyone while it is not withdrawn and its mentor's profile is visible; a withdrawn
    one (or one of a hidden profile) by its mentor and admins."""
    if is_admin(user) or (is_member(user) and offer.user_id == user.id):
        return True
    return offer.status != "withdrawn" and can_view_profile(user, offer.user)


def owns_offer(user, offer) -> bool:
    """The mentor changes, pauses, resumes and withdraws their own offer (the workflow checks the state)."""
    return is_member(user) and offer.user_id == user.id


def in_mentorship(user, mentorship) -> bool:
    """The mentor or the mentee of this mentorship."""
    return is_member(user) and user.id in (mentorship.mentor_id, mentorship.mentee_id)


def sees_mentorship(user, mentorship) -> bool:
    """A mentorship's page (its goal, state and sessions' dates and lengths): the pair and platform admins."""
    return is_admin(user) or in_mentorship(user, mentorship)


def answers_mentorship(user, mentorship) -> bool:
    """The mentor accepts or declines a request (the workflow checks that it is still requested)."""
    return is_member(user) and mentorship.mentor_id == user.id


def withdraws_mentorship(user, mentorship) -> bool:
    """The mentee takes back their request (the workflow checks that it is still requested)."""
    return is_member(user) and mentorship.mentee_id == user.id


def logs_mentoring_session(user, mentorship) -> bool:
    """Either of the pair logs a session while the mentorship is active."""
    return in_mentorship(user, mentorship) and mentorship.status == "active"


RULES: dict[str, Rule] = {
    "admin.access": is_admin,
    "job.retry": is_admin,
    "user.view_profile": can_view_profile,
    "user.suspend": lambda user, target: is_admin(user) and target.id != user.id,
    "account.resend_verification": awaits_verification,
    "account.sign_out_everywhere": is_member,
    "notification.open": owns_notification,
    "chapter.propose": needs_verified_email(is_member),
    "chapter.view": can_view_chapter,
    "chapter.approve": is_admin,
    "chapter.archive": is_admin,
    "chapter.edit": leads_chapter,
    "chapter.appoint": leads_chapter,
    "chapter.join": lambda user, chapter: (is_member(user) and chapter.status == "active"
                                           and not chapter.has_member(user)),
    "chapter.leave": belongs_to_chapter,
    "chapter.view_health": sees_chapter_health,
    "project.create": needs_verified_email(lambda user, chapter: leads_chapter(user, chapter)
                                           and chapter.status == "active"),
    "project.view": can_view_project,
    "project.edit": lambda user, project: (leads_project(user, project)
                                           and project.status in ("draft", "recruiting", "active")),
    "project.transition": leads_project,
    "project.apply": needs_verified_email(may_apply),
    "project.join": joins_directly,
    "application.list": leads_project,
    "application.decide": lambda user, application: leads_project(user, application.project),
    "application.withdraw": lambda user, application: is_member(user) and application.user_id == user.id,
    "team.manage": manages_team,
    "team.leave": may_leave_team,
    "team_member.leave": leaves_own_place,
    "team_member.remove": removes_from_team,
    "milestone.manage": lambda user, project: (leads_project(user, project)
                                               and project.status in ("draft", "recruiting", "active")),
    # Leads change or delete a milestone until work on it is first submitted.
    "milestone.edit": lambda user, milestone: (RULES["milestone.manage"](user, milestone.project)
                                               and milestone.status == "planned"),
    "milestone.submit": needs_verified_email(lambda user, milestone: on_team(user, milestone.project)),
    "milestone.withdraw": withdraws_submission,
    "milestone.review": can_review_milestone,
    "milestone.review_for": reviews_in_capacity,
    "deliverable.view": can_see_deliverables,
    "sponsor.register": needs_verified_email(is_member),
    "sponsor.view": can_view_organisation,
    "sponsor.approve": is_admin,
    "sponsor.archive": is_admin,
    "sponsor.edit": admins_organisation,
    "sponsor.manage_members": admins_organisation,
    "sponsor.answer_invitation": needs_verified_email(is_invited),  # the address must really be theirs
    "sponsor.revoke_invitation": lambda user, invitation: admins_organisation(user, invitation.organisation),
    "sponsor.dashboard": belongs_to_organisation,
    "sponsor.report": can_see_organisation_report,
    "sponsorship.report": can_see_outcome_report,
    "sponsorship.offer": offers_for,
    "sponsorship.offer_to": lambda user, project: is_member(user) and project.status in SPONSORABLE_STATES,
    "sponsorship.request": lambda user, project: (leads_project(user, project)
                                                  and project.status in SPONSORABLE_STATES),
    "sponsorship.answer": involved_in_sponsorship,
    "sponsorship.withdraw": started_sponsorship,
    "credential.revoke": can_revoke_credential,
    "project.set_competencies": sets_competencies,
    "project.manage_roles": manages_business_roles,
    "learning.log_time": logs_time,
    "learning.edit_time": edits_own_time,
    "learning.view_time": sees_time,
    "learning.reflect": reflects_on,
    "learning.view_reflection": sees_reflection,
    "learning.publish_reflection": publishes_reflection,
    "learning.set_goals": sets_learning_goals,
    "learning.view_attestations": sees_attestations,
    "learning.attest": attests_goal,
    "learning.endorse": endorses_project,
    "learning.view_record": sees_learning_record,
    "learning.view_next_step": sees_next_step,
    "event.view": can_view_event,
    "event.create": needs_verified_email(creates_events),
    "event.edit": edits_event,
    "event.cancel": lambda user, event: leads_chapter(user, event.chapter),  # the workflow checks state and time
    "event.rsvp": needs_verified_email(answers_event),
    "event.see_link": sees_event_link,
    "event.view_attendees": sees_attendees,
    "event.mark_attendance": marks_attendance,
    "event.invite": invites_to_demo_day,
    "calendar.manage": is_member,
    "data.export": is_member,
    "api.create_token": is_member,
    "api.revoke_token": owns_live_token,
    "oauth.manage_clients": is_admin,
    "oauth.disable_client": lambda user, client: is_admin(user) and client.disabled_at is None,
    "oauth.authorize": is_member,
    "oauth.revoke_access": grants_partner_access,
    "account.two_factor": lambda user, target: is_member(user) and user.id == target.id,
    # A member deletes their own account; a platform admin deletes another's, at their request.
    "account.delete": lambda user, target: is_member(user) and (user.id == target.id or user.is_admin)
                                           and target.deleted_at is None,
    "thread.application.view": reads_application_thread,
    "thread.application.post": posts_in(reads_application_thread),
    "thread.milestone.view": reads_milestone_thread,
    "thread.milestone.post": posts_in(reads_milestone_thread),
    "thread.project.view": reads_team_thread,
    "thread.project.post": posts_in(reads_team_thread),
    "message.edit": edits_message,
    "message.delete": removes_message,
    "styleguide.view": is_admin,
    "data.download": lambda user, export: (is_member(user) and export.user_id == user.id
                                           and export.status == "ready" and not export.is_expired),
    "webhook.create": needs_verified_email(is_member),
    "webhook.view": sees_subscription,
    "webhook.delete": owns_subscription,
    "webhook.enable": reenables_subscription,
    "mentoring.offer": needs_verified_email(is_member),  # once per member: the service's answer
    "mentor_offer.view": can_view_offer,
    "mentor_offer.edit": owns_offer,
    "mentor_offer.manage": owns_offer,
    # Any member with a verified address asks; the guards of mentoring.lifecycle refuse, with a sentence,
    # their own offer, a paused one, a second open request and a full mentor.
    "mentorship.request": needs_verified_email(is_member),
    "mentorship.view": sees_mentorship,
    "mentorship.answer": answers_mentorship,
    "mentorship.withdraw": withdraws_mentorship,
    "mentorship.end": in_mentorship,  # either of the pair; the workflow checks that it is active
    "mentorship.log_session": logs_mentoring_session,
    "mentorship.view_notes": in_mentorship,  # private to the two of them: not even admins
}


def can(user, action: str, obj: Any = None) -> bool:
    """Whether `user` may perform `action` on `obj`; unknown actions are refused loudly."""
    try:
        rule = RULES[action]
    except KeyError:
        raise LookupError(f"No permission rule named {action!r}") from None
    return bool(rule(user, obj))


def require(user, action: str, obj: Any = None) -> None:
    """Raise 403 unless `user` may perform `action` (the error handler sends visitors to sign in);
    EmailNotVerified when verifying their email address is all the member lacks."""
    if not can(user, action, obj):
        unverified = getattr(RULES[action], "without_verification", None)
        if unverified and awaits_verification(user) and unverified(user, obj):
            raise EmailNotVerified()
        raise Forbidden()
