"""Our own verifier (shown on the public page): proof, JWT, issuer and live status; cached proof checks."""
import json
import xml.dom.minidom

from flask_babel import force_locale

from core.extensions import db
from credentials import keys, verification
from credentials.badge import badge_data_uri, badge_svg
from credentials.models import Credential
from credentials.verification import verify_credential, verify_documents


def test_issued_credentials_verify(app, issued):
    for credential in issued:
        result = verify_credential(credential)
        assert result.ok and result.signature_ok and result.jwt_ok and result.issuer_ok and not result.revoked
        assert [check.ok for check in result.checks] == [True, True, True, True]


def test_checks_are_told_in_the_readers_language(app, issued):
    result = verify_credential(issued[0])
    with force_locale("fr"):
        assert "signature" in result.checks[0].label and "valide" in result.checks[0].label


def test_the_proof_check_is_cached_and_status_is_live(app, issued, count_queries=None):
    credential = issued[0]
    verify_credential(credential)
    calls = []
    real = verification.verify_documents
    verification.verify_documents = lambda *a: calls.append(a) or real(*a)
    try:
        assert verify_credential(credential).ok
        assert calls == []
        credential.revoked_at = credential.issued_at
        credential.revocation_reason = "Test."
        assert verify_credential(credential).revoked
        keys.rotate()  # a new key set: checked again
        assert verify_credential(credential).signature_ok and len(calls) == 1
    finally:
        verification.verify_documents = real
        db.session.rollback()


def test_a_document_signed_by_another_key_is_not_ours(app, issued):
    from datetime import datetime, timezone

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from credentials import signing

    document = signing.unsecured(json.loads(issued[0].document))
    forged = signing.add_proof(document, Ed25519PrivateKey.generate(), keys.all_keys()[0].key_id and
                               json.loads(issued[0].document)["proof"][0]["verificationMethod"],
                               datetime.now(timezone.utc))
    result = verify_documents(forged, None)
    assert not result.signature_ok and not result.jwt_ok


def test_a_damaged_stored_document_fails_without_error(app, issued):
    credential = Credential(uuid="00000000-0000-4000-8000-000000000001", document="{not json", jwt="x.y.z")
    result = verify_credential(credential)
    assert not result.ok and not result.signature_ok and not result.jwt_ok


def test_badge_is_accessible_escaped_svg():
    svg = badge_svg("Maps <for> everyone & a very long title that wraps over several lines of text", "Lyon & Co")
    dom = xml.dom.minidom.parseString(svg)
    assert dom.documentElement.getAttribute("role") == "img"
    assert "Maps <for> everyone" in dom.getElementsByTagName("title")[0].firstChild.data
    assert len(dom.getElementsByTagName("tspan")) == 3
    assert badge_data_uri("A", "B").startswith("data:image/svg+xml;base64,")


def test_badge_shows_the_whole_chapter_name_or_marks_the_cut():
    assert ">Toronto Freelance Guild</text>" in badge_svg("Map", "Toronto Freelance Guild")
    long_name = "Association des travailleuses et travailleurs autonomes de Montréal"
    assert "…</text>" in badge_svg("Map", long_name)


def test_canonicalization_is_safe_across_threads(app, issued):
    """The dev server and threaded workers verify at the same time: the shared caches hold up."""
    from concurrent.futures import ThreadPoolExecutor

    from credentials.contexts import canonize

    documents = [signing_free(json.loads(c.document)) for c in issued]
    expected = [canonize(d) for d in documents]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: canonize(documents[n % 2]), range(40)))
    assert results == [expected[n % 2] for n in range(40)]


def signing_free(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}
