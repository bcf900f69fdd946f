"""The milestone page with hours and reflections, the project page's hours, a member's hours and the time log
run the same number of SQL statements whatever the number of members, entries and reflections."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from learning.models import Reflection, TimeEntry
from projects.models import Milestone, Submission, TeamMember
from tests.conftest import count_queries
from tests.factories import make_chapter, make_project, make_user


def build(size: int, chapter, member, mentor):
    """An active project whose `size` other members each logged time on several days and reflected (half
    publicly) on a deliverable of the first milestone; the member and the mentor logged and reflected too."""
    others = [make_user(commit=False) for _ in range(size)]
    db.session.flush()
    team = (member, mentor, *others)
    project = make_project(chapter, status="active", title=f"Project {size}", team=team, milestones=2,
                           team_max=len(team))
    db.session.scalar(select(TeamMember).where(TeamMember.project_id == project.id,
                                               TeamMember.user_id == mentor.id)).role = "mentor"
    milestone = db.session.scalar(select(Milestone).where(Milestone.project_id == project.id, Milestone.position == 1))
    milestone.status = "submitted"
    for n, user in enumerate(team):
        for day in range(3):
            db.session.add(TimeEntry(user_id=user.id, project_id=project.id, milestone_id=milestone.id,
                                     day=date.today() - timedelta(days=day), minutes=30 + n, note=f"Work {n}"))
        submission = Submission(milestone_id=milestone.id, author_id=user.id, note="Done", link="https://e.org")
        db.session.add(submission)
        db.session.flush()
        if n % 3 or user is member:  # some submissions still wait for their reflection
            db.session.add(Reflection(submission_id=submission.id, project_id=project.id, author_id=user.id,
                                      did="d" * 30, learned="l" * 30, differently="x" * 30, public=bool(n % 2)))
    db.session.commit()
    return project, milestone


def statements(client, path):
    with count_queries() as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "lead", "mentor", "member", "outsider"])
def test_evidence_pages_run_a_fixed_number_of_queries(app, client, auth, viewer):
    lead, member, mentor, outsider = make_user("lead"), make_user("member"), make_user("mentor"), make_user("out")
    chapter = make_chapter(lead, name="Main chapter")
    if viewer != "visitor":
        auth.login_as({"lead": lead, "mentor": mentor, "member": member, "outsider": outsider}[viewer])
    counts, sizes = {}, {}
    for size in (4, 30):
        project, milestone = build(size, chapter, member, mentor)
        pages = {"milestone": f"/projects/{project.id}/milestones/{milestone.id}",
                 "project": f"/projects/{project.id}"}
        if viewer in ("lead", "mentor", "member"):
            pages["member_time"] = f"/projects/{project.id}/time/members/{member.id}"
        if viewer in ("mentor", "member"):
            pages["time_log"] = f"/projects/{project.id}/milestones/{milestone.id}/time"
        counts[size] = {name: statements(client, path) for name, path in pages.items()}
        sizes[size] = client.get(pages["milestone"]).get_data(as_text=True).count("/reflections/")
    assert counts[4] == counts[30], (counts[4], counts[30])
    if viewer in ("lead", "mentor", "member"):  # they see every reflection on the milestone
        assert sizes[30] > sizes[4] > 0
