"""The offline verification bundle: a zip with everything needed to verify one credential without
reaching this site: the credential (JSON and VC-JWT), the issuer's DID document and Profile with its
keys, a snapshot of the status list, the JSON-LD contexts, a verifier script using Digital Bazaar's
libraries, and a README saying how to run it. The verifier names the key that signed and, when it can,
compares it with the issuer's live documents: a bundle cannot vouch for its own keys."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from credentials import contexts, signing, status_list, urls
from credentials.models import Credential
from credentials.issuer import did_document, key_for_method, profile_document

OFFLINE = Path(__file__).resolve().parent / "offline"
# The names a verifier looks for; documents.json maps every URL the credential refers to onto one of them.
CREDENTIAL, JWT, DID, ISSUER, STATUS_LIST, DOCUMENTS = (
    "credential.json", "credential.jwt", "did.json", "issuer.json", "status-list.json", "documents.json")


def _json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def files_of(credential: Credential) -> dict[str, str]:
    """Every file of the bundle, by name (a pure function of the credential and the current status)."""
    document = json.loads(credential.document)
    issuer, did = profile_document(), did_document()
    number, _ = status_list.place(credential)
    status_url = urls.status_list_url(number)
    status = status_list.status_list_credential(number)
    files = {CREDENTIAL: credential.document, JWT: credential.jwt or "", DID: _json(did), ISSUER: _json(issuer),
             STATUS_LIST: _json(status)}
    documents = {did["id"]: DID, issuer["id"]: ISSUER, status_url: STATUS_LIST}
    for url, context in sorted(contexts.documents().items()):
        name = f"contexts/{contexts.index()[url]['file']}"  # the names the issuer keeps them under
        files[name] = _json(context)
        documents[url] = name
    files[DOCUMENTS] = _json(documents)
    files["verify.mjs"] = (OFFLINE / "verify.mjs").read_text()
    files["package.json"] = (OFFLINE / "package.json").read_text()
    files["README.txt"] = readme(credential, document, status_url)
    return files


def readme(credential: Credential, document: dict, status_url: str) -> str:
    snapshot = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    methods = [proof.get("verificationMethod", "") for proof in signing.proofs_of(document)]
    issuer = document.get("issuer")
    return (OFFLINE / "README.txt").read_text().format(
        uuid=credential.uuid, credential_id=document.get("id", ""),
        issuer_id=issuer.get("id", "") if isinstance(issuer, dict) else issuer,
        key_id=", ".join(methods),
        fingerprint=", ".join(key.public_key_multibase for key in map(key_for_method, methods) if key),
        did_url=urls.did_document_url(),
        status_url=status_url, snapshot=snapshot)


def build(credential: Credential) -> bytes:
    """The zip file, its entries in a folder named after the credential."""
    buffer = io.BytesIO()
    folder = f"credential-{credential.uuid}"
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files_of(credential).items():
            archive.writestr(f"{folder}/{name}", text)
    return buffer.getvalue()
