"""Every rule or guard with a state condition, tried in every state of its entity by the role it allows,
and every rule of the permission table refused to a suspended member who would otherwise hold it."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from conversations import queries as conversation_queries
from core.audit import utcnow
from core.authz import RULES, can
from core.extensions import db
from learning import evidence_queries
from learning.evidence import TimeOf
from learning import queries as learning_queries
from learning.profile import GoalRecord
from projects.lifecycle import APPLICATION
from projects.milestones import ReviewCapacity
from projects.models import MILESTONE_STATES, PROJECT_STATES, Milestone, Project
from sponsors.models import Sponsorship
from tests.conftest import fresh
from tests.factories import make_application, make_chapter, make_project, make_user
from tests.test_authz_matrix import CASES, within_project, world  # noqa: F401 - the matrix's world is reused as a fixture

def thread_of(kind, project, **subject):
    return conversation_queries.thread_for(kind, project, **subject)[0]


# rule → the project states in which its allowed role holds it
PROJECT_RULES = {
    "project.edit": ("lead", {"draft", "recruiting", "active"}),
    "milestone.manage": ("lead", {"draft", "recruiting", "active"}),
    "sponsorship.request": ("lead", {"recruiting", "active"}),
    "sponsorship.offer_to": ("member", {"recruiting", "active"}),
    "team.manage": ("lead", {"draft", "recruiting", "active"}),  # role changes and removals
    "team.leave": ("team_member", {"draft", "recruiting", "active"}),
    "project.apply": ("member", {"recruiting"}),
    "project.join": ("lead", {"recruiting", "active"}),
    "project.set_competencies": ("lead", {"draft", "recruiting", "active"}),
    "project.manage_roles": ("lead", {"draft", "recruiting", "active"}),
    "learning.log_time": ("team_member", {"draft", "recruiting", "active"}),
    "learning.set_goals": ("team_member", {"draft", "recruiting", "active"}),
}


@pytest.fixture
def people(app):
    lead, teammate = make_user("lead"), make_user("teammate")
    return {"lead": lead, "team_member": teammate, "member": make_user("member"), "chapter": make_chapter(lead)}


@pytest.mark.parametrize("status", PROJECT_STATES)
@pytest.mark.parametrize("action", sorted(PROJECT_RULES))
def test_project_rule_holds_exactly_in_its_states(people, action, status):
    role, allowed_states = PROJECT_RULES[action]
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    assert can(people[role], action, project) is (status in allowed_states)


@pytest.mark.parametrize("status", MILESTONE_STATES)
def test_a_lead_edits_a_milestone_only_until_work_on_it_is_submitted(client, auth, people, status):
    project = make_project(people["chapter"], status="active", milestones=1)
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    milestone.status = status
    db.session.commit()
    assert can(people["lead"], "milestone.edit", milestone) is (status == "planned")
    auth.login_as(people["lead"])
    response = client.post(f"/projects/{project.id}/milestones/{milestone.id}/edit",
                           data={"title": "Renamed", "due_date": within_project()})
    assert response.status_code == 302
    assert (fresh(milestone).title == "Renamed") is (status == "planned")


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_a_lead_accepts_an_application_only_while_the_project_recruits(people, status):
    project = make_project(people["chapter"], status=status)
    application = make_application(project)
    assert can(people["lead"], "application.decide", application)
    blockers = APPLICATION.blockers(application, people["lead"], "accept")
    assert (not blockers) is (status == "recruiting")
    assert not APPLICATION.blockers(application, people["lead"], "decline")


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_a_lead_changes_roles_only_while_the_team_is_open(client, auth, people, status):
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    from projects.models import TeamMember
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id))
    auth.login_as(people["lead"])
    response = client.post(f"/projects/{project.id}/team/{place.id}/role", data={"role": "mentor"})
    db.session.expire_all()
    changed = db.session.get(TeamMember, place.id).role == "mentor"
    assert changed is (status in ("draft", "recruiting", "active"))
    if not changed:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("status", PROJECT_STATES)
@pytest.mark.parametrize("transition, role", [("leave", "team_member"), ("remove", "lead")])
def test_a_place_on_the_team_ends_only_while_the_team_is_open(people, status, transition, role):
    from projects.lifecycle import TEAM_MEMBER
    from projects.models import TeamMember
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id))
    available = [t.name for t in TEAM_MEMBER.available(place, people[role])]
    assert (transition in available) is (status in ("draft", "recruiting", "active"))


@pytest.mark.parametrize("status", PROJECT_STATES)
@pytest.mark.parametrize("route, role", [("leave", "team_member"), ("remove", "lead")])
def test_leaving_or_removal_after_delivery_or_cancellation_is_refused(client, auth, people, status, route, role):
    from projects.models import TeamMember
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id))
    auth.login_as(people[role])
    url = (f"/projects/{project.id}/team/leave" if route == "leave"
           else f"/projects/{project.id}/team/{place.id}/remove")
    response = client.post(url, data={"reason": "Never came."})
    db.session.expire_all()
    place = db.session.get(TeamMember, place.id)
    # A draft is invisible to its team (404); the other open states let the team change.
    open_team = status in ("draft", "recruiting", "active") and not (status == "draft" and role != "lead")
    assert (place.left_at is not None) is open_team
    assert place.status == ("active" if not open_team else ("left" if route == "leave" else "removed"))
    assert db.session.get(Project, project.id).team_size == (0 if open_team else 1)
    if not open_team:
        assert response.status_code in (403, 404)


def goal_record(project, owner, **changes) -> GoalRecord:
    fields = dict(user_id=owner.id, code="delivery.time", project_id=project.id, project_title=project.title,
                  project_status=project.status, current=True, level="practised", minutes=60, revoked=False)
    return GoalRecord(**{**fields, **changes})


def subject_of(action: str, w: dict):
    """The object the matrix's allowed role acts on, for each rule."""
    subjects = {
        "user.view_profile": w["hidden"], "user.suspend": w["target"], "chapter.view": w["pending"],
        "chapter.approve": w["pending"], "project.view": w["draft"], "project.edit": w["recruiting"],
        "project.transition": w["recruiting"], "project.apply": w["recruiting"], "application.list": w["recruiting"],
        "project.join": w["recruiting"],
        "application.decide": w["application"], "application.withdraw": w["application"],
        "team.manage": w["recruiting"], "team.leave": w["recruiting"],
        "team_member.leave": w["place"], "team_member.remove": w["place"], "milestone.manage": w["recruiting"],
        "milestone.submit": w["planned"], "milestone.withdraw": w["submitted"], "milestone.edit": w["planned"], "milestone.review": w["submitted"],
        "milestone.review_for": ReviewCapacity(w["submitted"], w["other_org"].id),
        "deliverable.view": w["active"], "sponsor.view": w["pending_org"], "sponsor.approve": w["pending_org"],
        "sponsorship.report": db.session.scalar(select(Sponsorship).where(
            Sponsorship.organisation_id == w["other_org"].id, Sponsorship.status == "confirmed")),
        "sponsorship.offer_to": w["recruiting"], "sponsorship.request": w["recruiting"],
        "sponsorship.answer": w["offered"], "sponsorship.withdraw": w["offered"],
        "data.download": w["export"], "notification.open": w["notification"], "account.delete": w["target"],
        "account.two_factor": w["users"]["member"], "sponsor.answer_invitation": w["invitation"], "sponsor.revoke_invitation": w["invitation"],
        "credential.revoke": SimpleNamespace(project=db.session.get(Project, w["credential"].project_id)),
        "api.revoke_token": w["token"],
        "webhook.view": w["webhook"], "webhook.delete": w["webhook"], "webhook.enable": w["webhook"],
    }
    subjects.update({"project.set_competencies": w["recruiting"], "project.manage_roles": w["recruiting"]})
    subjects.update({
        "learning.log_time": w["active"],
        "learning.edit_time": evidence_queries.entry_by_id(w["active"], w["time_entry"].id),
        "learning.view_time": TimeOf(w["active"], w["users"]["team_member"].id),
        "learning.reflect": evidence_queries.with_milestone(w["submission"], w["submitted"]),
        "learning.view_reflection": evidence_queries.reflection_by_id(w["active"], w["reflection"].id),
        "learning.publish_reflection": evidence_queries.reflection_by_id(w["active"], w["reflection"].id)})
    subjects.update({"project.set_competencies": w["recruiting"], "project.manage_roles": w["recruiting"],
                     "learning.set_goals": w["recruiting"], "learning.view_attestations": w["active"],
                     "learning.attest": w["goal"],
                     "learning.endorse": learning_queries.endorsement_subject(w["endorsed"])})
    subjects.update({"learning.view_record": goal_record(w["active"], w["users"]["team_member"]),
                     "learning.view_next_step": w["users"]["team_member"]})


    subjects.update({
        "thread.application.view": thread_of("application", w["recruiting"], application=w["application"]),
        "thread.application.post": thread_of("application", w["recruiting"], application=w["application"]),
        "thread.milestone.view": thread_of("milestone", w["active"], milestone=w["planned"]),
        "thread.milestone.post": thread_of("milestone", w["active"], milestone=w["planned"]),
        "thread.project.view": thread_of("project", w["active"]),
        "thread.project.post": thread_of("project", w["active"]),
        "message.edit": conversation_queries.message_by_id(w["message"].id),
        "message.delete": conversation_queries.message_by_id(w["message"].id)})


    subjects.update({"event.view": w["hidden_event"], "event.create": w["chapter"], "event.edit": w["event"],
                     "event.cancel": w["event"], "event.rsvp": w["event"], "event.see_link": w["event"],
                     "event.view_attendees": w["event"], "event.mark_attendance": w["started"],
                     "event.invite": w["demo_day"]})
    from api import oauth_services
    subjects.update({"oauth.disable_client": w["oauth_client"],
                     "oauth.revoke_access": oauth_services.access_of(w["users"]["member"], w["oauth_client"].id)})
    subjects.update({"mentor_offer.view": w["withdrawn_offer"], "mentor_offer.edit": w["offer"],
                     "mentor_offer.manage": w["offer"], "mentorship.request": w["offer"],
                     "mentorship.view": w["mentorship"], "mentorship.view_notes": w["mentorship"],
                     "mentorship.answer": w["mentoring_request"], "mentorship.withdraw": w["mentoring_request"],
                     "mentorship.end": w["mentorship"], "mentorship.log_session": w["mentorship"]})
    if action in subjects:
        return subjects[action]
    if action.startswith("chapter.") or action == "project.create":
        return w["chapter"]
    if action.startswith("sponsor") and action not in ("sponsor.register",):
        return w["org"]
    return None


