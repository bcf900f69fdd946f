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


def test_seed_demo_registers_a_partner_client_that_lucas_authorized(runner, client, auth):
    from api.oauth_models import OAuthClient
    from accounts.models import User

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    found = re.search(r"client_id=(\S+)\s+client_secret=(chps_\S+)\s+redirect_uri=(\S+)", result.output)
    partner = db.session.scalar(select(OAuthClient))
    assert found and partner.client_id == found.group(1) and partner.check_client_secret(found.group(2))
    assert partner.check_redirect_uri(found.group(3))
    auth.login_as(db.session.scalar(select(User).where(User.handle == "lucas")))
    assert "Freelance Hub (demo)" in client.get("/me/apps").get_data(as_text=True)


def test_seed_scale_makes_oauth_clients_and_tokens(runner):
    from api.oauth_models import OAuthClient, OAuthToken

    result = runner.invoke(args=["seed-scale", "--scale", "0.001", "--projects", "100", "--applications", "200",
                                 "--milestones", "150", "--oauth-clients", "5", "--oauth-tokens", "30", "--quiet"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(OAuthClient)) == 5
    assert db.session.scalar(select(func.count()).select_from(OAuthToken)) == 30
