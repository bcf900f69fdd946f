"""Per-user facts remembered on a model object: asked once per user, then kept for the object's life.

Pages ask the same question (is this user a lead, a team member, a sponsor reviewer?) many times of
one object; the answer is one query the first time. Services that change the answer call `forget`.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import has_request_context, request


def per_user(obj, cache: str, user, load: Callable[[], Any], anonymous: Any = None) -> Any:
    """`load()`'s answer for this signed-in user, remembered on `obj` under `cache`; visitors get `anonymous`."""
    if not getattr(user, "is_authenticated", False):
        return anonymous
    answers = obj.__dict__.setdefault(cache, {})
    if user.id not in answers:
        answers[user.id] = load()
    return answers[user.id]


def remember(obj, cache: str, user, answer: Any) -> None:
    """Prime the answer from a query that already loaded it."""
    if getattr(user, "is_authenticated", False):
        obj.__dict__.setdefault(cache, {})[user.id] = answer


def forget(obj, cache: str) -> None:
    obj.__dict__.pop(cache, None)


def per_request(cache: str, user, load: Callable[[], Any]) -> Any:
    """`load()`'s answer for this user, kept for the current request only, so that the sections of one page
    share it (on the request object itself: an app context, and so `g`, may outlive several requests in
    tests). Outside a request it is asked each time."""
    if not has_request_context():
        return load()
    answers = request._get_current_object().__dict__.setdefault(cache, {})
    if user.id not in answers:
        answers[user.id] = load()
    return answers[user.id]
