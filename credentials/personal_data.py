"""The member's credentials, for their data export: each as signed JSON-LD and as VC-JWT, as issued."""
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import undefer

from core.extensions import db
from core.personal_data import part
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
