"""The workflow engine: lifecycles declared as data, applied in one place.

Workflow.apply checks, in order: the transition exists and starts from the
current state, the actor holds its permission, a reason is given when one is
required, and every guard passes. Only then is the state set, the change
written to the audit log, and the transition's jobs queued for after commit.
Nothing is committed here: the calling service owns the commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from flask_babel import gettext as _

from core import audit, authz, jobs
from core.errors import TransitionRefused

Guard = Callable[[Any, Any], "str | None"]


@dataclass(frozen=True)
class Transition:
    """One allowed move: `name` takes an object from any of `sources` to `target`."""

    name: str
    sources: str | Sequence[str]
    target: str
    perm: str
    guards: Sequence[Guard] = ()
    reason_required: bool = False
    after_commit: Sequence[str] = ()
    label: Any = None

    @property
    def source_states(self) -> tuple[str, ...]:
        return (self.sources,) if isinstance(self.sources, str) else tuple(self.sources)


T = Transition


WORKFLOWS: dict[str, "Workflow"] = {}  # entity → its workflow, filled as lifecycles are declared


@dataclass
class Workflow:
    """A lifecycle: the entity it governs, the field holding its state, its transitions, and the
    label of each state. Labels are lazy strings written for this entity, so that in French they
    agree with its gender ("le projet est actif", "l’organisation est active")."""

    entity: str
    field: str
    transitions: Sequence[Transition]
    states: Sequence[str] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    wrong_state: Any = None  # "This cannot be done while the <entity> is %(state)s.", written for the entity
    _by_name: dict = field(init=False, repr=False)
    _extra_guards: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        self._extra_guards = {}
        known = set(self.states)
        for t in self.transitions:
            if known and not (set(t.source_states) | {t.target}) <= known:
                raise ValueError(f"{self.entity}.{t.name} uses a state not in {sorted(known)}")
            authz.RULES[t.perm]  # a transition must name a rule that exists
        if set(self.labels) != known:
            raise ValueError(f"{self.entity}: label every state {sorted(known)}, no more")
        WORKFLOWS[self.entity] = self

    def label(self, state: str) -> str:
        """The state's words for the reader (never the raw name)."""
        return str(self.labels[state])

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionRefused(_("Unknown action “%(name)s”.", name=name)) from None

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def available(self, obj, user) -> list[Transition]:
        """Transitions from the object's current state that `user` holds the permission for."""
        state = self.state_of(obj)
        return [t for t in self.transitions
                if state in t.source_states and authz.can(user, t.perm, obj)]

    def add_guard(self, name: str, guard: Guard, *, on_apply_only: bool = False) -> None:
        """Append a guard to transition `name` from a package the lifecycle's own package does not import
        (learning's attestations guard the project's delivery, though projects does not know learning).
        `on_apply_only`: checked when the transition is applied, not when a page lists what is not possible
        yet (for a guard that costs a query on pages already at their statement budget); the refusal still
        gives its sentence. Registering the same guard twice keeps one."""
        self.transition(name)  # the transition must exist
        guards = self._extra_guards.setdefault(name, [])
        if all(known is not guard for known, _ in guards):
            guards.append((guard, on_apply_only))

    def guards_of(self, name: str, applying: bool = False) -> list[Guard]:
        """The transition's declared guards, then those other packages added (all of them when applying)."""
        return [*self.transition(name).guards,
                *(guard for guard, on_apply_only in self._extra_guards.get(name, ()) if applying or not on_apply_only)]

    def blockers(self, obj, user, name: str, applying: bool = False) -> list[str]:
        """The sentences of every guard of `name` that fails now (`applying`: with the apply-only guards)."""
        return [msg for guard in self.guards_of(name, applying) if (msg := guard(obj, user))]

    def apply(self, obj, name: str, actor, reason: str | None = None) -> Transition:
        """Move `obj` through transition `name` on behalf of `actor`, or raise with the reason it cannot."""
        t = self.transition(name)
        state = self.state_of(obj)
        if state not in t.source_states:
            sentence = self.wrong_state or _("This cannot be done in the state “%(state)s”.")
            raise TransitionRefused(str(sentence) % {"state": self.label(state)})
        authz.require(actor, t.perm, obj)
        reason = (reason or "").strip() or None
        if t.reason_required and not reason:
            raise TransitionRefused(_("Please give a reason."))
        failed = self.blockers(obj, actor, name, applying=True)
        if failed:
            raise TransitionRefused(" ".join(failed))
        setattr(obj, self.field, t.target)
        audit.record(actor, self.entity, obj.id, t.name, state, t.target, reason)
        for job in t.after_commit:
            jobs.enqueue(job, obj.id)
        return t


def state_label(entity: str, state: str | None) -> str:
    """The label of `state` in `entity`'s workflow; a value outside every workflow (a role in the
    audit log) is shown as it is."""
    workflow = WORKFLOWS.get(entity)
    if state is None or workflow is None or state not in workflow.labels:
        return state or ""
    return workflow.label(state)
