"""The workflow engine, on a throw-away lifecycle (the real ones have their own tests)."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from core import authz, jobs, workflow
from core.audit import AuditEvent
from core.errors import TransitionRefused
from core.extensions import db
from core.workflow import T, Workflow
from tests.factories import make_user


@pytest.fixture
def lifecycle(monkeypatch):
    monkeypatch.setattr(workflow, "WORKFLOWS", dict(workflow.WORKFLOWS))  # the registry forgets this one after
    monkeypatch.setitem(authz.RULES, "thing.move", lambda user, thing: user.is_authenticated and user.handle != "nobody")
    needs_title = lambda thing, user: None if thing.title else "Give it a title first."  # noqa: E731
    labels = {"draft": "in draft", "live": "live", "gone": "gone"}
    return Workflow("thing", field="state", states=("draft", "live", "gone"), labels=labels, transitions=[
        T("publish", "draft", "live", perm="thing.move", guards=[needs_title],
          after_commit=["tests.core.test_workflow.record_job"]),
        T("remove", ("draft", "live"), "gone", perm="thing.move", reason_required=True),
    ])


RAN: list = []


def record_job(thing_id):
    RAN.append(thing_id)


def thing(**fields):
    return SimpleNamespace(**{"id": 7, "state": "draft", "title": "A title", **fields})


def test_apply_sets_the_state_and_writes_the_audit_log(app, lifecycle):
    actor = make_user()
    item = thing()
    lifecycle.apply(item, "remove", actor, reason="  Duplicate  ")
    db.session.commit()
    assert item.state == "gone"
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_id, event.entity_type, event.entity_id, event.action) == (actor.id, "thing", 7, "remove")
    assert (event.from_state, event.to_state, event.reason) == ("draft", "gone", "Duplicate")


def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(app, lifecycle):
    item = thing(state="gone")
    with pytest.raises(TransitionRefused):
        lifecycle.apply(item, "publish", make_user())
    assert item.state == "gone"
    assert db.session.scalar(select(AuditEvent)) is None


def test_permission_is_checked(app, lifecycle):
    item = thing()
    with pytest.raises(Forbidden):
        lifecycle.apply(item, "publish", make_user("nobody"))
    assert item.state == "draft"


def test_a_failing_guard_says_why(app, lifecycle):
    item = thing(title="")
    with pytest.raises(TransitionRefused, match="Give it a title first."):
        lifecycle.apply(item, "publish", make_user())
    assert item.state == "draft"
    assert lifecycle.blockers(item, None, "publish") == ["Give it a title first."]


def test_a_required_reason_must_be_given(app, lifecycle):
    with pytest.raises(TransitionRefused, match="reason"):
        lifecycle.apply(thing(), "remove", make_user(), reason="   ")


def test_unknown_transition_is_refused(app, lifecycle):
    with pytest.raises(TransitionRefused):
        lifecycle.apply(thing(), "explode", make_user())


def test_available_lists_only_what_the_user_may_do_from_this_state(app, lifecycle):
    user, nobody = make_user(), make_user("nobody")
    assert [t.name for t in lifecycle.available(thing(), user)] == ["publish", "remove"]
    assert [t.name for t in lifecycle.available(thing(state="live"), user)] == ["remove"]
    assert lifecycle.available(thing(), nobody) == []


def test_jobs_run_after_commit_and_never_after_rollback(app, lifecycle):
    RAN.clear()
    lifecycle.apply(thing(), "publish", make_user())
    assert RAN == []  # not before the commit
    db.session.commit()
    assert RAN == [7]
    lifecycle.apply(thing(), "publish", make_user(commit=False))
    db.session.rollback()
    db.session.commit()
    assert RAN == [7]


def test_a_workflow_must_name_existing_rules_and_states():
    with pytest.raises(KeyError):
        Workflow("x", field="s", transitions=[T("go", "a", "b", perm="no.such.rule")])
    with pytest.raises(ValueError):
        Workflow("x", field="s", states=("a",), transitions=[T("go", "a", "b", perm="admin.access")])


def test_jobs_resolve_by_dotted_name():
    assert jobs.resolve("tests.core.test_workflow.record_job") is record_job


def test_another_package_adds_guards_and_apply_only_ones_are_checked_only_when_applied(app, lifecycle):
    user = make_user("mover")
    shown = lambda thing, user: "Shown in advance." if thing.shown else None  # noqa: E731
    costly = lambda thing, user: "Checked when applied." if thing.costly else None  # noqa: E731
    lifecycle.add_guard("publish", shown)
    lifecycle.add_guard("publish", shown)  # once only
    lifecycle.add_guard("publish", costly, on_apply_only=True)
    with pytest.raises(TransitionRefused):
        lifecycle.add_guard("fly", shown)
    thing = SimpleNamespace(id=1, title="A title", state="draft", shown=True, costly=True)
    assert lifecycle.blockers(thing, user, "publish") == ["Shown in advance."]
    assert lifecycle.blockers(thing, user, "publish", applying=True) == ["Shown in advance.", "Checked when applied."]
    thing.shown = False
    assert lifecycle.blockers(thing, user, "publish") == []
    with pytest.raises(TransitionRefused, match="Checked when applied."):
        lifecycle.apply(thing, "publish", user)
    assert thing.state == "draft"
    thing.costly = False
    lifecycle.apply(thing, "publish", user)
    assert thing.state == "live"
    db.session.rollback()
