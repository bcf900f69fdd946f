"""Scale data for conversations: the team discussion of every active and delivered project, conversations on
some of their milestones and on some applications, messages by the people who may write there (a few edited,
a few removed) and their read positions.

Reads back the projects, teams, chapter leads, milestones and applications earlier generators wrote (one pass
over each), then writes with executemany; ids are given so that threads know their newest message."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from core.scale import World, scale_generator

TEXTS = ("Here is the draft: https://example.org/drafts/{n}", "Thanks, I will review it tonight.",
         "Could we meet on Thursday to agree on the scope?", "The client asked for a shorter summary.",
         "Done: the changes are in the shared folder.", "Good catch, I fixed the numbers.")


@scale_generator(order=55, label="Conversations", messages=100_000)
def generate_conversations(world: World) -> None:
    rng, conn = world.rng, world.connection
    projects = {pid: cid for pid, cid in conn.execute(text(
        "SELECT id, chapter_id FROM project WHERE status IN ('active', 'delivered') ORDER BY id"))}
    leads: dict[int, list[int]] = {}
    for cid, uid in conn.execute(text("SELECT chapter_id, user_id FROM chapter_membership "
                                      "WHERE role IN ('lead', 'co_lead') ORDER BY id")):
        leads.setdefault(cid, []).append(uid)
    teams: dict[int, list[int]] = {}
    for pid, uid in conn.execute(text("SELECT project_id, user_id FROM team_member WHERE left_at IS NULL "
                                      "ORDER BY id")):
        if pid in projects:
            teams.setdefault(pid, []).append(uid)
    threads = []  # (row, writers)
    for pid, cid in projects.items():
        writers = teams.get(pid, []) + leads.get(cid, [])
        if writers:
            threads.append(({"key": f"project:{pid}", "kind": "project", "project_id": pid}, writers))
    for mid, pid in conn.execute(text("SELECT id, project_id FROM milestone ORDER BY id")):
        if pid in projects and rng.random() < 0.3:
            writers = teams.get(pid, []) + leads.get(projects[pid], [])
            if writers:
                threads.append(({"key": f"milestone:{mid}", "kind": "milestone", "project_id": pid,
                                 "milestone_id": mid}, writers))
    for aid, pid, uid, cid in conn.execute(text("SELECT a.id, a.project_id, a.user_id, p.chapter_id FROM "
                                                "application a JOIN project p ON p.id = a.project_id ORDER BY a.id")):
        if rng.random() < 0.1:
            threads.append(({"key": f"application:{aid}", "kind": "application", "project_id": pid,
                             "application_id": aid}, [uid] + leads.get(cid, [])))
    if not threads:
        return
    wanted, message_id, messages, reads = world.sizes["messages"], 0, [], []
    per_thread = max(1, wanted // len(threads))
    for thread_id, (row, writers) in enumerate(threads, start=1):
        row.update(id=thread_id, created_at=world.ago(rng.randint(20, 200)), application_id=row.get("application_id"),
                   milestone_id=row.get("milestone_id"))
        count = min(max(1, int(rng.expovariate(1 / per_thread))), 4 * per_thread, wanted - message_id)
        if count <= 0:
            row.update(last_message_id=0, message_count=0)
            continue
        at = row["created_at"]
        for _ in range(count):
            message_id += 1
            at += timedelta(minutes=rng.randint(5, 3000))
            removed = rng.random() < 0.02
            messages.append({"id": message_id, "thread_id": thread_id, "author_id": rng.choice(writers),
                             "body": "" if removed else rng.choice(TEXTS).format(n=message_id), "created_at": at,
                             "edited_at": at + timedelta(minutes=3) if rng.random() < 0.05 else None,
                             "deleted_at": at + timedelta(hours=1) if removed else None, "deleted_by_id": None})
        row.update(last_message_id=message_id, message_count=count)
        first = message_id - count + 1
        for uid in set(writers):
            reads.append({"user_id": uid, "thread_id": thread_id, "last_read_id": rng.randint(first - 1, message_id),
                          "updated_at": at})
    world.insert("thread", [row for row, _ in threads])
    world.insert("message", messages)
    world.insert("thread_read", reads)
