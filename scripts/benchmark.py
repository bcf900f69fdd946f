"""Benchmark Chapterhouse's main pages against the scale data set, next to a bare Flask app.

    .venv/bin/python scripts/benchmark.py [--database sqlite|postgresql] [--scale 1] [--duration 5] [--pages NAME…]

Builds the scale data set once per database and scale (instance/benchmark/, reused while its marker file
exists; `flask db upgrade` runs every time, so new indexes apply), starts Chapterhouse and a minimal Flask
app under the same gunicorn settings (2 sync workers on 127.0.0.1), and measures with wrk in one run:
requests/s with 16 connections, p50/p95 latency with one connection, the SQL statements each page runs
(counted in-process with a before_cursor_execute listener) and the peak RSS of a gunicorn worker.
Prints machine facts and a Markdown table. To benchmark a new page, add one line to PAGES (and, if it
needs an id, one query to SAMPLES).
"""
from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_DIR = ROOT / "instance" / "benchmark"
SECRET = "benchmark-only-secret"
PASSWORD = "scale-password-1"  # accounts/scale.py SCALE_PASSWORD


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may name SAMPLES in braces: /projects/{project}
    signed_in: str | None = None  # a key of SIGN_INS


PAGES = [
    Page("home", "/"),
    Page("projects", "/projects/"),
    Page("projects, two filters", "/projects/?skill=python&status=recruiting"),
    Page("projects, free text", "/projects/?q=food"),
    Page("projects, page 50", "/projects/?page=50"),
    Page("projects, newest", "/projects/?sort=newest"),
    Page("search", "/search?q=food"),
    Page("search, people page 2", "/search?q=an&kind=people&page=2"),
    Page("project", "/projects/{project}"),
    Page("chapter", "/chapters/{chapter}"),
    Page("chapter events", "/chapters/{chapter}/events"),
    Page("event", "/events/{event}"),
    Page("sponsors", "/sponsors/"),
    Page("sponsor", "/sponsors/{sponsor}"),
    Page("portfolio", "/u/{handle}"),
    Page("portfolio with competencies", "/u/{learner}"),
    Page("credential", "/credentials/{credential}"),
    Page("credential JSON", "/credentials/{credential}.json"),
    Page("business skills", "/learning/"),
    Page("competency", "/learning/scoping.pricing"),
    Page("projects by competency", "/projects/?competency=scoping.pricing&status=recruiting"),
    Page("API projects", "/api/v1/projects"),
    Page("API project", "/api/v1/projects/{project}"),
    Page("me (signed in)", "/me", signed_in="lead"),
    Page("sponsor dashboard (signed in)", "/sponsors/{sponsor}/dashboard", signed_in="sponsor_admin"),
]

# The pages' ids: the busiest ones, so that the figures are the worst case, not the average.
BIGGEST_CHAPTER = ("SELECT c.id FROM chapter c JOIN chapter_membership m ON m.chapter_id = c.id "
                   "WHERE c.status = 'active' GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1")
BIGGEST_SPONSOR = ("SELECT o.slug FROM sponsor_organisation o JOIN sponsorship s ON s.organisation_id = o.id "
                   "WHERE o.status = 'active' AND s.status = 'confirmed' GROUP BY o.id, o.slug "
                   "ORDER BY count(*) DESC, o.id LIMIT 1")
