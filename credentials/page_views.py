"""Human routes of credentials: the public credential page, its badge image, the offline
verification bundle and revocation (the machine-readable routes are in views.py)."""
from __future__ import annotations

import json
from uuid import UUID

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from core.authz import can, require
from core.errors import FieldError
from core.extensions import talisman
from core.forms import for_members, show_field_errors
from core.page_cache import cached_page
from core.security import IMAGE_FILE_POLICY
from credentials import bp, bundle, presenter, queries, signing, urls
from credentials.achievement import ROLE_NAMES
from credentials.badge import badge_png, badge_square_png
from credentials.forms import RevocationForm
from credentials.issuer import key_for_method
from credentials.issuing import revoke_credential
from credentials.verification import key_set_identity, verify_credential
from credentials.models import Credential


def credential_or_404(credential_id: UUID) -> Credential:
    credential = queries.by_uuid(str(credential_id))
    if credential is None or credential.document is None:
        abort(404)  # unknown, or still being issued
    return credential


def shown_recipient(credential: Credential):
    """The recipient's account when its profile is visible to the viewer; else None (the page then
    shows only what the credential itself says)."""
    recipient = credential.recipient
    if recipient is None or not can(current_user, "user.view_profile", recipient):
        return None
    return recipient


def signing_key_of(credential: Credential) -> dict | None:
    """The key that signed the credential, as the page prints it for comparison with a downloaded bundle:
    its id, its fingerprint (publicKeyMultibase) and the document that publishes it."""
    proofs = signing.proofs_of(json.loads(credential.document))
    method = proofs[0].get("verificationMethod") if proofs else None
    key = key_for_method(method)
    if key is None:
        return None
    published_in = urls.did_document_url() if method.startswith("did:") else urls.profile_url()
    return {"id": method, "fingerprint": key.public_key_multibase, "published_in": published_in}


def business_role_of(statement: presenter.Statement, credential: Credential) -> str | None:
    """The business role the credential names, when its subject's role is not the team role."""
    with force_locale(credential.locale):
        team_role = str(ROLE_NAMES.get(credential.role, credential.role))
    return statement.role if statement.role and statement.role != team_role else None


def render_page(credential: Credential, form: RevocationForm | None, status: int = 200):
    statement = presenter.read(credential.document)
    page_url = urls.credential_id(credential.uuid)  # the credential's own id: BASE_URL, not the request's host
    linkedin = presenter.linkedin_add_url(
        name=statement.achievement_name or statement.name, organisation=statement.issuer_name or "Chapterhouse",
        issued=statement.valid_from or credential.issued_at, page_url=page_url, cert_id=credential.uuid)
    return render_template(
        "credentials/detail.html", credential=credential, statement=statement, page_url=page_url,
        badge_url=urls.absolute("credentials.badge", credential_id=credential.uuid),
        card_url=urls.absolute("credentials.share_card", credential_id=credential.uuid),
        recipient=shown_recipient(credential), business_role=business_role_of(statement, credential), verification=verify_credential(credential), linkedin_url=linkedin,
        signing_key=signing_key_of(credential),
        form=form, can_revoke=not credential.is_revoked and can(current_user, "credential.revoke", credential),
    ), status


@bp.route("/<uuid:credential_id>")
@cached_page(vary=key_set_identity)  # the page says "verified" with the keys published now
def detail(credential_id: UUID):
    return render_page(credential_or_404(credential_id), for_members(RevocationForm))


@bp.route("/<uuid:credential_id>/badge.svg")
@talisman(content_security_policy=IMAGE_FILE_POLICY)
def badge(credential_id: UUID):
    credential = credential_or_404(credential_id)
    response = Response(presenter.badge_svg_of(credential), mimetype="image/svg+xml")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.public = True
    response.cache_control.max_age = 86400  # the signed document, and so its image, never changes
    return response


@bp.route("/<uuid:credential_id>/badge.png")
def badge_png_image(credential_id: UUID):
    """The badge as a PNG: the credential's top-level `image`, for wallets that show no SVG."""
    credential = credential_or_404(credential_id)
    statement = presenter.read(credential.document)
    return png_response(badge_square_png(statement.achievement_name or statement.name, statement.creator_name))


def png_response(png: bytes) -> Response:
    response = Response(png, mimetype="image/png")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.public = True
    response.cache_control.max_age = 86400  # drawn from the signed document, which never changes
    return response


@bp.route("/<uuid:credential_id>/card.png")
def share_card(credential_id: UUID):
    """The picture social sites show when the page is shared (its og:image; they do not show SVG)."""
    credential = credential_or_404(credential_id)
    statement = presenter.read(credential.document)
    with force_locale(credential.locale):
        caption = _("%(issuer)s · verifiable learning credential", issuer=statement.issuer_name or "Chapterhouse")
    return png_response(badge_png(statement.achievement_name or statement.name, statement.creator_name, caption))


@bp.route("/<uuid:credential_id>/bundle.zip")
def bundle_zip(credential_id: UUID):
    credential = credential_or_404(credential_id)
    response = Response(bundle.build(credential), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="credential-{credential.uuid}.zip"'
    response.headers["Cache-Control"] = "no-store"  # the status list snapshot inside is of this moment
    return response


@bp.route("/<uuid:credential_id>/revoke", methods=["POST"])
def revoke(credential_id: UUID):
    credential = credential_or_404(credential_id)
    require(current_user, "credential.revoke", credential)
    form = RevocationForm()
    if form.validate():
        try:
            revoke_credential(credential, current_user, form.reason.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The credential is revoked. Verifiers now see it as revoked."), "success")
            return redirect(url_for("credentials.detail", credential_id=credential.uuid))
    return render_page(credential, form, 400)
