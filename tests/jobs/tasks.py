"""Tasks the job tests enqueue by dotted name (the worker process imports them from here)."""
import os
import time
from pathlib import Path

from sqlalchemy import select

from accounts.models import User
from core.extensions import db


def mark(user_id: int) -> None:
    """Append "x" to the user's bio: run twice, it shows "xx"."""
    user = db.session.get(User, user_id)
    user.bio = (user.bio or "") + "x"


def slow_mark(user_id: int) -> None:
    """Like mark, but while SLOW_JOB_FLAG exists it says it started and then waits (to be killed)."""
    flag = os.environ.get("SLOW_JOB_FLAG")
    if flag and Path(flag).exists():
        Path(flag + ".started").write_text(str(os.getpid()))
        time.sleep(60)
    mark(user_id)


def boom(user_id: int) -> None:
    raise RuntimeError("the task failed")


def bio_of(user_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.bio).where(User.id == user_id))
