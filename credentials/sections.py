"""Credential sections on profiles (the learning portfolio), delivered projects' pages and the
applications a lead reviews."""
from flask import request

from core.authz import can
from core.pages import section
from core.integers import page_number
from credentials import queries


@section("home", "credentials/_home_recent.html", order=30)
def recent_credentials(user):
    """The latest credentials earned, as proof that projects are delivered and learning is recognised."""
    return {"credentials": queries.recent()}


@section("profile", "credentials/_profile_credentials.html", order=10)
def portfolio(user):
    """The member's credentials (valid first, revoked marked) and the skills learned across them."""
    page = queries.of_recipient(user, page=page_number())
    if not page.total:
        return None
    return {"page": page, "skills": queries.skills_learned(user), "handle": user.handle}


@section("project", "credentials/_project_credentials.html", order=30)
def project_credentials(project, user):
    """Who received a credential for a delivered project, so that leads (and anyone) can find them, and the
    sponsor's endorsement the credentials carry."""
    if project.status != "delivered":
        return None
    credentials = queries.of_project(project)
    visible = {c.id for c in credentials if c.recipient is not None and can(user, "user.view_profile", c.recipient)}
    return {"credentials": credentials, "visible": visible, "endorsement": queries.endorsement_of(project)}


@section("applicant", "credentials/_applicant_credentials.html", order=10)
def applicants_credentials(project, applications, user):
    """Each applicant's valid credentials (how many, and the latest), for all applicants in one query."""
    return {"by_user": queries.of_recipients(a.user_id for a in applications)}
