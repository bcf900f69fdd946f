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
