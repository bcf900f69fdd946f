"""Stylesheets are sent compressed to browsers that accept it; pages and JSON never are (BREACH: a compressed
page holding a CSRF token next to reflected input leaks the token), and do not vary on Accept-Encoding."""
import gzip

import brotli
import pytest

from core.extensions import compress


@pytest.mark.parametrize("encoding, decompress", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_stylesheets_are_compressed_for_browsers_that_accept_it(client, encoding, decompress):
    plain = client.get("/bootstrap/static/css/bootstrap.min.css")
    assert "Content-Encoding" not in plain.headers and len(plain.data) > 200_000
    packed = client.get("/bootstrap/static/css/bootstrap.min.css", headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding and "accept-encoding" in packed.headers["Vary"].lower()
    assert len(packed.data) < len(plain.data) / 5 and decompress(packed.data) == plain.data
    # Compressed once per file version, then served from memory.
    etag = plain.headers["ETag"].strip('"')
    assert compress.cache[f"{encoding};/bootstrap/static/css/bootstrap.min.css:{etag}"] == packed.data
    app_css = client.get("/static/css/app.css", headers={"Accept-Encoding": encoding})
    assert app_css.headers["Content-Encoding"] == encoding


@pytest.mark.parametrize("path", ["/", "/projects/", "/auth/login", "/api/v1/projects"])
def test_pages_and_json_are_never_compressed(client, path):
    response = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert "accept-encoding" not in response.headers.get("Vary", "").lower()
