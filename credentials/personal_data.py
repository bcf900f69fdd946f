"""The member's credentials, for their data export: each as signed JSON-LD and as VC-JWT, as issued.
When they delete their account, their credentials stay verifiable (they name the member only by a salted hash
of the address), unless they ask for them to be revoked."""
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from core.audit import utcnow
from core.extensions import db
from core.personal_data import Erasure, eraser, part
from credentials.models import Credential


@part("credentials", _l("<id>.json and <id>.jwt: each credential you were awarded, exactly as signed (JSON-LD "
                        "with its proof, and VC-JWT); any verifier accepts these files. index.json lists them, "
                        "with any revocation."))
def credentials(user) -> dict:
    issued = db.session.scalars(select(Credential).options(undefer(Credential.document), undefer(Credential.jwt))
                                .where(Credential.recipient_id == user.id).order_by(Credential.issued_at))
    files, index = {}, []
    for credential in issued:
        index.append({"id": credential.uuid, "role": credential.role, "issued_at": credential.issued_at,
                      "revoked_at": credential.revoked_at, "revocation_reason": credential.revocation_reason})
        if credential.document:
            files[f"{credential.uuid}.json"] = json.loads(credential.document)
        if credential.jwt:
            files[f"{credential.uuid}.jwt"] = credential.jwt
    return {"index.json": index, **files}


@eraser("credentials")
def revoke_if_asked(erasure: Erasure) -> None:
    if erasure.revoke_credentials:
        db.session.execute(update(Credential).where(Credential.recipient_id == erasure.user_id,
                                                    Credential.revoked_at.is_(None))
                           .values(revoked_at=utcnow(), revoked_by_id=erasure.user_id,
                                   revocation_reason="Revoked at the holder's request."))
