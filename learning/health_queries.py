"""Chapter health, for its leads: what the chapter's members practised and showed, how fast leads answer
applications, how fast deliverables are reviewed, and how many projects were delivered. Four statements,
each an aggregate or a bounded read over a window (the last twelve months), whatever the data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.audit import utcnow
from core.extensions import db
from learning.models import GoalAttestation, LearningGoal
from learning.profile import median_duration
from projects.models import Application, Milestone, Project, Review, Submission

WINDOW = timedelta(days=365)
MAX_SAMPLES = 1000  # the latest decisions (or reviews) a median is taken over
OPEN_STATES = ("draft", "recruiting", "active")


@dataclass(frozen=True)
class Health:
    since: datetime
    levels: dict[str, dict[str | None, int]]  # code → {level (None: goal not attested yet): count}
    reply_median: timedelta | None
    replies: int  # decisions the median is taken over
    review_median: timedelta | None
    reviews: int
    delivered: int
    cancelled: int

    @property
    def delivery_rate(self) -> float | None:
        """Delivered out of the projects that ended (delivered or cancelled) in the window; None when none did."""
        ended = self.delivered + self.cancelled
        return self.delivered / ended if ended else None


def chapter_health(chapter, now: datetime | None = None) -> Health:
    since = (now or utcnow()) - WINDOW
    of_chapter = select(Project.id).where(Project.chapter_id == chapter.id)
    return Health(since, attestation_counts(of_chapter, since), *_median(reply_pairs(of_chapter, since)),
                  *_median(review_pairs(of_chapter, since)), *ended_projects(chapter, since))


def _median(pairs: list) -> tuple[timedelta | None, int]:
    return median_duration(pairs), len(pairs)


def attestation_counts(project_ids, since: datetime) -> dict[str, dict[str | None, int]]:
    """Per competency, the attestations made since `since` on the projects by level, and the goals still
    waiting for one on open projects (level None): one grouped statement (at most codes × 4 rows)."""
    attested = GoalAttestation.created_at >= since
    waiting = GoalAttestation.id.is_(None) & Project.status.in_(OPEN_STATES)
    query = (select(LearningGoal.code, GoalAttestation.level, func.count())
             .select_from(LearningGoal).join(Project, Project.id == LearningGoal.project_id)
             .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
             .where(LearningGoal.project_id.in_(project_ids), attested | waiting)
             .group_by(LearningGoal.code, GoalAttestation.level))
    counts: dict[str, dict[str | None, int]] = {}
    for code, level, count in db.session.execute(query):
        counts.setdefault(code, {})[level] = count
    return counts


def reply_pairs(project_ids, since: datetime) -> list[tuple[datetime, datetime]]:
    """(applied, decided) of the applications decided since `since`, the latest MAX_SAMPLES: one statement.
    Withdrawn applications were never decided (decided_at stays empty) and do not count."""
    return db.session.execute(
        select(Application.created_at, Application.decided_at)
        .where(Application.project_id.in_(project_ids), Application.decided_at >= since,
               Application.status.in_(("accepted", "declined")))
        .order_by(Application.decided_at.desc()).limit(MAX_SAMPLES)).all()


def review_pairs(project_ids, since: datetime) -> list[tuple[datetime, datetime]]:
    """(submitted, reviewed) of the reviews made since `since` of a submission, the latest MAX_SAMPLES."""
    return db.session.execute(
        select(Submission.created_at, Review.created_at)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Milestone, Milestone.id == Review.milestone_id)
        .where(Milestone.project_id.in_(project_ids), Review.created_at >= since)
        .order_by(Review.created_at.desc()).limit(MAX_SAMPLES)).all()


def ended_projects(chapter, since: datetime) -> tuple[int, int]:
    """(delivered, cancelled): the chapter's projects that reached either state since `since`."""
    counts = dict(db.session.execute(
        select(Project.status, func.count()).where(Project.chapter_id == chapter.id,
                                                   Project.status.in_(("delivered", "cancelled")),
                                                   Project.status_changed_at >= since)
        .group_by(Project.status)).all())
    return counts.get("delivered", 0), counts.get("cancelled", 0)
