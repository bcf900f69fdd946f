"""URLs built the same way in requests, CLI commands and background jobs."""
from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    """The site-relative path of `endpoint`, with or without a request under way."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)
