"""The rate limiter's store inside one process (no Redis): limits' memory storage, cleaned up inline.

limits' MemoryStorage removes expired counters in a threading.Timer of 10 ms that it starts again on the next
hit once the last one ran: under load that is a new thread every 10 ms, and starting one waits for it to run,
about 3 ms of every limited request (the API's; scripts/benchmark.py measured its reads slower than the HTML
pages because of it). Counters are checked for expiry when read anyway, so the clean-up only bounds memory:
here it runs inline, at most once a second, with no thread at all."""
from __future__ import annotations

import time

from limits.storage import MemoryStorage

CLEAN_EVERY = 1.0  # seconds


class InlineMemoryStorage(MemoryStorage):
    """limits' MemoryStorage, cleaned up inline at most once a second instead of by a new Timer thread."""

    STORAGE_SCHEME = ["inline-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self._cleaned_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces MemoryStorage.__schedule_expiry
        now = time.monotonic()
        if now - self._cleaned_at >= CLEAN_EVERY:
            self._cleaned_at = now
            self._MemoryStorage__expire_events()
