"""Demo evidence: the demo teams' hours and reflections (some public) on the active and delivered projects."""
from datetime import date, timedelta

from sqlalchemy import select

from core.cli import seeder
from core.extensions import db
from learning import evidence
from learning.evidence_queries import with_milestone
from learning.models import Reflection, TimeEntry
from projects.models import Milestone, Submission

NOTES = ["Interviews with the client", "Drafted the deliverable", "Team meeting and planning",
         "Revised after the review", "Prepared the presentation"]
REFLECTIONS = [
    ("I ran the interviews and wrote up what the client told us.",
     "Agreeing on the questions with the client before the interviews saved us a second round.",
     "I would book the interviews earlier: two of them slipped by a week."),
    ("I built the first version and walked the client through it.",
     "Showing something small early gets better feedback than a long document.",
     "I would write down the scope we agreed on the same day, to avoid surprises in the review."),
]


def _milestones(project) -> list[Milestone]:
    milestones = db.session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                    .order_by(Milestone.position)).all()
    for milestone in milestones:
        milestone.project = project
    return milestones


def _submissions(milestone) -> list[Submission]:
    return [with_milestone(s, milestone) for s in db.session.scalars(
        select(Submission).where(Submission.milestone_id == milestone.id).order_by(Submission.id))]


@seeder(order=36)
def seed_evidence(world: dict) -> None:
    """Hours and reflections through the services on the active project; on the scheduler (delivered next, by
    learning/demo.py) the rows as they were kept while it ran, with their past dates."""
    people = world["people"]
    active = world["projects"]["active"]
    first_day = evidence.project_start(active)
    for n, milestone in enumerate(m for m in _milestones(active) if m.status != "planned"):
        for k, handle in enumerate(("ines", "tom")):
            for d in range(2):
                day = max(first_day, date.today() - timedelta(days=3 + 9 * n + 4 * d + k))
                evidence.log_time(milestone, people[handle], day=day, hours=str(1.5 + n + d + k),
                                  note=NOTES[(n + d + k) % len(NOTES)])
        for i, submission in enumerate(_submissions(milestone)):
            texts = dict(zip(("did", "learned", "differently"), REFLECTIONS[(n + i) % len(REFLECTIONS)]))
            reflection = evidence.reflect(submission, people["ines"], **texts)
            if n == 0:
                evidence.set_public(reflection, people["ines"], True)

    delivered = world["projects"]["delivered"]
    start = evidence.project_start(delivered)
    for n, milestone in enumerate(_milestones(delivered)):
        for k, handle in enumerate(("priya", "noah")):
            db.session.add(TimeEntry(user_id=people[handle].id, project_id=delivered.id, milestone_id=milestone.id,
                                     day=start + timedelta(days=5 + 20 * n + k), minutes=60 * (3 + n + k),
                                     note=NOTES[(n + k) % len(NOTES)]))
        for submission in _submissions(milestone):
            did, learned, differently = REFLECTIONS[n % len(REFLECTIONS)]
            db.session.add(Reflection(submission_id=submission.id, project_id=delivered.id,
                                      author_id=submission.author_id, did=did, learned=learned,
                                      differently=differently, public=n != 1))
    db.session.commit()
