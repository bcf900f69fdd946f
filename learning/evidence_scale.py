"""Scale data for learning evidence: time entries by team members on the milestones of active and delivered
projects (within the bounds the service keeps: 24 h a day per member, 500 h per member and milestone, no day
before the project's start or after today) and reflections, some public, on submitted deliverables.

Reads back the projects, milestones, teams and submissions the projects generator wrote (one pass over each),
then writes with executemany: the cost grows linearly with the data, never per row."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import text

from core.scale import World, scale_generator
from learning.models import MAX_DAY_MINUTES, MAX_MILESTONE_MINUTES

NOTES = ("Client call", "Drafting the deliverable", "Team meeting", "Revisions after review", "Research")
TEXTS = ("I prepared the deliverable with the team and presented it to the client.",
         "Writing the scope down before starting saved us a round of changes.",
         "I would plan the review with the client earlier in the week.")


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


@scale_generator(order=36, label="Learning evidence", time_entries=200_000, reflections=30_000)
def generate_evidence(world: World) -> None:
    rng, conn, today = world.rng, world.connection, world.today
    starts = {pid: _day(start or created) for pid, start, created in conn.execute(text(
        "SELECT id, start_date, created_at FROM project WHERE status IN ('active', 'delivered')"))}
    milestones: dict[int, list[int]] = {}
    for mid, pid in conn.execute(text("SELECT id, project_id FROM milestone ORDER BY id")):
        if pid in starts:
            milestones.setdefault(pid, []).append(mid)
    teams: dict[int, list[int]] = {}
    for pid, uid in conn.execute(text("SELECT project_id, user_id FROM team_member WHERE left_at IS NULL "
                                      "ORDER BY id")):
        if pid in starts and pid in milestones:
            teams.setdefault(pid, []).append(uid)
    projects = sorted(teams)
    entries, per_day, per_milestone = [], {}, {}
    for entry_id in range(1, world.sizes["time_entries"] + 1 if projects else 1):
        pid = rng.choice(projects)
        uid, mid = rng.choice(teams[pid]), rng.choice(milestones[pid])
        first = starts[pid]
        span = max(0, (today - first).days)
        day = first + timedelta(days=rng.randint(0, min(span, 180))) if first <= today else None
        minutes = rng.choice((30, 45, 60, 90, 120, 180, 240, 360))
        if day is None or per_day.get((uid, day), 0) + minutes > MAX_DAY_MINUTES \
                or per_milestone.get((uid, mid), 0) + minutes > MAX_MILESTONE_MINUTES:
            continue  # the service would refuse it too
        per_day[(uid, day)] = per_day.get((uid, day), 0) + minutes
        per_milestone[(uid, mid)] = per_milestone.get((uid, mid), 0) + minutes
        entries.append({"user_id": uid, "project_id": pid, "milestone_id": mid, "day": day, "minutes": minutes,
                        "note": rng.choice(NOTES), "created_at": datetime.combine(day, datetime.min.time())
                        + timedelta(hours=18)})
    world.insert("time_entry", entries)
    wanted = world.sizes["reflections"]
    reflections = []
    for sid, pid, author, created in conn.execute(text(
            "SELECT s.id, m.project_id, s.author_id, s.created_at FROM submission s "
            "JOIN milestone m ON m.id = s.milestone_id WHERE s.author_id IS NOT NULL ORDER BY s.id")):
        if len(reflections) >= wanted:
            break
        if rng.random() < 0.6:
            at = created if isinstance(created, datetime) else datetime.fromisoformat(str(created))
            reflections.append({"submission_id": sid, "project_id": pid, "author_id": author, "did": TEXTS[0],
                                "learned": TEXTS[1], "differently": TEXTS[2], "public": rng.random() < 0.3,
                                "created_at": at + timedelta(days=1), "updated_at": at + timedelta(days=1)})
    world.insert("reflection", reflections)
