"""Sending email: SMTP when SMTP_HOST is set, otherwise .eml files in the instance folder.

Only the transport lives here; what to send, to whom and in which language is
decided by the packages (accounts/mail.py). Call `send` from a job, never
from a request.
"""
from __future__ import annotations

import os
import smtplib
import time
import unicodedata
import uuid
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from datetime import datetime

from flask import current_app
from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from core.audit import utcnow
from core.extensions import db
from core.metrics import EMAILS


class SentMail(db.Model):
    """The Message-ID of every email sent with `send_once`: a job that runs twice sends it once."""

    __tablename__ = "sent_mail"

    message_id: Mapped[str] = mapped_column(String(250), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


def one_line(text: str) -> str:
    """Any user text made fit for a header: every run of whitespace or control characters (CR, LF, tabs,
    Unicode line and paragraph separators, NEL...) becomes one space. A header with a line break raises."""
    return " ".join("".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).split())


def build(to: str, subject: str, text: str, html: str | None = None, *, to_name: str = "",
          headers: dict[str, str] | None = None, message_id: str | None = None) -> EmailMessage:
    """A multipart/alternative message (plain text first, then HTML) from MAIL_FROM to `to`."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = formataddr((one_line(to_name), to)) if to_name else to
    msg["Subject"] = one_line(subject)
    msg["Date"] = formatdate(localtime=False)
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    # A stable Message-ID lets mail clients recognise a copy sent twice as the same message.
    msg["Message-ID"] = f"<{message_id}@{domain}>" if message_id else make_msgid(domain=domain)
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


def send(msg: EmailMessage) -> None:
    """Deliver `msg`; raises (smtplib.SMTPException or OSError) when the server refuses, so the job retries."""
    try:
        _deliver(msg)
    except Exception:
        EMAILS.labels("failed").inc()
        raise
    EMAILS.labels("sent").inc()


def _deliver(msg: EmailMessage) -> None:
    config = current_app.config
    if not config["SMTP_HOST"]:
        _write_eml(msg, Path(config["MAIL_FOLDER"]))
        return
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(msg)


def send_once(msg: EmailMessage) -> bool:
    """Deliver `msg` unless a message with its Message-ID was sent already; False when it was.

    The Message-ID is recorded in the job's transaction before sending: a second copy of the job
    waits on that row, then finds it and sends nothing. If the server refuses, the record rolls
    back with the job, which retries. (Like every notification email: at most once per commit.)
    """
    try:
        with db.session.begin_nested():
            db.session.add(SentMail(message_id=msg["Message-ID"].strip("<>")[:250]))
    except IntegrityError:
        return False
    send(msg)
    return True


def _write_eml(msg: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
    temporary = folder / (name + ".tmp")
    temporary.write_bytes(bytes(msg))
    os.replace(temporary, folder / name)  # readers never see half a file
