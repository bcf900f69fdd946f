"""The limiter's in-process store counts and expires like limits' memory storage, without starting a thread
on every hit (which cost the API's reads about 3 ms each under load)."""
from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from core import ratelimit
from core.extensions import limiter


def test_the_app_limits_with_the_inline_store(app):
    assert isinstance(limiter.storage, ratelimit.InlineMemoryStorage)


def test_counts_limit_and_expire_without_starting_threads(monkeypatch):
    storage = storage_from_string("inline-memory://")
    window = FixedWindowRateLimiter(storage)
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    three = parse("3 per second")
    assert [window.hit(three, "token") for _ in range(4)] == [True, True, True, False]
    for _ in range(200):
        window.hit(parse("1000 per second"), "other")
    assert started == []
    monkeypatch.setattr(ratelimit, "CLEAN_EVERY", 0.0)
    time.sleep(1.05)
    assert window.hit(three, "token")  # a new window
    storage.incr("short", expiry=0.01)
    time.sleep(0.02)
    storage.incr("token", expiry=1)  # cleaning on this hit removes the expired counter
    assert "short" not in storage.storage and started == []
