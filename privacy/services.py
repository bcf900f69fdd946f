"""Asking for one's data, building the zip, forgetting old exports; deleting one's account."""
from __future__ import annotations

import io
import os
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash

from accounts.mail import external_url
from core import audit, jobs, personal_data
from core.audit import as_utc, utcnow
from core.authz import require
from core.errors import DomainError, FieldError
from core.extensions import db
from privacy.models import DataExport

EXPORT_VALIDITY = timedelta(days=7)
EXPORT_INTERVAL = timedelta(hours=1)  # one export an hour: building one reads everything the member has


def export_folder() -> Path:
    return Path(current_app.config.get("EXPORT_FOLDER") or Path(current_app.instance_path) / "exports")


def path_for(export: DataExport) -> Path:
    return export_folder() / f"{export.file_key}.zip"


def exports_of(user, limit: int = 10) -> list[DataExport]:
    return list(db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)
                                   .order_by(DataExport.created_at.desc(), DataExport.id.desc()).limit(limit)))


def request_export(user) -> DataExport:
    """The member asks for their data; a job builds it and tells them when it is ready."""
    require(user, "data.export")
    latest = db.session.scalar(select(DataExport).where(DataExport.user_id == user.id)
                               .order_by(DataExport.created_at.desc()).limit(1))
    if latest is not None and as_utc(latest.created_at) > utcnow() - EXPORT_INTERVAL:
        raise DomainError(_("Your export is being prepared: we will tell you when it is ready.")
                          if latest.status == "pending" else
                          _("You asked for an export less than an hour ago: please wait before asking again."))
    export = DataExport(user_id=user.id, file_key=secrets.token_hex(16))
    db.session.add(export)
    db.session.flush()
    jobs.enqueue("privacy.tasks.build_export", export.id)
    db.session.commit()
    return export


def readme(user, paths: dict[str, list[str]]) -> str:
    """README.txt of the zip, in the member's language: what each folder holds."""
    languages = current_app.config["LANGUAGES"]
    with force_locale(user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        lines = [_("Everything Chapterhouse holds about you (%(name)s, @%(handle)s), exported on %(date)s.",
                   name=user.name, handle=user.handle, date=utcnow().strftime("%Y-%m-%d %H:%M UTC")), "",
                 _("Dates are in UTC (ISO 8601). JSON files are UTF-8."), ""]
        for name in sorted(paths):
            lines += [f"{name}/", "  " + str(personal_data.PARTS[name].description),
                      *(f"  - {path}" for path in paths[name]), ""]
        lines.append(_("Privacy: %(url)s", url=external_url("privacy.policy")))
    return "\n".join(lines) + "\n"


def write_zip(user, target: Path) -> int:
    """Write the member's zip to `target` (atomically); returns its size in bytes."""
    buffer, paths = io.BytesIO(), {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path, content in personal_data.files_of(user):
            archive.writestr(path, content)
            paths.setdefault(name, []).append(path.split("/", 1)[1])
        archive.writestr("README.txt", readme(user, paths))
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(buffer.getvalue())
    os.replace(temporary, target)
    return len(buffer.getvalue())


@personal_data.eraser("privacy")
def erase_exports(erasure: personal_data.Erasure) -> None:
    for export in db.session.scalars(select(DataExport).where(DataExport.user_id == erasure.user_id)):
        path_for(export).unlink(missing_ok=True)
        db.session.delete(export)


def delete_own_account(user, current_password: str, *, revoke_credentials: bool) -> None:
    """The member deletes their account, confirming with their password."""
    if not check_password_hash(user.password_hash, current_password):
        raise FieldError.on("current_password", _("This is not your current password."))
    delete_account(user, user, revoke_credentials=revoke_credentials)


def delete_account(user, actor, *, revoke_credentials: bool = False, reason: str | None = None) -> None:
    """The member deletes their account (or an admin does, at their request): personal data is erased or
    pseudonymised everywhere (each package's eraser); what the community needs stays, without the person."""
    require(actor, "account.delete", user)
    waiting = personal_data.handovers_of(user)
    if waiting:
        raise DomainError(" ".join(waiting))
    personal_data.erase_everywhere(personal_data.Erasure(
        user.id, user.name, user.handle, user.email, revoke_credentials=revoke_credentials))
    audit.record(actor, "user", user.id, "delete", None, None, reason=reason)
    db.session.commit()