@pytest.mark.parametrize("action", sorted(RULES))
def test_a_suspended_member_is_refused_every_rule_a_member_could_use(app, world, action):  # noqa: F811
    allowed = sorted(CASES[action].allowed - {"visitor"})
    subject = subject_of(action, world)
    holders = [world["users"][role] for role in allowed if can(world["users"][role], action, subject)]
    assert holders, f"no role of the matrix holds {action} on {subject!r}"
    for user in holders:
        user.suspended_at = utcnow()
        db.session.commit()
        assert not can(user, action, subject), f"a suspended {user.handle} still holds {action}"
        user.suspended_at = None
        db.session.commit()


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_members_change_their_hours_and_reflections_only_until_the_project_is_closed(people, status):
    """learning.edit_time and learning.reflect hold while the team is open; learning.publish_reflection and
    learning.view_time hold in every state (a reflection becomes evidence after delivery)."""
    from datetime import date

    from learning import evidence
    from projects.models import Submission

    member = people["team_member"]
    project = make_project(people["chapter"], status="active", team=(member,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    entry = evidence.log_time(milestone, member, day=date.today(), hours="1", note="Work")
    submission = Submission(milestone_id=milestone.id, author_id=member.id, note="Done", link="https://example.org")
    db.session.add(submission)
    db.session.commit()
    submission = evidence_queries.with_milestone(submission, milestone)
    reflection = evidence.reflect(submission, member, did="d" * 20, learned="l" * 20, differently="x" * 20)
    project.status = status
    db.session.commit()
    entry = evidence_queries.entry_by_id(project, entry.id)
    reflection = evidence_queries.reflection_by_id(project, reflection.id)
    open_team = status in ("draft", "recruiting", "active")
    assert can(member, "learning.edit_time", entry) is open_team
    assert can(member, "learning.reflect", submission) is open_team
    assert can(member, "learning.publish_reflection", reflection)
    assert can(member, "learning.view_reflection", reflection)
    assert can(member, "learning.view_time", TimeOf(project, member.id))
    assert can(people["lead"], "learning.view_time", TimeOf(project, member.id))
    assert not can(people["member"], "learning.view_time", TimeOf(project, member.id))
def goal_on(project, user, code="delivery.time"):
    """A learning goal of `user`'s place on `project` (written directly: the states vary below)."""
    from learning.models import LearningGoal
    from projects.models import ProjectCompetency, TeamMember
    db.session.add(ProjectCompetency(project_id=project.id, code=code))
    place = db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                                       TeamMember.user_id == user.id))
    goal = LearningGoal(team_member_id=place.id, project_id=project.id, code=code)
    db.session.add(goal)
    db.session.commit()
    return goal


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_a_goal_is_attested_only_while_the_project_is_active(people, status):
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    goal = goal_on(project, people["team_member"])
    assert can(people["lead"], "learning.attest", goal) is (status == "active")
    assert not can(people["team_member"], "learning.attest", goal)  # never one's own goal


