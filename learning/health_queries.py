"""Chapter health, for its leads: what the chapter's members practised and showed, how fast leads answer
applications, how fast deliverables are reviewed, and how many projects were delivered. Two statements
(the counts, the durations), each grouped or bounded, over a window (the last twelve months), whatever the data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, func, literal, null, select, union_all

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
    levels, ended = counts(chapter, of_chapter, since)
    replies, reviews = durations(of_chapter, since)
    return Health(since, levels, median_duration(replies), len(replies), median_duration(reviews), len(reviews),
                  ended.get("delivered", 0), ended.get("cancelled", 0))


def counts(chapter, project_ids, since: datetime) -> tuple[dict[str, dict[str | None, int]], dict[str, int]]:
    """One grouped statement of two parts (UNION ALL), at most codes × 4 + 2 rows:

    - per competency, the attestations made since `since` on the chapter's projects by level, and the goals
      still waiting for one on open projects (level None);
    - the chapter's projects delivered and cancelled since `since` (the state they reached, by status_changed_at).
    """
    attested = GoalAttestation.created_at >= since
    waiting = GoalAttestation.id.is_(None) & Project.status.in_(OPEN_STATES)
    levels = (select(literal("level").label("part"), LearningGoal.code.label("name"),
                     GoalAttestation.level.label("level"), func.count().label("n"))
              .select_from(LearningGoal).join(Project, Project.id == LearningGoal.project_id)
              .outerjoin(GoalAttestation, GoalAttestation.goal_id == LearningGoal.id)
              .where(LearningGoal.project_id.in_(project_ids), attested | waiting)
              .group_by(LearningGoal.code, GoalAttestation.level))
    ended = (select(literal("ended").label("part"), Project.status.label("name"), cast(null(), String).label("level"),
                    func.count().label("n"))
             .where(Project.chapter_id == chapter.id, Project.status.in_(("delivered", "cancelled")),
                    Project.status_changed_at >= since)
             .group_by(Project.status))
    by_code: dict[str, dict[str | None, int]] = {}
    by_status: dict[str, int] = {}
    for part, name, level, n in db.session.execute(union_all(levels, ended)):
        if part == "level":
            by_code.setdefault(name, {})[level] = n
        else:
            by_status[name] = n
    return by_code, by_status


def durations(project_ids, since: datetime) -> tuple[list[tuple], list[tuple]]:
    """One statement of two bounded parts (UNION ALL), each the latest MAX_SAMPLES since `since`:

    - (applied, decided) of the applications accepted or declined (withdrawn ones were never decided);
    - (submitted, reviewed) of the reviews of a submission."""
    replies = (select(literal("reply").label("part"), Application.created_at.label("start"),
                      Application.decided_at.label("end"))
               .where(Application.project_id.in_(project_ids), Application.decided_at >= since,
                      Application.status.in_(("accepted", "declined")))
               .order_by(Application.decided_at.desc()).limit(MAX_SAMPLES).subquery())
    reviews = (select(literal("review").label("part"), Submission.created_at.label("start"),
                      Review.created_at.label("end"))
               .join(Submission, Submission.id == Review.submission_id)
               .join(Milestone, Milestone.id == Review.milestone_id)
               .where(Milestone.project_id.in_(project_ids), Review.created_at >= since)
               .order_by(Review.created_at.desc()).limit(MAX_SAMPLES).subquery())
    pairs: dict[str, list[tuple]] = {"reply": [], "review": []}
    for part, start, end in db.session.execute(union_all(select(replies), select(reviews))):
        pairs[part].append((start, end))
    return pairs["reply"], pairs["review"]
