"""Credential jobs (run through core.jobs: ids only, no commit, idempotent)."""
from __future__ import annotations

from credentials import issuing


def issue_for_project(project_id: int) -> int:
    """Issue one credential per current team member of a delivered project, exactly once
    (enqueued by the PROJECT `deliver` transition); returns how many were issued now."""
    return len(issuing.issue_for_project(project_id))
