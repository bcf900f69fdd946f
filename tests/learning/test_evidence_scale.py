"""`flask seed-scale` covers learning evidence: time entries within the service's bounds and reflections by the
authors of submitted deliverables, some public."""
from sqlalchemy import func, select

from core.extensions import db
from learning.models import MAX_DAY_MINUTES, MAX_MILESTONE_MINUTES, Reflection, TimeEntry
from projects.models import Milestone, Project, Submission, TeamMember


def test_seed_scale_adds_time_entries_and_reflections_within_bounds(runner):
    result = runner.invoke(args=["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "800",
                                 "--milestones", "300", "--time-entries", "600", "--reflections", "40", "--quiet"])
    assert result.exit_code == 0, result.output
    count = db.session.scalar(select(func.count()).select_from(TimeEntry))
    assert 300 < count <= 600
    assert db.session.scalar(select(func.max(select(func.sum(TimeEntry.minutes)).group_by(
        TimeEntry.user_id, TimeEntry.day).subquery().c[0]))) <= MAX_DAY_MINUTES
    assert db.session.scalar(select(func.max(select(func.sum(TimeEntry.minutes)).group_by(
        TimeEntry.user_id, TimeEntry.milestone_id).subquery().c[0]))) <= MAX_MILESTONE_MINUTES
    # Every entry is by a current member of the project's team, on a milestone of that project, not in the future.
    stray = db.session.scalar(
        select(func.count()).select_from(TimeEntry)
        .join(Milestone, Milestone.id == TimeEntry.milestone_id)
        .outerjoin(TeamMember, (TeamMember.project_id == TimeEntry.project_id)
                   & (TeamMember.user_id == TimeEntry.user_id))
        .where((Milestone.project_id != TimeEntry.project_id) | TeamMember.id.is_(None)))
    assert stray == 0
    statuses = set(db.session.scalars(select(Project.status).join(TimeEntry, TimeEntry.project_id == Project.id)))
    assert statuses <= {"active", "delivered"}
    assert 0 < db.session.scalar(select(func.count()).select_from(Reflection)) <= 40
    wrong_author = db.session.scalar(select(func.count()).select_from(Reflection).join(
        Submission, Submission.id == Reflection.submission_id).where(Submission.author_id != Reflection.author_id))
    assert wrong_author == 0
    assert db.session.scalar(select(func.count()).where(Reflection.public.is_(True))) > 0
