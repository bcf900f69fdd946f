"""Event sections on the chapter page, the home page, /me and portfolios."""
from core.authz import can
from core.pages import section
from events import queries


@section("chapter", "events/_chapter_events.html", order=5)
def chapter_events(chapter, user):
    return {"chapter": chapter, "events": queries.upcoming(chapter=chapter, limit=3),
            "can_create": can(user, "event.create", chapter)}


@section("home", "events/_home_events.html", order=20)
def home_events(user):
    events = queries.upcoming(limit=5)
    return {"events": events} if events else None


@section("dashboard", "events/_my_events.html", order=15)
def my_events(user):
    """On /me: the events the member is going to or waits for, and the way to their calendar."""
    return {"answers": queries.my_upcoming(user, limit=5)}


@section("profile", "events/_profile_events.html", order=25)
def attended_events(user):
    """On a portfolio: the events the member attended and the business competencies the workshops covered."""
    events = queries.attended(user)
    if not events:
        return None
    from core import vocabularies

    labels = vocabularies.labels("competency")
    covered = sorted({labels.get(code, code) for _, codes in events for code in codes}, key=str.casefold)
    return {"events": [event for event, _ in events], "covered": covered}