SAMPLES = {
    "chapter": f"SELECT slug FROM chapter WHERE id = ({BIGGEST_CHAPTER})",
    # The event with the most answers (its organisers' list of who is going and waiting is the longest).
    "event": "SELECT r.event_id FROM rsvp r GROUP BY r.event_id ORDER BY count(*) DESC, r.event_id LIMIT 1",
    # (Not one whose team holds the sponsor's admin, who must see it as a sponsor at every data size.)
    "project": "SELECT a.project_id FROM application a JOIN project p ON p.id = a.project_id "
               f"WHERE p.status = 'active' AND p.chapter_id = ({BIGGEST_CHAPTER}) AND p.id NOT IN "
               "(SELECT t.project_id FROM team_member t JOIN sponsor_member m ON m.user_id = t.user_id "
               "AND m.role = 'admin' JOIN sponsor_organisation o ON o.id = m.organisation_id "
               f"WHERE o.slug = ({BIGGEST_SPONSOR})) "
               "GROUP BY a.project_id ORDER BY count(*) DESC, a.project_id LIMIT 1",
    "sponsor": BIGGEST_SPONSOR,
    # The member on the most teams among those who hold a valid credential (so the portfolio lists credentials
    # and the skills they taught).
    "handle": "SELECT u.handle FROM \"user\" u JOIN team_member t ON t.user_id = u.id WHERE NOT u.profile_hidden "
              "AND EXISTS (SELECT 1 FROM credential c WHERE c.recipient_id = u.id AND c.revoked_at IS NULL) "
              "GROUP BY u.id, u.handle ORDER BY count(*) DESC, u.id LIMIT 1",
    # The member with the most attested goals on delivered projects (the longest public competency profile).
    "learner": "SELECT u.handle FROM \"user\" u JOIN team_member t ON t.user_id = u.id AND t.left_at IS NULL "
               "JOIN project p ON p.id = t.project_id AND p.status = 'delivered' "
               "JOIN learning_goal g ON g.team_member_id = t.id JOIN goal_attestation a ON a.goal_id = g.id "
               "WHERE NOT u.profile_hidden AND u.suspended_at IS NULL "
               "GROUP BY u.id, u.handle ORDER BY count(*) DESC, u.id LIMIT 1",
    # A valid credential of the project with the most accepted milestones (the longest evidence list), held by
    # a member whose profile the page names and links.
    "credential": "SELECT c.uuid FROM credential c JOIN \"user\" u ON u.id = c.recipient_id AND NOT u.profile_hidden "
                  "JOIN milestone m ON m.project_id = c.project_id AND m.status = 'accepted' "
                  "WHERE c.revoked_at IS NULL GROUP BY c.id, c.uuid ORDER BY count(*) DESC, c.id LIMIT 1",
}

# Who signs in: the lead of the biggest chapter, who sees the lead-only parts of its pages.
SIGN_INS = {
    "lead": "SELECT u.email FROM \"user\" u JOIN chapter_membership m ON m.user_id = u.id AND m.role = 'lead' "
            f"WHERE m.chapter_id = ({BIGGEST_CHAPTER})",
    # The admin of the sponsor page's organisation (for its dashboard).
    "sponsor_admin": "SELECT u.email FROM \"user\" u JOIN sponsor_member m ON m.user_id = u.id AND m.role = 'admin' "
                     "JOIN sponsor_organisation o ON o.id = m.organisation_id "
                     f"WHERE o.slug = ({SAMPLES['sponsor']})",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        log("Installing wrk (Debian package)...")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "wrk"],
                       check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


# ---------------------------------------------------------------- the database and its data set

@contextlib.contextmanager
def database(kind: str, scale: float, rebuild: bool):
    """Yield the URL of a database holding the scale data set, building it when not there yet."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    key = f"{kind}-scale-{scale:g}"
    marker = BENCH_DIR / f"{key}.done"
    if rebuild and marker.exists():
        marker.unlink()
    if kind == "sqlite":
        path = BENCH_DIR / f"{key}.db"
        if not marker.exists() and path.exists():
            path.unlink()
        url = f"sqlite:///{path}"
        prepare(url, scale, marker)
        yield url, marker.read_text().strip()
        return
    folder = BENCH_DIR / key
    if not marker.exists() and folder.exists():
        subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "stop", str(folder)], check=False)
    out = subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "start", str(folder)], check=True,
                         capture_output=True, text=True).stdout
    url = re.search(r"PG_URL=(\S+)", out).group(1)
    try:
        prepare(url, scale, marker)
        yield url, marker.read_text().strip()
    finally:
        subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "stop", str(folder), "--keep"], check=False)


def flask(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "FLASK_APP": "app"}
    env.pop("REDIS_URL", None)
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr)


def prepare(url: str, scale: float, marker: Path) -> None:
    flask(url, "db", "upgrade")
    if marker.exists():
        log(f"Reusing the data set of {marker.stem} ({marker.read_text().strip()}).")
        return
    started = time.perf_counter()
    flask(url, "seed-scale", "--scale", f"{scale:g}", "--force", "--quiet")
    marker.write_text(f"seed-scale took {time.perf_counter() - started:.0f} s\n")
    log(marker.read_text().strip())


def samples(url: str) -> dict[str, str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = {name: str(connection.scalar(text(sql))) for name, sql in SAMPLES.items()}
        found.update({f"signin:{name}": connection.scalar(text(sql)) for name, sql in SIGN_INS.items()})
        found["version"] = (connection.scalar(text("SELECT version()")) if engine.dialect.name == "postgresql"
                            else "SQLite " + connection.scalar(text("SELECT sqlite_version()")))
        found["rows"] = sum(connection.scalar(text(f'SELECT count(*) FROM "{table}"'))
                            for table in ("user", "chapter", "project", "application", "milestone",
                                          "sponsor_organisation", "sponsorship", "credential"))
    engine.dispose()
    return found


# ---------------------------------------------------------------- SQL statements, in-process

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) or match.group(2)


def baseline_cpu_ms() -> float:
    sys.path.insert(0, str(ROOT / "scripts"))
    from baseline_app import app

    return cpu_ms(app.test_client(), "/", 200)


def count_statements(url: str, found: dict, page_cache: bool) -> dict[str, tuple[int, int, float]]:
    """Each page's (status, SQL statements, CPU ms) with the Flask test client, after one warm-up request
    (with the page cache on, visitors' pages then come from it)."""
    os.environ.update(SECRET_KEY=SECRET)
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from app import create_app
    from core.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "inline-memory://",
                      "PAGE_CACHE": page_cache})
    statements: list[str] = []
    clients = {None: app.test_client()}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for name in SIGN_INS:
        client = clients[name] = app.test_client()
        token = csrf_token(client.get("/auth/login").get_data(as_text=True))
        response = client.post("/auth/login", data={"email": found[f"signin:{name}"], "password": PASSWORD,
                                                    "csrf_token": token})
        assert response.status_code == 302, f"sign-in as {name} failed ({response.status_code})"
    counts = {}
    for page in PAGES:
        client, path = clients[page.signed_in], page.path.format(**found)
        client.get(path)
        statements.clear()
        status = client.get(path).status_code
        counts[page.name] = (status, len(statements), cpu_ms(client, path))
    return counts


