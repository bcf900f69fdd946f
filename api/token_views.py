"""/me/tokens: the member creates personal access tokens (each shown once) and revokes them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from api import pages, services
from api.forms import TokenForm
from core.audit import utcnow
from core.errors import FieldError
from core.forms import show_field_errors


def _page(form: TokenForm, secret: str | None = None, status: int = 200):
    return render_template("api/tokens.html", form=form, tokens=services.tokens_of(current_user), secret=secret,
                           now=utcnow()), status


@pages.route("/me/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, secret = services.create_token(current_user, form.name.data, form.scopes.data, form.days.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your token %(name)s is created. Copy it now: it will not be shown again.", name=token.name),
                  "success")
            return _page(TokenForm(formdata=None), secret)  # shown once, in this answer only (no-store)
    return _page(form, status=400 if form.errors else 200)


@pages.route("/me/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = services.token_of(current_user, token_id)
    if token is None:
        abort(404)  # another member's token looks like none at all
    services.revoke_token(token, current_user)
    flash(_("The token %(name)s is revoked: it no longer works.", name=token.name), "info")
    return redirect(url_for("api_pages.tokens"))
