"""The stable https URLs of what we publish: built from BASE_URL (never from the request), so a
credential signed by a background job names the same URLs as one served to a browser."""
from __future__ import annotations

from flask import current_app


def absolute(endpoint: str, **values) -> str:
    """BASE_URL + the endpoint's path (a URL adapter bound once per app: no request needed)."""
    adapter = current_app.extensions.get("credentials_url_adapter")
    if adapter is None:
        adapter = current_app.url_map.bind("localhost", script_name=current_app.config["APPLICATION_ROOT"])
        current_app.extensions["credentials_url_adapter"] = adapter
    return current_app.config["BASE_URL"] + adapter.build(endpoint, values)


def issuer_id() -> str:
    """The platform's issuer Profile id; it serves the profile and its keys (controller document)."""
    return absolute("credentials.issuer")


def verification_method(key_id: str) -> str:
    return f"{issuer_id()}#{key_id}"


def credential_id(uuid: str) -> str:
    """The credential's `id`: its public page (the web helper's /credentials/<uuid>)."""
    return f"{current_app.config['BASE_URL']}/credentials/{uuid}"


def status_list_url(number: int) -> str:
    return absolute("credentials.status_list", number=number)
