"""A sponsor's endorsement of a team's work as an Open Badges 3.0 EndorsementCredential.

The claim is the sponsor organisation's, so the credential's issuer is the organisation: a did:web DID the
platform hosts for it (`did:web:<host>:credentials:endorsers:<id>`, resolved at
`/credentials/endorsers/<id>/did.json`), whose verification methods are the platform's own keys. The platform
signs in the organisation's name, and any verifier that resolves did:web checks it like any other credential
(the proof's verification method belongs to the issuer). Its subject is the project's achievement
(`<project>#achievement`): every credential of the team issued afterwards embeds it in its achievement's
`endorsement`, and it is served on its own at its `id`, `/credentials/endorsements/<uuid>`.

Signed once, when the reviewer records the endorsement, and never rewritten; an endorsement recorded
before endorsements were signed is signed the first time a credential needs it (`signed_endorsement`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import undefer

from accounts.models import User
from core.audit import as_utc
from core.extensions import db
from credentials import bp, keys, signing, urls
from credentials.achievement import ENDORSEMENT_SCHEMA, schema_reference, timestamp
from credentials.contexts import CREDENTIAL_CONTEXT, DID_V1, MULTIKEY_V1
from credentials.issuer import multikey, public_response
from credentials.models import new_uuid
from learning.models import ProjectEndorsement
from sponsors.models import SponsorOrganisation

VC_MEDIA_TYPE = "application/vc"
DID_MEDIA_TYPE = "application/did+ld+json"


def _endorsers_did() -> str:
    return urls.did_web(current_app.config["BASE_URL"] + "/credentials/endorsers")


def endorser_did(organisation_id: int) -> str:
    return f"{_endorsers_did()}:{organisation_id}"


def endorsement_id(uuid: str) -> str:
    return f"{current_app.config['BASE_URL']}/credentials/endorsements/{uuid}"


def achievement_id(project_id: int) -> str:
    """The achievement every credential of the project's team names (credentials.achievement)."""
    return urls.absolute("projects.detail", project_id=project_id) + "#achievement"


def build_endorsement(*, credential_id: str, issuer: dict, subject_id: str, comment: str, project_title: str,
                      chapter_name: str, valid_from: datetime, locale: str) -> dict:
    """The unsigned EndorsementCredential, its words in the endorser's language."""
    with force_locale(locale):
        return {
            "@context": list(CREDENTIAL_CONTEXT),
            "id": credential_id,
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": _("%(organisation)s endorses “%(project)s”", organisation=issuer["name"], project=project_title),
            "description": _("The sponsor %(organisation)s endorses the work of the team that delivered "
                             "“%(project)s” (chapter %(chapter)s). Signed by the platform in its name.",
                             organisation=issuer["name"], project=project_title, chapter=chapter_name),
            "issuer": issuer,
            "validFrom": timestamp(valid_from),
            "credentialSubject": {"id": subject_id, "type": ["EndorsementSubject"], "endorsementComment": comment},
            "credentialSchema": [schema_reference(ENDORSEMENT_SCHEMA)],
        }


@dataclass(frozen=True)
class EndorsementFacts:
    """What an endorsement credential says, gathered by its signer (the service, or seed-scale in bulk)."""

    uuid: str
    organisation_id: int
    organisation_name: str
    organisation_slug: str
    project_id: int
    project_title: str
    chapter_name: str
    comment: str
    created_at: datetime
    locale: str


def signed_document(facts: EndorsementFacts, key: keys.SigningKey) -> dict:
    """The EndorsementCredential, signed with the platform's `key` under the organisation's DID."""
    issuer = {"id": endorser_did(facts.organisation_id), "type": ["Profile"], "name": facts.organisation_name,
              "url": urls.absolute("sponsors.detail", slug=facts.organisation_slug)}
    signed_at = as_utc(facts.created_at).replace(microsecond=0)
    unsigned = build_endorsement(
        credential_id=endorsement_id(facts.uuid), issuer=issuer, subject_id=achievement_id(facts.project_id),
        comment=facts.comment, project_title=facts.project_title, chapter_name=facts.chapter_name,
        valid_from=signed_at, locale=facts.locale)
    return signing.add_proof(unsigned, key.private_key, f"{issuer['id']}#{key.key_id}", signed_at)


def as_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def sign_endorsement(endorsement, project, locale: str) -> dict | None:
    """Sign the endorsement's credential in its organisation's name and store it on the row (flushed, not
    committed); None when the organisation no longer exists to be named."""
    organisation = db.session.get(SponsorOrganisation, endorsement.organisation_id) \
        if endorsement.organisation_id else None
    if organisation is None:
        return None
    endorsement.uuid = endorsement.uuid or new_uuid()
    signed = signed_document(EndorsementFacts(
        uuid=endorsement.uuid, organisation_id=organisation.id, organisation_name=organisation.name,
        organisation_slug=organisation.slug, project_id=project.id, project_title=project.title,
        chapter_name=project.chapter.name, comment=endorsement.text, created_at=endorsement.created_at,
        locale=locale), keys.current_key())
    endorsement.document = as_text(signed)
    db.session.flush()
    return signed


def signed_endorsement(project) -> dict | None:
    """The project's signed endorsement credential (signing it now if it was recorded unsigned), or None."""
    from credentials.issuing import supported_locale  # issuing embeds what this module signs

    endorsement = db.session.scalar(select(ProjectEndorsement).where(ProjectEndorsement.project_id == project.id)
                                    .options(undefer(ProjectEndorsement.document)))
    if endorsement is None:
        return None
    if endorsement.document:
        return json.loads(endorsement.document)
    author = db.session.get(User, endorsement.author_id) if endorsement.author_id else None
    return sign_endorsement(endorsement, project, supported_locale(author.locale if author else None))


def endorser_key(method: str | None):
    """The platform's public key that an endorser's verification method (`<endorser DID>#key-N`) names."""
    did, _, key_id = (method or "").partition("#")
    prefix = _endorsers_did() + ":"
    if not did.startswith(prefix):
        return None
    key = keys.key_by_id(key_id)
    return key.public_key if key else None


def verify_endorsement(document: dict) -> bool:
    """The endorsement's proof is valid and made with a key of the endorser the credential names."""
    ok, _detail = signing.check_proof(document, endorser_key)
    proofs = signing.proofs_of(document)
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    return ok and len(proofs) == 1 and str(proofs[0].get("verificationMethod", "")).split("#")[0] == issuer_id


def endorser_document(organisation_id: int) -> dict:
    did = endorser_did(organisation_id)
    methods = [multikey(key, f"{did}#{key.key_id}", did) for key in keys.all_keys()]
    return {"@context": [DID_V1, MULTIKEY_V1], "id": did, "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]}


@bp.route("/endorsers/<int:organisation_id>/did.json")
def endorser_did_document(organisation_id: int):
    """The DID document of a sponsor organisation as an endorser: the platform's keys, in its name."""
    if db.session.get(SponsorOrganisation, organisation_id) is None:
        abort(404)
    return public_response(json.dumps(endorser_document(organisation_id), indent=2), DID_MEDIA_TYPE)


@bp.route("/endorsements/<uuid:endorsement_uuid>")
def endorsement_json(endorsement_uuid):
    document = db.session.scalar(select(ProjectEndorsement.document)
                                 .where(ProjectEndorsement.uuid == str(endorsement_uuid)))
    if not document:
        abort(404)
    return public_response(document, VC_MEDIA_TYPE, max_age=3600)
