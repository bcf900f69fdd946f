"""Real servers for the tests, on 127.0.0.1: a private Redis that a test may stop and restart,
an in-process SMTP server (aiosmtpd), RQ worker processes running `flask worker`, and the app itself
served over HTTP (LiveServer)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

from werkzeug.serving import make_server

from core.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 20, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class RedisServer:
    """A redis-server of the test's own (so stopping it does not disturb the others)."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="chapterhouse-redis-test.")
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        subprocess.run([shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port),
                        "--save", "", "--appendonly", "no", "--dir", self.dir, "--daemonize", "yes",
                        "--pidfile", f"{self.dir}/redis.pid", "--logfile", f"{self.dir}/redis.log"], check=True)
        # The pidfile appears a moment after the port opens; stop() needs it.
        wait_for(lambda: port_open(self.port) and Path(self.dir, "redis.pid").exists(), what="redis-server")
        return self

    def stop(self) -> None:
        pidfile = Path(self.dir, "redis.pid")
        if pidfile.exists():
            pid = int(pidfile.read_text())
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            wait_for(lambda: not port_open(self.port), what="redis-server to stop")
            wait_for(lambda: not pidfile.exists(), what="redis-server to exit")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class MailSink:
    """An SMTP server in this process that keeps what it receives; stop() makes it refuse connections."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def start(self) -> "MailSink":
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list:
        return [msg for rcpts, msg in self.messages if address in rcpts]

    def config(self) -> dict:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_STARTTLS": False}


def worker_env(app, **extra) -> dict:
    """The environment of a worker process that shares the test's database and Redis."""
    config = app.config
    env = {**os.environ, "FLASK_APP": "app", "SECRET_KEY": config["SECRET_KEY"],
           "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": config["REDIS_URL"],
           "MAIL_FOLDER": config["MAIL_FOLDER"], "BASE_URL": config["BASE_URL"],
           "JOBS_LEASE": str(config["JOBS_LEASE"]), "PYTHONUNBUFFERED": "1"}
    if config.get("SMTP_HOST"):
        env.update(SMTP_HOST=config["SMTP_HOST"], SMTP_PORT=str(config["SMTP_PORT"]),
                   SMTP_STARTTLS="true" if config["SMTP_STARTTLS"] else "false")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def flask_command(*args) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app", *args]


def run_worker_burst(app, timeout: float = 60, **extra) -> subprocess.CompletedProcess:
    """Run `flask worker --burst` to completion: every queued job runs, then it exits."""
    result = subprocess.run(flask_command("worker", "--burst"), cwd=ROOT, env=worker_env(app, **extra),
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def start_worker(app, **extra) -> subprocess.Popen:
    """A long-running `flask worker` in a process group of its own (its job children included)."""
    return subprocess.Popen(flask_command("worker"), cwd=ROOT, env=worker_env(app, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def kill_worker(process: subprocess.Popen, sig=signal.SIGKILL, job_pid: int | None = None) -> str:
    """Send `sig` to the worker's process group and, when given, to the process running the job
    (RQ starts each job in a session of its own, so the worker's group does not include it)."""
    if job_pid:
        try:
            os.killpg(job_pid, sig)
        except ProcessLookupError:
            pass
    os.killpg(process.pid, sig)
    output, _ = process.communicate(timeout=30)
    return output


class LiveServer:
    """The app served by werkzeug in a daemon thread; `app` gives the test access to its database."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    @contextmanager
    def app_context(self):
        """Work on the server's database from the test (factories), then release the session."""
        with self.app.app_context():
            try:
                yield
            finally:
                db.session.remove()
