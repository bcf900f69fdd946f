"""Learning sections on project pages and the dashboard."""
from core.authz import can
from core.pages import section
from learning import framework, queries


@section("project", "learning/_project_learning.html", order=5)
def project_learning(project, user):
    """The competencies the project practises and its business roles (hidden when it has neither). Both come
    with the project (queries.WITH_TAGS_JOINED and ProjectCompetency.roles): no query here."""
    codes = queries.framework_order(project.competency_codes)
    manage = can(user, "project.manage_roles", project)
    if not codes and not manage:
        return None
    return {"project": project, "competencies": [framework.competency(code) for code in codes
                                                 if framework.competency(code)],
            "roles": queries.roles_practising(project), "can_manage": manage, "label": framework.label}


@section("dashboard", "learning/_dashboard_practise.html", order=25)
def practise(user):
    """On /me: recruiting projects practising business competencies the member has not practised yet."""
    recommended = queries.recommended_for(user)
    if not recommended:
        return None
    return {"recommended": recommended, "label": framework.label}


# --- Learning goals and attestations (issue 21 items 3 and 5) ---------------------------------------------

@section("project", "learning/_project_goals.html", order=6)
def project_goals(project, user):
    """For a team member, the link to their learning goals (and business role); for the leads and the mentors,
    the link to the attestations. No query: both rules read the team the project page already loaded (the
    goals themselves are on the goals page, so that a team member's project page costs what anyone's does)."""
    set_goals = can(user, "learning.set_goals", project)
    attestations = can(user, "learning.view_attestations", project)
    if not set_goals and not attestations:
        return None
    return {"project": project, "can_set_goals": set_goals, "can_see_attestations": attestations}


@section("dashboard", "learning/_dashboard_goals.html", order=24)
def pick_goals(user):
    """On /me: "Pick your learning goals" on each open project where the member's place has no goal yet
    (the prompt after an application is accepted). One query."""
    projects = queries.places_without_goals(user)
    return {"projects": projects} if projects else None


# --- The sponsor's endorsement (issue 21 items 5 and 6) ------------------------------------------------------

@section("milestone", "learning/_milestone_endorsement.html", order=20)
def endorse_prompt(milestone, user):
    """On the accepted final milestone, the sponsor's reviewer who accepted it is asked to endorse the team's
    work (or sees the endorsement they recorded). One statement, only for a member of a confirming sponsor on
    an accepted milestone."""
    if milestone.status != "accepted" or not getattr(user, "is_authenticated", False) \
            or not milestone.project.sponsor_organisations_of(user):  # (remembered: the page's rules asked it)
        return None
    subject, endorsement = queries.endorsement_state(milestone.project)
    if subject.review is None or subject.review.milestone_id != milestone.id \
            or not can(user, "learning.endorse", subject):
        return None
    return {"project": milestone.project, "endorsement": endorsement}
