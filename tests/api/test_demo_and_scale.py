"""The demo and scale data sets cover the API: a working demo token, and tokens at scale."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from api.models import AccessToken
from core.extensions import db
from tests.api.helpers import call


def test_seed_demo_prints_a_token_that_works(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    secret = re.search(r"API token of lucas@example.org.*\n\s+(chp_\S+)", result.output).group(1)
    assert call(client, "GET", "/api/v1/me", secret).get_json()["handle"] == "lucas"
    assert db.session.scalar(select(func.count()).select_from(AccessToken).where(AccessToken.revoked_at.is_not(None))) == 1


def test_seed_scale_makes_the_tokens_asked_for(runner):
    result = runner.invoke(args=["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "200",
                                 "--milestones", "150", "--tokens", "40", "--quiet"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 40
    users = db.session.scalars(select(AccessToken.user_id).distinct()).all()
    assert len(users) > 1 and 1 not in users