def cpu_ms(client, path: str, requests: int = 20) -> float:
    """CPU time of one request in this process (app and database driver; SQLite's work included, a
    PostgreSQL server's not): a figure that other load on the machine barely changes, unlike req/s."""
    started = time.process_time()
    for _ in range(requests):
        client.get(path)
    return (time.process_time() - started) / requests * 1000


# ---------------------------------------------------------------- gunicorn, wrk and worker memory

@contextlib.contextmanager
def gunicorn(target: str, url: str | None, chdir: Path, **settings: str):
    port = free_port()
    env = {**os.environ, "SECRET_KEY": SECRET, **settings}
    env.pop("REDIS_URL", None)
    if url:
        env["DATABASE_URL"] = url
    process = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync",
                                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(chdir),
                                target], env=env)
    try:
        wait_for(port)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port}")


def workers(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """Samples the workers' RSS every 50 ms; `take()` returns the peak since the last call."""

    def __init__(self, master: int):
        self.master, self.peak, self.running = master, 0.0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while self.running:
            self.peak = max([self.peak, *(rss_mb(pid) for pid in workers(self.master))])
            time.sleep(0.05)

    def take(self) -> float:
        peak, self.peak = self.peak, 0.0
        return peak

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def wrk(url: str, connections: int, duration: float, cookie: str | None = None) -> dict:
    command = [shutil.which("wrk"), "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s",
               "-s", str(ROOT / "scripts/wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = dict(pair.split("=") for pair in re.search(r"BENCH (.*)", output).group(1).split())
    figures = {k: int(v) for k, v in figures.items()}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def measure(url: str, duration: float, cookie: str | None = None) -> dict:
    wrk(url, 2, 1, cookie)  # warm both workers up
    throughput = wrk(url, 16, duration, cookie)
    latency = wrk(url, 1, duration, cookie)
    errors = throughput["non2xx"] + latency["non2xx"] + throughput["socket_errors"] + latency["socket_errors"]
    return {"rps": throughput["rps"], "p50": latency["p50"] / 1000, "p95": latency["p95"] / 1000,
            "errors": errors}


def sign_in(port: int, email: str) -> str:
    """Post the sign-in form with its CSRF token, as a browser does; return the Cookie header's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    token = csrf_token(opener.open(f"{base}/auth/login").read().decode())
    form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/auth/login", data=form).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookie:
        raise RuntimeError(f"could not sign in as {email}")
    return cookie


# ---------------------------------------------------------------- the report

def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return [f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {cpu}, {os.cpu_count()} cores, {memory:,} MB RAM, {platform.platform()}",
            f"- Python {platform.python_version()}; load average before the run: "
            f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"]


def table(baseline: dict, results: dict, statements: dict, rendered: dict, unstored: dict) -> list[str]:
    """One row per page: the site as it runs (visitors' pages from the page cache), then the same pages
    rendered on every request (PAGE_CACHE=off), which is what a visitor's first request or a member costs."""
    lines = ["| page | req/s (16 conn.) | ratio to baseline | p50 ms | p95 ms (1 conn.) | SQL statements "
             "| CPU ms in-process | peak worker RSS MB | rendered every time: req/s · ratio · p95 ms · SQL · CPU ms "
             "| status |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
             f"| baseline (bare Flask) | {baseline['rps']:,.0f} | 1.00 | {baseline['p50']:.1f} | "
             f"{baseline['p95']:.1f} | 0 | {baseline['cpu']:.2f} | {baseline['rss']:.0f} | | 200 |"]
    for page in PAGES:
        r = results[page.name]
        status, count, cpu = statements[page.name]
        note = str(status) + (f", {r['errors']} errors" if r["errors"] else "")
        _, rendered_count, rendered_cpu = rendered[page.name]
        u = unstored.get(page.name, r)  # members' pages are never stored: one run measures both
        note += f", {u['errors']} errors rendered" if u is not r and u["errors"] else ""
        lines.append(f"| {page.name} `{page.path}` | {r['rps']:,.0f} | {r['rps'] / baseline['rps']:.2f} | "
                     f"{r['p50']:.1f} | {r['p95']:.1f} | {count} | {cpu:.1f} | {r['rss']:.0f} | "
                     f"{u['rps']:,.0f} · {u['rps'] / baseline['rps']:.2f} · {u['p95']:.1f} · {rendered_count} · "
                     f"{rendered_cpu:.1f} | {note} |")
    return lines


def measure_pages(port: int, master: int, found: dict, pages: list[Page], duration: float) -> dict:
    cookies = {name: sign_in(port, found[f"signin:{name}"]) for name in SIGN_INS
               if any(page.signed_in == name for page in pages)}
    memory = PeakMemory(master)
    results = {}
    for page in pages:
        path = page.path.format(**found)
        log(f"Measuring {page.name}: {path}")
        memory.take()
        results[page.name] = measure(f"http://127.0.0.1:{port}{path}", duration, cookies.get(page.signed_in))
        results[page.name]["rss"] = memory.take()
    memory.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0, help="seed-scale --scale (1 = the default sizes)")
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set even if it exists")
    parser.add_argument("--pages", nargs="+", metavar="NAME",
                        help="measure only these pages (their names in PAGES), e.g. --pages projects project "
                             "'API projects' 'API project'")
    args = parser.parse_args()
    if args.pages:
        unknown = set(args.pages) - {page.name for page in PAGES}
        if unknown:
            parser.error(f"no such page: {', '.join(sorted(unknown))}")
        PAGES[:] = [page for page in PAGES if page.name in args.pages]
    ensure_wrk()
    with database(args.database, args.scale, args.rebuild) as (url, seeded):
        found = samples(url)
        log("Counting SQL statements in-process...")
        statements = count_statements(url, found, page_cache=True)
        rendered = count_statements(url, found, page_cache=False)
        log("Measuring the baseline...")
        with gunicorn("baseline_app:app", None, ROOT / "scripts") as (port, master):
            memory = PeakMemory(master)
            baseline = measure(f"http://127.0.0.1:{port}/", args.duration)
            baseline["rss"] = memory.take()
            memory.stop()
        baseline["cpu"] = baseline_cpu_ms()
        # wrk calls from one address: the API's per-address allowance would answer 429 within a second.
        with gunicorn("app:create_app()", url, ROOT, API_RATE_LIMIT="10000000 per minute") as (port, master):
            results = measure_pages(port, master, found, PAGES, args.duration)
        log("Measuring visitors' pages rendered every time (PAGE_CACHE=off)...")
        with gunicorn("app:create_app()", url, ROOT, PAGE_CACHE="off",
                      API_RATE_LIMIT="10000000 per minute") as (port, master):
            unstored = measure_pages(port, master, found, [p for p in PAGES if not p.signed_in], args.duration)
    report = [f"### {args.database}, scale {args.scale:g} ({found['rows']:,} rows in the main tables)", "",
              *machine(), f"- Database: {found['version'].split(' on ')[0]}; data set: {seeded}",
              f"- wrk: 1 thread, 16 connections for req/s, 1 connection for latency, {args.duration:g} s each;"
              " gunicorn: 2 sync workers", "", *table(baseline, results, statements, rendered, unstored)]
    print("\n".join(report))


if __name__ == "__main__":
    main()