@pytest.mark.parametrize("attested", [False, True])
@pytest.mark.parametrize("status", PROJECT_STATES)
def test_delivery_waits_for_every_goal_to_be_attested(people, status, attested):
    from learning.models import GoalAttestation
    from projects.lifecycle import PROJECT
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    goal = goal_on(project, people["team_member"])
    if attested:
        db.session.add(GoalAttestation(goal_id=goal.id, level="practised", note="Seen.",
                                       attested_by_id=people["lead"].id))
        db.session.commit()
    blockers = " ".join(PROJECT.blockers(project, people["lead"], "deliver", applying=True))
    waiting = f"Waiting for an attestation of the learning goals of: {people['team_member'].name}." in blockers
    assert waiting is (not attested)
    offered = "deliver" in [t.name for t in PROJECT.available(project, people["lead"])]
    assert offered is (status == "active")


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_the_sponsor_reviewer_endorses_only_an_active_or_delivered_project(app, world, status):  # noqa: F811
    project = world["endorsed"]
    project.status = status
    db.session.commit()
    subject = learning_queries.endorsement_subject(project)
    assert can(world["users"]["other_sponsor_reviewer"], "learning.endorse", subject) is (
        status in ("active", "delivered"))
    assert not can(world["users"]["lead"], "learning.endorse", subject)


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_a_goal_is_public_on_the_portfolio_only_once_its_project_is_delivered(people, status):
    """Visitors and other members see a goal of a delivered project (unless the member left or their credential
    was revoked); the member themself sees theirs in every state."""
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    visitor = SimpleNamespace(is_authenticated=False, is_suspended=False)
    record = goal_record(project, people["team_member"])
    for other in (visitor, people["member"], people["lead"]):
        assert can(other, "learning.view_record", record) is (status == "delivered")
        assert not can(other, "learning.view_record", goal_record(project, people["team_member"], current=False))
        assert not can(other, "learning.view_record", goal_record(project, people["team_member"], revoked=True))
    assert can(people["team_member"], "learning.view_record", record)


