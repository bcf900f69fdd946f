"""Project sections on the home page, the dashboard, profiles and chapter pages."""
from chapters import queries as chapter_queries
from chapters.models import LEAD_ROLES
from core.authz import can
from core.pages import section
from projects import queries


@section("home", "projects/_home_featured.html", order=10)
def featured(user):
    return {"featured": queries.featured(), "by_status": queries.count_by_status()}


@section("dashboard", "projects/_dashboard.html", order=20)
def my_work(user):
    """The member's teams and applications; for a chapter's lead, the projects they lead with what waits for
    them there (applications, deliverables to review, goals to attest: one statement, asked only of leads, whose
    memberships are /me's chapters section's statement)."""
    leads = any(m.role in LEAD_ROLES for m in chapter_queries.memberships_of(user))
    return {"team": queries.my_projects(user), "applications": queries.my_applications(user),
            "led": queries.led_projects(user) if leads else [], "recommended": queries.recommended_for(user)}


@section("profile", "projects/_profile_projects.html", order=20)
def profile_projects(user):
    return {"team": [m for m in queries.my_projects(user) if m.project.status != "draft"]}


@section("chapter", "projects/_chapter_projects.html", order=10)
def chapter_projects(chapter, user):
    leads = can(user, "project.create", chapter)
    return {"projects": queries.chapter_projects(chapter, include_drafts=can(user, "chapter.edit", chapter)),
            "can_create": leads, "chapter": chapter}
