"""The stable addresses of what we publish: built from BASE_URL (never from the request), so a
credential signed by a background job names the same URLs as one served to a browser.

The issuer has two identities. New credentials name it by its `did:web` DID, which wallets and
verifiers resolve by fetching the DID document from the path the did:web method prescribes for
BASE_URL. Credentials issued before did:web name it by the https URL of its Profile
(`/credentials/issuer`), whose `#key-N` verification methods stay published so they keep verifying.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app


def absolute(endpoint: str, **values) -> str:
    """BASE_URL + the endpoint's path (a URL adapter bound once per app: no request needed)."""
    adapter = current_app.extensions.get("credentials_url_adapter")
    if adapter is None:
        adapter = current_app.url_map.bind("localhost", script_name=current_app.config["APPLICATION_ROOT"])
        current_app.extensions["credentials_url_adapter"] = adapter
    return current_app.config["BASE_URL"] + adapter.build(endpoint, values)


def did_web(base_url: str) -> str:
    """The did:web DID of a site: its host (a port's colon percent-encoded), then each path segment."""
    parts = urlsplit(base_url)
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", quote(parts.netloc.lower(), safe="")] + segments)


def did_document_path(base_url: str) -> str:
    """Where did:web resolution fetches the DID document, relative to BASE_URL: `/.well-known/did.json`
    for a site at the root of its host, `/did.json` for one under a path."""
    return "/did.json" if urlsplit(base_url).path.strip("/") else "/.well-known/did.json"


def did_document_url() -> str:
    """Where anyone resolving the issuer's DID fetches its DID document."""
    base = current_app.config["BASE_URL"]
    return base + did_document_path(base)


def issuer_id() -> str:
    """The issuer's id in new credentials and status lists: the platform's did:web DID."""
    return did_web(current_app.config["BASE_URL"])


def verification_method(key_id: str) -> str:
    """A key's id in new proofs and JWT headers: a fragment of the DID document."""
    return f"{issuer_id()}#{key_id}"


def profile_url() -> str:
    """The issuer Profile's https URL: the issuer id of credentials issued before did:web."""
    return absolute("credentials.issuer")


def legacy_verification_method(key_id: str) -> str:
    """A key's id in credentials issued before did:web (a fragment of the https Profile)."""
    return f"{profile_url()}#{key_id}"


def key_url(key_id: str) -> str:
    """A key on its own, at a URL without a fragment, for loaders that can only fetch https key ids."""
    return absolute("credentials.issuer_key", key_id=key_id)


def credential_id(uuid: str) -> str:
    """The credential's `id`: its public page (the web helper's /credentials/<uuid>)."""
    return f"{current_app.config['BASE_URL']}/credentials/{uuid}"


def status_list_url(number: int) -> str:
    return absolute("credentials.status_list", number=number)


def competency_url_template() -> str:
    """The business-skills framework's page of a competency, with "{code}" where its code goes."""
    return absolute("learning.detail", code="CODE").replace("/CODE", "/{code}")