@pytest.mark.parametrize("status", MILESTONE_STATES)
def test_the_author_withdraws_a_submission_only_while_it_waits_for_review(client, auth, people, status):
    from projects.models import Submission
    member = people["team_member"]
    project = make_project(people["chapter"], status="active", team=(member,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    db.session.add(Submission(milestone_id=milestone.id, author_id=member.id, note="Done", link="https://e.org"))
    milestone.status = status
    db.session.commit()
    assert can(member, "milestone.withdraw", milestone) is (status == "submitted")
    assert not can(people["lead"], "milestone.withdraw", milestone)
    auth.login_as(member)
    response = client.post(f"/projects/{project.id}/milestones/{milestone.id}/withdraw")
    db.session.expire_all()
    withdrawn = db.session.get(Submission, db.session.scalar(select(Submission.id))).withdrawn_at is not None
    assert withdrawn is (status == "submitted")
    if status != "submitted":
        assert response.status_code == 403 and db.session.get(Milestone, milestone.id).status == status


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_a_submission_is_withdrawn_only_while_the_project_is_active(client, auth, people, status):
    from projects.models import Submission
    member = people["team_member"]
    project = make_project(people["chapter"], status=status, team=(member,))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    db.session.add(Submission(milestone_id=milestone.id, author_id=member.id, note="Done", link="https://e.org"))
    milestone.status = "submitted"
    db.session.commit()
    auth.login_as(member)
    client.post(f"/projects/{project.id}/milestones/{milestone.id}/withdraw")
    db.session.expire_all()
    assert (db.session.get(Milestone, milestone.id).status == "planned") is (status == "active")


# ---- Conversations: threads take messages while the project is open; an application's, until it is withdrawn;
# a message is changed by its author for 15 minutes, and a removed one is neither changed nor removed again.

@pytest.mark.parametrize("status", PROJECT_STATES)
@pytest.mark.parametrize("kind", ["application", "milestone", "project"])
def test_a_thread_takes_messages_only_while_its_project_is_open(people, status, kind):
    project = make_project(people["chapter"], status=status, team=(people["team_member"],))
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    application = make_application(project, people["member"])
    thread = thread_of(kind, project, **{"application": {"application": application},
                                         "milestone": {"milestone": milestone}}.get(kind, {}))
    writer = people["member"] if kind == "application" else people["team_member"]
    assert can(writer, f"thread.{kind}.view", thread)
    assert can(writer, f"thread.{kind}.post", thread) is (status in ("draft", "recruiting", "active"))
    assert can(people["lead"], f"thread.{kind}.post", thread) is (status in ("draft", "recruiting", "active"))


@pytest.mark.parametrize("status", ["pending", "accepted", "declined", "withdrawn"])
def test_an_applications_thread_closes_when_the_application_is_withdrawn(people, status):
    project = make_project(people["chapter"], status="recruiting")
    application = make_application(project, people["member"], status=status)
    thread = thread_of("application", project, application=application)
    for user in (people["member"], people["lead"]):
        assert can(user, "thread.application.view", thread)
        assert can(user, "thread.application.post", thread) is (status != "withdrawn")


def _message(people, project, minutes_ago: int = 0, removed: bool = False):
    from conversations import services as conversation_services
    from conversations.models import Message

    thread = thread_of("project", project)
    message = conversation_services.post_message(thread, people["team_member"], "Meeting at 10.")
    db.session.execute(update(Message).where(Message.id == message.id).values(
        created_at=utcnow() - timedelta(minutes=minutes_ago), deleted_at=utcnow() if removed else None))
    db.session.commit()
    return conversation_queries.message_by_id(message.id)


@pytest.mark.parametrize("minutes_ago, editable", [(0, True), (14, True), (16, False), (600, False)])
def test_a_message_is_edited_by_its_author_within_fifteen_minutes(people, minutes_ago, editable):
    project = make_project(people["chapter"], status="active", team=(people["team_member"],))
    message = _message(people, project, minutes_ago)
    assert can(people["team_member"], "message.edit", message) is editable
    assert not can(people["lead"], "message.edit", message)
    assert can(people["team_member"], "message.delete", message)  # removal has no window


@pytest.mark.parametrize("status", PROJECT_STATES)
def test_messages_are_edited_only_while_the_thread_is_open_and_removed_in_any_state(people, status):
    project = make_project(people["chapter"], status="active", team=(people["team_member"],))
    message = _message(people, project)
    project.status = status
    db.session.commit()
    message = conversation_queries.message_by_id(message.id)
    assert can(people["team_member"], "message.edit", message) is (status in ("draft", "recruiting", "active"))
    assert can(people["team_member"], "message.delete", message)
    assert can(people["lead"], "message.delete", message)


def test_a_removed_message_is_neither_changed_nor_removed_again(people):
    project = make_project(people["chapter"], status="active", team=(people["team_member"],))
    message = _message(people, project, removed=True)
    for user in (people["team_member"], people["lead"]):
        assert not can(user, "message.edit", message)
        assert not can(user, "message.delete", message)


def test_a_member_who_left_the_team_no_longer_reads_its_threads(people):
    from projects.models import TeamMember

    project = make_project(people["chapter"], status="active", team=(people["team_member"],))
    message = _message(people, project)
    db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id)).left_at = utcnow()
    db.session.commit()
    project = db.session.get(Project, project.id)
    project.forget_team()
    message = conversation_queries.message_by_id(message.id)
    assert not can(people["team_member"], "thread.project.view", message.thread)
    assert not can(people["team_member"], "message.edit", message)
    assert not can(people["team_member"], "message.delete", message)


