"""OAuth 2.0 pages and endpoints: the consent page, the token and revocation endpoints, the server metadata,
the member's authorized apps and the admin's client registry."""
from __future__ import annotations

from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidClientError
from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from api import oauth_services, pages
from api.forms import ClientForm, ConsentForm, scope_words
from api.oauth_models import OAuthClient
from api.oauth_server import metadata, server, token_response
from core import audit
from core.authz import require
from core.errors import FieldError
from core.extensions import db
from core.forms import ConfirmForm, posted, show_field_errors
from core.security import CONTENT_SECURITY_POLICY


class _ConsentFormAction:
    """The consent form posts here, then the answer redirects to the partner: browsers apply `form-action` to
    that redirect too, so the partner's redirect origin is allowed on the consent page only."""

    def __iter__(self):
        yield "'self'"
        yield from g.get("oauth_redirect_origins", ())


def _refusal(error: OAuth2Error):
    """An invalid request we cannot send back to the partner (unknown client, unregistered redirect URI):
    a page that says so, never a redirect to an address we do not trust."""
    if isinstance(error, InvalidClientError):
        message = _("This app is not registered on Chapterhouse, or it was disabled.")
    elif "redirect" in (error.description or "").lower():
        message = _("This app asked to send you back to an address it did not register.")
    else:
        message = _("This authorization request is not valid (%(error)s).", error=error.error)
    return render_template("api/oauth_error.html", message=message), 400


@pages.route("/oauth/authorize", methods=["GET", "POST"])
@login_required
def oauth_authorize():
    require(current_user, "oauth.authorize")
    try:
        grant = server.get_consent_grant(end_user=current_user)
    except OAuth2Error as error:
        if error.redirect_uri:  # a registered address: the partner hears of the error (RFC 6749 4.1.2.1)
            return server.handle_error_response(None, error)
        return _refusal(error)
    form = ConsentForm()
    if request.method == "POST":
        if not form.validate_on_submit() or not (form.allow.data or form.deny.data):
            abort(400)
        response = server.create_authorization_response(grant=grant,
                                                        grant_user=current_user if form.allow.data else None)
        if form.allow.data:
            audit.record(current_user, "oauth_client", grant.client.id, "authorize", None, "authorized",
                         reason=grant.request.scope)
            db.session.commit()
        return response
    redirect_uri = grant.request.payload.redirect_uri or grant.client.get_default_redirect_uri()
    parts = urlsplit(redirect_uri)
    g.oauth_redirect_origins = [f"{parts.scheme}://{parts.netloc}"]
    described = dict(scope_words())
    scopes = [described[scope] for scope in grant.request.scope.split() if scope in described]
    return render_template("api/oauth_consent.html", form=form, client=grant.client, scopes=scopes,
                           action=request.full_path)


oauth_authorize.talisman_view_options = {
    "content_security_policy": {**CONTENT_SECURITY_POLICY, "form-action": _ConsentFormAction()}}


@pages.route("/oauth/token", methods=["POST"])
def oauth_token():
    return token_response()


@pages.route("/oauth/revoke", methods=["POST"])
def oauth_revoke():
    return server.create_endpoint_response("revocation")


@pages.route("/.well-known/oauth-authorization-server")
def oauth_metadata():
    response = jsonify(metadata())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def oauth_error(error):
    """Errors of the token and revocation endpoints that Authlib does not answer itself (a GET, a body too
    large): RFC 6749 JSON as well, never an HTML page."""
    status = getattr(error, "code", None) or 500
    body = {"error": "invalid_request" if status < 500 else "server_error"}
    description = getattr(error, "description", None)
    if description and status < 500:
        body["error_description"] = description
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- The member's authorized apps ----

@pages.route("/me/apps")
@login_required
def authorized_apps():
    return render_template("api/authorized_apps.html", accesses=oauth_services.accesses_of(current_user))


@pages.route("/me/apps/<int:client_id>/revoke", methods=["POST"])
@login_required
def revoke_app(client_id: int):
    access = oauth_services.access_of(current_user, client_id)
    if access is None:
        abort(404)  # nothing granted to this app: nothing to revoke
    oauth_services.revoke_access(access, current_user)
    flash(_("%(name)s no longer has access to your account.", name=access.client.name), "info")
    return redirect(url_for("api_pages.authorized_apps"))


# ---- The admin's client registry ----

def _clients_page(form: ClientForm, created: OAuthClient | None = None, secret: str | None = None,
                  status: int = 200):
    return render_template("admin/oauth_clients.html", form=form, clients=oauth_services.clients(),
                           created=created, secret=secret), status


@pages.route("/admin/oauth-clients", methods=["GET", "POST"])
def oauth_clients():
    require(current_user, "oauth.manage_clients")
    form = ClientForm()
    if form.validate_on_submit():
        try:
            client, secret = oauth_services.register_client(
                current_user, form.name.data, form.homepage.data, form.redirect_uris.data.splitlines(),
                form.scopes.data, form.kind.data == "confidential")
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("%(name)s is registered.", name=client.name), "success")
            return _clients_page(ClientForm(formdata=None), client, secret)  # the secret: this answer only
    return _clients_page(form, status=400 if form.errors else 200)


@pages.route("/admin/oauth-clients/<int:client_id>/disable", methods=["POST"])
def disable_oauth_client(client_id: int):
    require(current_user, "oauth.manage_clients")
    client = db.get_or_404(OAuthClient, client_id)
    posted(ConfirmForm)  # its CSRF token
    oauth_services.disable_client(client, current_user)
    flash(_("%(name)s is disabled: its tokens no longer work.", name=client.name), "info")
    return redirect(url_for("api_pages.oauth_clients"))
