"""Where a webhook may go, and the POST itself.

A target is an http(s) URL without credentials whose host resolves only to public addresses; private, loopback,
link-local and other non-global addresses are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is true (tests and
`make run`), so a member cannot make the server call inside its own network. The address is checked again at
every attempt and the connection is made to that very address (the Host header and TLS name keep the URL's
host), so a DNS answer that changes between the check and the call cannot reach a private address either.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from flask import current_app
from flask_babel import lazy_gettext as _l

from webhooks.models import MAX_URL

RESPONSE_READ_LIMIT = 4096  # bytes of the receiver's answer read before closing (only its status is kept)


class TargetRefused(Exception):
    """The URL cannot be a webhook target; `message` says why, for the member."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query string
    address: str  # the checked IP address to connect to

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None  # a code (see ERRORS) when no HTTP answer came
    duration_ms: int


# What went wrong when no answer came, as shown in the delivery log.
ERRORS = {"timeout": _l("timed out"), "connection": _l("could not connect"), "tls": _l("TLS error"),
          "target": _l("address refused"), "error": _l("error")}


def _parse(url: str) -> tuple[str, str, int, str]:
    if len(url) > MAX_URL:
        raise TargetRefused(_l("The address is too long (at most %(max)d characters).", max=MAX_URL))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(_l("Enter a full web address, starting with https://.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_l("Enter a full web address, starting with https://."))
    if parts.username or parts.password:
        raise TargetRefused(_l("The address may not contain a user name or password."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def _addresses(host: str, port: int) -> list:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(_l("The address's host name could not be found.")) from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check(url: str) -> Target:
    """The target of `url`, or TargetRefused with a sentence saying why it cannot be one."""
    scheme, host, port, path = _parse(url)
    addresses = _addresses(host, port)
    if not current_app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] and any(not a.is_global for a in addresses):
        raise TargetRefused(_l("This address leads to a private or local network: choose a public address."))
    return Target(scheme, host, port, path, str(addresses[0]))


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` once: no redirects followed, no retries here, WEBHOOK_TIMEOUT in all."""
    started = time.monotonic()

    def done(status_code=None, error=None) -> Outcome:
        return Outcome(status_code, error, int((time.monotonic() - started) * 1000))

    try:
        target = check(url)
    except TargetRefused:
        return done(error="target")
    timeout = urllib3.Timeout(total=current_app.config["WEBHOOK_TIMEOUT"])
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(target.address, target.port, timeout=timeout, retries=False,
                                           server_hostname=target.host, assert_hostname=target.host,
                                           cert_reqs="CERT_REQUIRED")
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False)
    try:
        response = pool.urlopen("POST", target.path, body=body, redirect=False, retries=False, preload_content=False,
                                headers={**headers, "Host": target.host_header, "Content-Type": "application/json",
                                         "User-Agent": "Chapterhouse-Webhooks/1"})
        try:
            response.read(RESPONSE_READ_LIMIT)
        finally:
            response.release_conn()
        return done(status_code=response.status)
    except urllib3.exceptions.NewConnectionError:  # a subclass of ConnectTimeoutError, yet a refusal
        return done(error="connection")
    except (urllib3.exceptions.TimeoutError, socket.timeout):
        return done(error="timeout")
    except urllib3.exceptions.SSLError:
        return done(error="tls")
    except (urllib3.exceptions.HTTPError, OSError):
        return done(error="connection")
    finally:
        pool.close()