# ---- Chapter events (issue 14): every rule and guard with a state or time condition ----

EVENT_MOMENTS = {"upcoming": 48, "started": -1, "ended": -48}  # hours from now to the start (2-hour events)


@pytest.fixture
def event_people(app):
    from tests.factories import add_member
    lead = make_user("elead")
    chapter = make_chapter(lead)
    return {"lead": lead, "member": add_member(chapter, make_user("emember")), "chapter": chapter}


def event_in(chapter, status: str, moment: str, **fields):
    from tests.factories import make_event
    return make_event(chapter, status=status, starts_in_hours=EVENT_MOMENTS[moment], **fields)


# rule → the role allowed and the (status, moment) pairs in which it holds
EVENT_RULES = {
    "event.edit": ("lead", {("scheduled", "upcoming"), ("scheduled", "started")}),
    "event.rsvp": ("member", {("scheduled", "upcoming")}),
    "event.mark_attendance": ("lead", {("scheduled", "started"), ("scheduled", "ended")}),
    "event.view_attendees": ("lead", {(s, m) for s in ("scheduled", "cancelled") for m in EVENT_MOMENTS}),
    "event.view": ("member", {(s, m) for s in ("scheduled", "cancelled") for m in EVENT_MOMENTS}),
}


@pytest.mark.parametrize("moment", sorted(EVENT_MOMENTS))
@pytest.mark.parametrize("status", ["scheduled", "cancelled"])
@pytest.mark.parametrize("action", sorted(EVENT_RULES))
def test_event_rule_holds_exactly_in_its_states(event_people, action, status, moment):
    role, allowed = EVENT_RULES[action]
    event = event_in(event_people["chapter"], status, moment)
    assert can(event_people[role], action, event) is ((status, moment) in allowed)
    if action != "event.view":
        assert not can(event_people["member" if role == "lead" else "lead"], action, event) or action == "event.rsvp"


