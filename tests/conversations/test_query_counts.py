"""The conversation pages, /me with unread conversations, the applications page with each applicant's thread
and the project and milestone pages with their links run the same number of statements at two data sizes, within
the budget (tests/conftest.over_budget)."""
import re

from sqlalchemy import select

from conversations import queries, services
from core.extensions import db
from projects.models import Milestone
from tests.conftest import count_queries, over_budget
from tests.factories import make_application, make_chapter, make_organisation, make_project, make_sponsorship, \
    make_user


def build(size: int):
    lead = make_user(f"lead{size}")
    chapter = make_chapter(lead)
    team = [make_user(f"m{size}x{n}") for n in range(max(2, size // 10))]
    reviewer = make_user(f"reviewer{size}")
    project = make_project(chapter, status="active", team=tuple(team), team_max=len(team) + 1, milestones=3)
    recruiting = make_project(chapter, status="recruiting", team_max=size + 1)
    make_sponsorship(project, make_organisation(reviewers=(reviewer,)), status="confirmed")
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
    applications = [make_application(recruiting, make_user(f"a{size}x{n}")) for n in range(max(2, size // 5))]
    for n in range(size):
        author = team[n % len(team)]
        for kind, subject in (("project", {}), ("milestone", {"milestone": milestone})):
            thread, _ = queries.thread_for(kind, project, **subject)
            services.post_message(thread, author, f"Message {n} about https://example.org/{n} @{team[0].handle}")
    for application in applications:
        thread, _ = queries.thread_for("application", recruiting, application=application)
        services.post_message(thread, application.user, "Hello, when do we start?")
    return {"lead": lead, "member": team[-1], "reviewer": reviewer, "project": project, "milestone": milestone,
            "recruiting": recruiting, "application": applications[0]}


def test_conversation_pages_run_a_fixed_number_of_statements(client, auth):
    counts = {}
    for size in (25, 80):  # both with a second page of messages
        w = build(size)
        pages = {
            "member team discussion": f"/projects/{w['project'].id}/conversation",
            "member team discussion page 2": f"/projects/{w['project'].id}/conversation?page=2",
            "member milestone conversation": f"/projects/{w['project'].id}/milestones/{w['milestone'].id}"
                                             "/conversation",
            "member project": f"/projects/{w['project'].id}",
            "member dashboard": "/me",
            "reviewer milestone conversation": f"/projects/{w['project'].id}/milestones/{w['milestone'].id}"
                                               "/conversation",
            "lead application conversation": f"/projects/{w['recruiting'].id}/applications/"
                                             f"{w['application'].id}/conversation",
            "lead applications": f"/projects/{w['recruiting'].id}/applications",
            "lead dashboard": "/me",
            "lead project": f"/projects/{w['project'].id}",
        }
        for name, path in pages.items():
            auth.login_as(w[name.split()[0]])
            client.get(path)  # the first visit moves the reader's place; the count is of a page as usually seen
            with count_queries() as statements:
                response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
            counts.setdefault(size, {})[name] = len(statements)
    print("statements at the larger size:", counts[80])
    assert counts[25] == counts[80], counts
    assert over_budget(counts[80]) == {}, counts[80]


def test_the_links_to_conversations_cost_no_statement(client, auth):
    """The project and milestone pages link to their threads: the rules read what those pages loaded."""
    w = build(3)
    for who in ("member", "reviewer", "lead"):
        auth.login_as(w[who])
        for path in (f"/projects/{w['project'].id}", f"/projects/{w['project'].id}/milestones/{w['milestone'].id}"):
            with count_queries() as statements:
                body = client.get(path).get_data(as_text=True)
            # The team discussion is the team's and the leads': a sponsor's reviewer has no link to it.
            assert ("/conversation" in body) is not (who == "reviewer" and "milestones" not in path), (who, path)
            assert not [s for s in statements if re.search(r"\b(thread|thread_read|message)\b", s)], (who, path)


def test_unread_conversations_on_me_cost_one_statement(client, auth):
    w = build(5)
    auth.login_as(w["reviewer"])
    with count_queries() as statements:
        client.get("/me")
    without = len(statements)
    thread, _ = queries.thread_for("milestone", w["project"], milestone=w["milestone"])
    services.post_message(thread, w["lead"], "A new question for the reviewer")
    with count_queries() as statements:
        body = client.get("/me").get_data(as_text=True)
    assert "Unread conversations" in body and len(statements) == without
