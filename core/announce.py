"""Things that happened, announced by the services where they happen, for packages that tell the outside world.

Like core.schedule, this is a registry so that no domain package imports the one listening (webhooks sits
above projects and credentials): a service calls `announce("application.decided", application)` inside its
transaction, and every registered listener writes what it needs (outbox intents) in that same transaction.
"""
from __future__ import annotations

from typing import Any, Callable

# What may be announced: the events partners subscribe to (webhooks), with the object each one carries.
EVENTS = ("project.recruiting", "application.decided", "credential.issued", "milestone.reviewed")

Listener = Callable[[str, Any], None]
LISTENERS: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Register `listener(event, obj)`; registering it twice keeps one."""
    if listener not in LISTENERS:
        LISTENERS.append(listener)
    return listener


def announce(event: str, obj: Any) -> None:
    """Tell every listener that `event` happened to `obj` (a flushed ORM object); the caller commits."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    for listener in LISTENERS:
        listener(event, obj)