@pytest.mark.parametrize("moment", sorted(EVENT_MOMENTS))
@pytest.mark.parametrize("status", ["scheduled", "cancelled"])
def test_the_online_link_is_shown_to_members_going_only_while_the_event_is_scheduled(event_people, status, moment):
    from events import queries
    from tests.factories import make_rsvp
    event = event_in(event_people["chapter"], status, moment, mode="online")
    make_rsvp(event, event_people["member"])
    queries.viewer_rsvp(event, event_people["member"])
    assert can(event_people["member"], "event.see_link", event) is (status == "scheduled")
    assert can(event_people["lead"], "event.see_link", event) is (status == "scheduled")
    outsider = make_user()
    queries.viewer_rsvp(event, outsider)
    assert not can(outsider, "event.see_link", event)


@pytest.mark.parametrize("moment", sorted(EVENT_MOMENTS))
@pytest.mark.parametrize("status", ["scheduled", "cancelled"])
def test_an_event_is_cancelled_only_while_scheduled_and_not_ended(event_people, status, moment):
    from events.lifecycle import EVENT
    event = event_in(event_people["chapter"], status, moment)
    offered = [t.name for t in EVENT.available(event, event_people["lead"])
               if not EVENT.blockers(event, event_people["lead"], t.name)]
    assert ("cancel" in offered) is (status == "scheduled" and moment != "ended")
    assert EVENT.available(event, event_people["member"]) == []


