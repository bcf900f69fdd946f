#!/usr/bin/env python3
"""Benchmark: issue and sign N credentials (Data Integrity proof + VC-JWT) into a fresh SQLite
database, report credentials per second, then time the public credential page.

    .venv/bin/python scripts/benchmark_credentials.py [--credentials 10000] [--team 10]
        [--workers 1|2] [--requests 200] [--profile]

The data (one chapter, delivered projects of `--team` members with two accepted milestones,
three skills and two SDGs each) is created first and not timed. Issuing runs the real service,
credentials.issuing.issue_for_project, one transaction per project as the background job does.
With --workers 2 the projects are shared between two processes (each with its own app and
database connection; SQLite in WAL mode). --profile prints where the time goes (cProfile).
The page timings are medians over --requests requests with Flask's test client: the public page
/credentials/<uuid>, its JSON /credentials/<uuid>.json and the status list.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SECRET_KEY", "benchmark-only")

from sqlalchemy import event, func, insert, select  # noqa: E402

BASE_URL = "https://bench.chapterhouse.example"


def make_app(folder: str):
    from app import create_app
    from core.config import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "TESTING": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                      "BASE_URL": BASE_URL, "CREDENTIAL_KEYS_FILE": f"{folder}/keys.json",
                      "MAIL_FOLDER": f"{folder}/mail"})
    from core.extensions import db

    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def _wal(dbapi_connection, record):  # two writer processes: WAL lets readers and one writer overlap
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA busy_timeout=30000")
    return app


def create_data(app, credentials: int, team: int) -> list[int]:
    """Users, one chapter and delivered projects (bulk inserts, not timed); returns the project ids."""
    from accounts.models import Skill, User
    from chapters.models import Chapter, ChapterMembership
    from core.audit import utcnow
    from core.extensions import db
    from projects.models import Milestone, Project, ProjectImpact, TeamMember, project_skill

    with app.app_context():
        db.create_all()
        now = utcnow()
        db.session.execute(insert(User), [{"email": f"member{n}@example.org", "handle": f"member{n}",
                                           "name": f"Member {n}", "password_hash": "x",
                                           "locale": "fr" if n % 2 else "en"} for n in range(credentials)])
        db.session.add(Chapter(slug="bench", name="Benchmark Chapter", city="Lyon", country="FR", status="active"))
        db.session.flush()
        chapter_id = db.session.scalar(select(Chapter.id))
        db.session.add(ChapterMembership(chapter_id=chapter_id, user_id=1, role="lead"))
        skills = [Skill(slug=s.lower(), name=s) for s in ("Python", "Cartography", "Facilitation")]
        db.session.add_all(skills)
        db.session.flush()
        user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
        projects = len(user_ids) // team
        db.session.execute(insert(Project), [
            {"chapter_id": chapter_id, "title": f"Clean water map {n}", "summary": "Map every water point.",
             "problem": "Nobody knows where they are.", "learning_outcomes": "Mapping\nFacilitation",
             "status": "delivered", "team_min": 1, "team_max": team, "team_size": team,
             "start_date": date.today() - timedelta(days=60), "end_date": date.today(),
             "status_changed_at": now} for n in range(projects)])
        project_ids = list(db.session.scalars(select(Project.id).order_by(Project.id)))
        db.session.execute(insert(project_skill), [{"project_id": p, "skill_id": s.id}
                                                   for p in project_ids for s in skills])
        db.session.execute(insert(ProjectImpact), [{"project_id": p, "sdg": sdg} for p in project_ids for sdg in (6, 11)])
        db.session.execute(insert(Milestone), [
            {"project_id": p, "position": n, "title": f"Milestone {n}", "due_date": date.today(),
             "status": "accepted", "accepted_at": now} for p in project_ids for n in (1, 2)])
        db.session.execute(insert(TeamMember), [
            {"project_id": project_ids[i // team], "user_id": user_id, "role": "contributor"}
            for i, user_id in enumerate(user_ids[: projects * team])])
        db.session.commit()
        return project_ids


def issue(app, project_ids: list[int]) -> tuple[int, float]:
    """Issue every project's credentials, one transaction per project (as the job does);
    returns how many and the CPU seconds this process spent."""
    from core.extensions import db
    from credentials.issuing import issue_for_project

    issued, cpu = 0, time.process_time()
    with app.app_context():
        for project_id in project_ids:
            issued += len(issue_for_project(project_id))
            db.session.commit()
    return issued, time.process_time() - cpu


def _worker(args) -> tuple[int, float]:
    folder, project_ids = args
    return issue(make_app(folder), project_ids)


def time_issuing(app, folder: str, project_ids: list[int], workers: int,
                 profile: bool) -> tuple[int, float, float]:
    """(credentials issued, wall-clock seconds, CPU seconds of the issuing processes)."""
    with app.app_context():
        from credentials import keys

        keys.current_key()  # create the key file once, before any worker starts
    started = time.perf_counter()
    if workers > 1:
        shares = [project_ids[n::workers] for n in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_worker, [(folder, share) for share in shares]))
        issued, cpu = sum(r[0] for r in results), sum(r[1] for r in results)
    elif profile:
        profiler = cProfile.Profile()
        issued, cpu = profiler.runcall(issue, app, project_ids)
        report(profiler)
    else:
        issued, cpu = issue(app, project_ids)
    return issued, time.perf_counter() - started, cpu


def report(profiler: cProfile.Profile) -> None:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
    stats.print_stats(35)
    print(stream.getvalue())


def time_requests(app, path: str, requests: int) -> tuple[float, int]:
    client = app.test_client()
    client.get(path)  # warm up (first verification fills the in-process cache)
    durations = []
    status = 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        durations.append(time.perf_counter() - started)
        status = response.status_code
    return statistics.median(durations) * 1000, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credentials", type=int, default=10_000)
    parser.add_argument("--team", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        project_ids = create_data(app, options.credentials, options.team)
        issued, seconds, cpu = time_issuing(app, folder, project_ids, options.workers, options.profile)
        print(f"Issued and signed {issued} credentials (Data Integrity proof + VC-JWT) in {seconds:.1f} s "
              f"with {options.workers} process(es): {issued / seconds:.0f} credentials/s "
              f"({issued / cpu:.0f} per CPU-second; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores)")
        from core.extensions import db
        from credentials.models import Credential

        with app.app_context():
            total = db.session.scalar(select(func.count()).select_from(Credential))
            uuid = db.session.scalar(select(Credential.uuid).order_by(Credential.id.desc()).limit(1))
        assert total == issued, (total, issued)
        for path in (f"/credentials/{uuid}", f"/credentials/{uuid}.json", "/credentials/status/1"):
            median, status = time_requests(app, path, options.requests)
            print(f"GET {path.replace(uuid, '<uuid>')}: median {median:.2f} ms over {options.requests} requests "
                  f"(status {status})")

if __name__ == "__main__":
    main()
