"""The learning guard on a project's delivery: every current team member's goals are attested first.

projects does not import learning, so the guard is appended to the PROJECT workflow's "deliver" transition
from here (core.workflow.Workflow.add_guard), when the learning package is imported."""
from __future__ import annotations

from flask_babel import gettext as _

from learning import queries
from projects.lifecycle import PROJECT


def goals_attested(project, user):
    """Members without goals wait for nothing; those with a goal not attested yet are named."""
    waiting = queries.waiting_for_attestation(project)
    if waiting:
        return _("Waiting for an attestation of the learning goals of: %(names)s.", names=", ".join(waiting))


# Checked when "Mark as delivered" is applied (its refusal names the members still waiting), not listed in
# advance on the project page, whose statement budget this query would break; the attestations page, linked
# from the project page for the leads and mentors, shows who waits before that.
PROJECT.add_guard("deliver", goals_attested, on_apply_only=True)
