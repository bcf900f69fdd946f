"""The live server's emails (.eml files in its MAIL_FOLDER): find the newest one to an address and the
link it carries, as a person would open it from their inbox."""
from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

from tests.servers import wait_for


def newest_mail_to(live_server, address: str):
    folder = Path(live_server.app.config["MAIL_FOLDER"])

    def find():
        found = [message_from_bytes(path.read_bytes(), policy=policy.default)
                 for path in sorted(folder.glob("*.eml"))] if folder.exists() else []
        mine = [msg for msg in found if address in msg["To"]]
        return mine[-1] if mine else None

    return wait_for(find, timeout=10, what=f"an email to {address}")


def link_in_mail(live_server, address: str, path: str) -> str:
    """The path (on the live server) of the `path…` link in the newest email to `address`."""
    msg = newest_mail_to(live_server, address)
    base = live_server.app.config["BASE_URL"]
    text = msg.get_body(("plain",)).get_content()
    match = re.search(re.escape(base + path) + r"\S+", text)
    assert match, f"no {path} link in the email to {address}:\n{text}"
    return match.group(0).removeprefix(base)
