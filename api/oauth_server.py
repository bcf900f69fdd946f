"""The OAuth 2.0 authorization server (Authlib): authorization code with PKCE S256 for every client, refresh
tokens that rotate, revocation (RFC 7009) and the server's metadata (RFC 8414)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask, current_app, url_for
from sqlalchemy import or_, select

from api.models import SCOPES, hash_secret
from api.oauth_models import ACCESS_PREFIX, REFRESH_PREFIX, OAuthClient, OAuthCode, OAuthToken
from core import audit
from core.audit import as_utc, utcnow
from core.extensions import db

ACCESS_SECONDS = 3600
CODE_MINUTES = 10
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def _usable_user(user):
    return None if user is None or user.is_suspended or user.deleted_at else user


class S256Only(CodeChallenge):
    """PKCE for every client, confidential ones too, and only S256: a `plain` challenge is refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge and code_challenge_method=S256.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only code_challenge_method=S256 is supported.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'.")
        super().validate_code_verifier(grant, result)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def save_authorization_code(self, code, request):
        data = request.payload.data
        db.session.add(OAuthCode(code_hash=hash_secret(code), client_id=request.client.id, user_id=request.user.id,
                                 redirect_uri=request.payload.redirect_uri, scope=request.scope,
                                 code_challenge=data["code_challenge"],
                                 code_challenge_method=data["code_challenge_method"],
                                 expires_at=utcnow() + timedelta(minutes=CODE_MINUTES)))

    def query_authorization_code(self, code, client):
        found = db.session.scalar(select(OAuthCode).where(OAuthCode.code_hash == hash_secret(code),
                                                          OAuthCode.client_id == client.id))
        return found if found is not None and as_utc(found.expires_at) > utcnow() else None

    def delete_authorization_code(self, authorization_code):
        db.session.delete(authorization_code)  # used once

    def authenticate_user(self, authorization_code):
        return _usable_user(authorization_code.user)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh token works once

    def authenticate_refresh_token(self, refresh_token):
        if not refresh_token.startswith(REFRESH_PREFIX) or len(refresh_token) > 100:
            return None
        token = db.session.scalar(select(OAuthToken).where(OAuthToken.refresh_token_hash == hash_secret(refresh_token)))
        return token if token is not None and token.refresh_usable(utcnow()) else None

    def authenticate_user(self, refresh_token):
        return _usable_user(refresh_token.user)

    def revoke_old_credential(self, refresh_token):
        refresh_token.revoked_at = utcnow()


class Revocation(RevocationEndpoint):
    """RFC 7009: the client revokes an access or a refresh token; either revokes the pair."""

    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        if len(token_string) > 100:
            return None
        digest = hash_secret(token_string)
        return db.session.scalar(select(OAuthToken).where(or_(OAuthToken.access_token_hash == digest,
                                                              OAuthToken.refresh_token_hash == digest)))

    def revoke_token(self, token, request):
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            audit.record(None, "oauth_token", token.id, "revoke", "active", "revoked")
        db.session.commit()


def query_client(client_id: str) -> OAuthClient | None:
    if not isinstance(client_id, str) or len(client_id) > 48:
        return None
    return db.session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id,
                                                       OAuthClient.disabled_at.is_(None)))


def save_token(token: dict, request) -> None:
    now = utcnow()
    db.session.add(OAuthToken(
        client_id=request.client.id, user_id=request.user.id, access_token_hash=hash_secret(token["access_token"]),
        refresh_token_hash=hash_secret(token["refresh_token"]) if token.get("refresh_token") else None,
        scopes=token.get("scope", ""), created_at=now, expires_at=now + timedelta(seconds=token["expires_in"]),
        refresh_expires_at=now + timedelta(days=current_app.config["OAUTH_REFRESH_DAYS"])))


def _access_token(**_ignored) -> str:
    return ACCESS_PREFIX + secrets.token_urlsafe(32)


def _refresh_token(**_ignored) -> str:
    return REFRESH_PREFIX + secrets.token_urlsafe(32)


server = AuthorizationServer()
server.register_grant(AuthorizationCodeGrant, [S256Only(required=True)])
server.register_grant(RefreshTokenGrant)
server.register_endpoint(Revocation)


def init_app(app: Flask) -> None:
    app.config.setdefault("OAUTH_REFRESH_DAYS", 30)
    app.config.setdefault("OAUTH2_ACCESS_TOKEN_GENERATOR", _access_token)
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", _refresh_token)
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"authorization_code": ACCESS_SECONDS,
                                                      "refresh_token": ACCESS_SECONDS})
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", list(SCOPES))
    server.init_app(app, query_client=query_client, save_token=save_token)


def token_response():
    """The token endpoint's answer; what it wrote is committed only when it succeeded."""
    response = server.create_token_response()
    if response.status_code == 200:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def metadata() -> dict:
    """RFC 8414: where the endpoints are and what this server supports."""
    issuer = url_for("main.index", _external=True).rstrip("/")
    return {
        "issuer": issuer,
        "authorization_endpoint": url_for("api_pages.oauth_authorize", _external=True),
        "token_endpoint": url_for("api_pages.oauth_token", _external=True),
        "revocation_endpoint": url_for("api_pages.oauth_revoke", _external=True),
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "service_documentation": url_for("api_pages.docs", _external=True),
    }