@pytest.mark.parametrize("kind", ["demo_day", "workshop"])
@pytest.mark.parametrize("moment", sorted(EVENT_MOMENTS))
@pytest.mark.parametrize("status", ["scheduled", "cancelled"])
def test_a_demo_day_invites_only_while_scheduled_and_not_ended(event_people, kind, status, moment):
    event = event_in(event_people["chapter"], status, moment, kind=kind)
    expected = kind == "demo_day" and status == "scheduled" and moment != "ended"
    assert can(event_people["lead"], "event.invite", event) is expected
    assert not can(event_people["member"], "event.invite", event)


@pytest.mark.parametrize("kind", ["demo_day", "meetup"])
@pytest.mark.parametrize("moment", sorted(EVENT_MOMENTS))
@pytest.mark.parametrize("status", ["scheduled", "cancelled"])
def test_a_demo_days_presentations_are_due_once_it_has_taken_place(event_people, kind, status, moment):
    from core.audit import utcnow
    from events.lifecycle import presentations_due
    event = event_in(event_people["chapter"], status, moment, kind=kind)
    assert presentations_due(event) is (kind == "demo_day" and status == "scheduled" and moment == "ended")
    event.presentations_recorded_at = utcnow()
    assert not presentations_due(event)


@pytest.mark.parametrize("chapter_status", ["pending", "active", "archived"])
def test_events_are_created_and_answered_only_in_an_active_chapter(event_people, chapter_status):
    chapter = event_people["chapter"]
    event = event_in(chapter, "scheduled", "upcoming")
    chapter.status = chapter_status
    db.session.commit()
    assert can(event_people["lead"], "event.create", chapter) is (chapter_status == "active")
    assert can(event_people["member"], "event.rsvp", event) is (chapter_status == "active")


def test_a_token_is_revoked_by_its_owner_only_while_it_is_not_revoked(people):
    """api.revoke_token holds for the owner of a live token (expired ones too: revoking says "never again"),
    not once it is revoked, and never for anyone else."""
    from datetime import timedelta

    from api import services as api_services

    owner, other = people["team_member"], people["lead"]
    token, _ = api_services.create_token(owner, "Partner", ["read"], 30)
    assert can(owner, "api.revoke_token", token) and not can(other, "api.revoke_token", token)
    token.expires_at = utcnow() - timedelta(days=1)
    assert can(owner, "api.revoke_token", token)
    api_services.revoke_token(token, owner)
    assert not can(owner, "api.revoke_token", token)


def test_an_admin_disables_a_client_only_while_it_is_active(app):
    """oauth.disable_client holds for admins on an active client, not once it is disabled."""
    from api import oauth_services
    from tests.factories import make_admin

    admin = make_admin()
    client, _ = oauth_services.register_client(admin, "Hub", "https://hub.example", ["https://hub.example/cb"],
                                               ["read"], confidential=True)
    assert can(admin, "oauth.disable_client", client)
    oauth_services.disable_client(client, admin)
    assert not can(admin, "oauth.disable_client", client)


def test_a_member_takes_back_only_a_live_access_of_their_own(app):
    """oauth.revoke_access: an access exists while a token of the member for the app is live (not revoked,
    refresh not expired, app not disabled), and only its member may revoke it."""
    from api import oauth_services
    from api.models import hash_secret
    from api.oauth_models import OAuthToken
    from tests.factories import make_admin

    admin, owner, other = make_admin(), make_user(), make_user()
    client, _ = oauth_services.register_client(admin, "Hub", "https://hub.example", ["https://hub.example/cb"],
                                               ["read"], confidential=True)
    token = OAuthToken(client_id=client.id, user_id=owner.id, scopes="read", access_token_hash=hash_secret("a"),
                       expires_at=utcnow() - timedelta(minutes=5),  # the access token expired: refresh still works
                       refresh_expires_at=utcnow() + timedelta(days=1))
    db.session.add(token)
    db.session.commit()
    access = oauth_services.access_of(owner, client.id)
    assert can(owner, "oauth.revoke_access", access) and not can(other, "oauth.revoke_access", access)
    token.refresh_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert oauth_services.access_of(owner, client.id) is None
    token.refresh_expires_at = utcnow() + timedelta(days=1)
    client.disabled_at = utcnow()
    db.session.commit()
    assert oauth_services.access_of(owner, client.id) is None
    client.disabled_at = None
    oauth_services.revoke_access(access, owner)
    assert oauth_services.access_of(owner, client.id) is None


