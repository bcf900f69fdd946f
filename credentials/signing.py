"""Proofs (pure functions): eddsa-rdfc-2022 Data Integrity proofs and VC-JWT (EdDSA), and checking both.

Data Integrity follows W3C "Data Integrity EdDSA Cryptosuites v1.0", eddsa-rdfc-2022:
the proof configuration (the proof's options with the document's @context) and the document
without its proof are each canonicalized with RDFC-1.0 (credentials/contexts.py, safe mode),
hashed with SHA-256, and the concatenation hash(proof config) || hash(document) is signed with
Ed25519; `proofValue` is the signature in multibase base58btc ('z...').

The `.jwt` form follows Open Badges 3.0 §8.2 (JSON Web Token proof format): a compact JWS with
header {alg: EdDSA, kid: <verification method>, typ: JWT} whose payload is the credential
(without the embedded proof: the JWS secures it) with the registered claims OB 3.0 asks for:
`iss` (the issuer's id), `jti` (the credential's id), `nbf` (validFrom), `exp` (validUntil, when
set) and `sub` (the subject's id, when it has one). Credentials issued before followed W3C
"Securing Verifiable Credentials using JOSE and COSE" instead (typ vc+jwt, cty vc, no claims);
both forms verify.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from credentials import multibase
from credentials.contexts import UndefinedTerm, canonize

CRYPTOSUITE = "eddsa-rdfc-2022"
# RFC 9864 prefers "Ed25519" as the JOSE algorithm name; "EdDSA" (RFC 8037) is what VC-JWT
# verifiers expect today and what the issue asks for.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash_data(document: dict, proof_config: dict) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return (hashlib.sha256(canonize(proof_config).encode()).digest()
            + hashlib.sha256(canonize(unsecured).encode()).digest())


def add_proof(document: dict, private_key: Ed25519PrivateKey, verification_method: str,
              created: datetime) -> dict:
    """A copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof (assertionMethod) in `proof`."""
    options = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": _timestamp(created),
               "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    signature = private_key.sign(_hash_data(document, {"@context": document["@context"], **options}))
    signed = dict(document)
    signed["proof"] = [{**options, "proofValue": multibase.encode_z(signature)}]
    return signed


def proofs_of(document: dict) -> list[dict]:
    proof = document.get("proof")
    return proof if isinstance(proof, list) else [proof] if isinstance(proof, dict) else []


def check_proof(document: dict, public_key_for) -> tuple[bool, str]:
    """Check the document's single eddsa-rdfc-2022 proof; `public_key_for(verification_method)`
    returns the Ed25519PublicKey or None. Returns (ok, reason)."""
    proofs = proofs_of(document)
    if len(proofs) != 1:
        return False, "expected exactly one proof"
    proof = proofs[0]
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return False, "not an eddsa-rdfc-2022 DataIntegrityProof"
    if proof.get("proofPurpose") != "assertionMethod":
        return False, "proof purpose is not assertionMethod"
    public_key = public_key_for(proof.get("verificationMethod"))
    if public_key is None:
        return False, "unknown verification method"
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        signature = multibase.decode_z(str(proof.get("proofValue", "")))
        public_key.verify(signature, _hash_data(document, {"@context": document.get("@context"), **options}))
    except UndefinedTerm as error:
        return False, str(error)
    except (InvalidSignature, ValueError, TypeError, KeyError):
        return False, "signature does not match"
    except Exception as error:  # pyld raises JsonLdError for malformed JSON-LD
        return False, f"cannot canonicalize: {type(error).__name__}"
    return True, "ok"


def unsecured(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}


JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


def _epoch(moment: str) -> int:
    return int(datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def jwt_claims(credential: dict) -> dict:
    """The registered claims OB 3.0 puts beside the credential in a VC-JWT payload."""
    issuer = credential.get("issuer")
    claims = {"iss": issuer.get("id") if isinstance(issuer, dict) else issuer, "jti": credential.get("id"),
              "nbf": _epoch(credential["validFrom"])}
    if credential.get("validUntil"):
        claims["exp"] = _epoch(credential["validUntil"])
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    return claims


def encode_jwt(credential: dict, private_key: Ed25519PrivateKey, kid: str) -> str:
    """The credential as an OB 3.0 VC-JWT (compact JWS, EdDSA)."""
    header = {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    payload = {**unsecured(credential), **jwt_claims(credential)}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, body, OKPKey.import_key(private_key), algorithms=["EdDSA"])


def jwt_credential(payload: dict) -> dict | None:
    """The credential a verified VC-JWT payload carries, or None when its registered claims do not say
    what the credential says (OB 3.0 form; the VC-JOSE-COSE form has none)."""
    credential = {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
    present = {key: payload[key] for key in JWT_CLAIMS if key in payload}
    if present:
        try:
            if present != jwt_claims(credential):
                return None
        except (KeyError, ValueError, TypeError):
            return None
    return credential


def decode_jwt(token: str, public_key_for) -> tuple[dict | None, str]:
    """Verify a VC-JWT; returns (credential, reason). `public_key_for(kid)` gives the key or None."""
    try:
        header = json.loads(multibase.decode_u("u" + token.split(".")[0]))
        public_key = public_key_for(header.get("kid"))
        if public_key is None:
            return None, "unknown key"
        if header.get("alg") not in ("EdDSA", "Ed25519") or header.get("typ", "JWT") not in ("JWT", "vc+jwt"):
            return None, "unexpected JWT header"
        result = jws.deserialize_compact(token, OKPKey.import_key(public_key), algorithms=[header["alg"]])
        credential = jwt_credential(json.loads(result.payload))
        if credential is None:
            return None, "the JWT claims do not match the credential"
        return credential, "ok"
    except (JoseError, ValueError, TypeError, IndexError, AttributeError):
        return None, "signature does not match"
