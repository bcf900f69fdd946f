"""Chapter sections on the home page, the dashboard, profiles and the admin index."""
from chapters import queries
from core.pages import section


@section("home", "chapters/_home_section.html", order=20)
def home_numbers(user):
    """How many chapters are active, and the newest few to visit."""
    return {"active_chapters": queries.count_active(), "chapters": queries.newest_active()}


@section("dashboard", "chapters/_my_chapters.html", order=10)
def my_chapters(user):
    return {"memberships": queries.memberships_of(user)}


@section("profile", "chapters/_profile_chapters.html", order=10)
def profile_chapters(user):
    return {"memberships": [m for m in queries.memberships_of(user) if m.chapter.status == "active"]}


@section("admin", "chapters/_admin_pending.html", order=10)
def pending(user):
    return {"pending_chapters": queries.pending_chapters()}