@pytest.mark.parametrize("status", ["active", "disabled"])
def test_a_webhook_is_turned_on_again_by_its_owner_only_while_it_is_off(people, status):
    """webhook.enable holds for the owner of a subscription turned off after failures, never for an active one
    nor for anyone else; webhook.view and webhook.delete hold for the owner in both states."""
    from webhooks.models import WebhookSubscription

    owner, other = people["team_member"], people["lead"]
    subscription = WebhookSubscription(user_id=owner.id, url="https://93.184.215.14/hook", events="project.recruiting",
                                       secret="whsec_x", status=status)
    db.session.add(subscription)
    db.session.commit()
    assert can(owner, "webhook.enable", subscription) is (status == "disabled")
    assert not can(other, "webhook.enable", subscription)
    assert can(owner, "webhook.view", subscription) and can(owner, "webhook.delete", subscription)
    assert not can(other, "webhook.view", subscription) and not can(other, "webhook.delete", subscription)
# ---- Mentoring (issue 14): offers and mentorships in every state ----

@pytest.fixture
def mentoring_people(app):
    from tests.factories import make_admin
    return {"mentor": make_user("mentor"), "mentee": make_user("mentee"), "other": make_user("other"),
            "admin": make_admin("admin")}


MENTORSHIP_STATES_ALL = ("requested", "active", "declined", "withdrawn", "ended")


@pytest.mark.parametrize("status", MENTORSHIP_STATES_ALL)
def test_a_mentoring_session_is_logged_by_the_pair_only_while_the_mentorship_is_active(mentoring_people, status):
    from tests.mentoring.helpers import make_mentorship, make_offer
    p = mentoring_people
    mentorship = make_mentorship(make_offer(p["mentor"], capacity=5), p["mentee"], status=status)
    for role in ("mentor", "mentee"):
        assert can(p[role], "mentorship.log_session", mentorship) is (status == "active")
        assert can(p[role], "mentorship.view_notes", mentorship)  # their notes stay theirs in every state
    for role in ("other", "admin"):
        assert not can(p[role], "mentorship.log_session", mentorship)
        assert not can(p[role], "mentorship.view_notes", mentorship)
    assert can(p["admin"], "mentorship.view", mentorship) and not can(p["other"], "mentorship.view", mentorship)


@pytest.mark.parametrize("status", MENTORSHIP_STATES_ALL)
def test_each_mentorship_transition_is_offered_only_from_its_state_to_its_side(mentoring_people, status):
    from mentoring.lifecycle import MENTORSHIP
    from tests.mentoring.helpers import make_mentorship, make_offer
    p = mentoring_people
    mentorship = make_mentorship(make_offer(p["mentor"], capacity=5), p["mentee"], status=status)
    offered = {role: sorted(t.name for t in MENTORSHIP.available(mentorship, p[role]))
               for role in ("mentor", "mentee", "other", "admin")}
    expected = {"requested": {"mentor": ["accept", "decline"], "mentee": ["withdraw"]},
                "active": {"mentor": ["end"], "mentee": ["end"]}}.get(status, {})
    assert offered == {role: expected.get(role, []) for role in offered}


@pytest.mark.parametrize("status", ["active", "paused", "withdrawn"])
def test_an_offer_is_seen_asked_and_moved_according_to_its_state(mentoring_people, status):
    from mentoring.lifecycle import OFFER, request_blockers
    from tests.mentoring.helpers import make_offer
    p = mentoring_people
    offer = make_offer(p["mentor"], status=status)
    assert can(p["other"], "mentor_offer.view", offer) is (status != "withdrawn")
    assert can(p["mentor"], "mentor_offer.view", offer) and can(p["admin"], "mentor_offer.view", offer)
    assert (request_blockers(offer, p["mentee"]) == []) is (status == "active")
    assert sorted(t.name for t in OFFER.available(offer, p["mentor"])) == {
        "active": ["pause", "withdraw"], "paused": ["resume", "withdraw"], "withdrawn": ["resume"]}[status]
    assert OFFER.available(offer, p["other"]) == [] and OFFER.available(offer, p["admin"]) == []
