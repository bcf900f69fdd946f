"""Export jobs: build a member's zip and tell them; every day, delete the exports older than a week."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import User
from accounts.notifications import notify, register_kind
from core.audit import utcnow
from core.extensions import db
from core.schedule import periodic
from core.urls import path_for as url_path
from privacy import services
from privacy.models import DataExport

EXPORT_READY = "privacy.export_ready"
register_kind(EXPORT_READY, _l("Your data export is ready"),
              _l("Your data export is ready: download it within 7 days."))


def build_export(export_id: int) -> None:
    """Write the zip (the same file if the job runs again), mark the export ready and tell its member once."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.status != "pending":
        return
    user = db.session.get(User, export.user_id)
    export.file_size = services.write_zip(user, services.path_for(export))
    export.status, export.ready_at = "ready", utcnow()
    export.expires_at = export.ready_at + services.EXPORT_VALIDITY
    notify([user], EXPORT_READY, url=url_path("privacy.my_data"))


def delete_old_exports() -> None:
    """Remove the files and rows of exports past their week (and of any whose job never finished in a week)."""
    now = utcnow()
    old = db.session.scalars(select(DataExport).where(
        (DataExport.expires_at < now)
        | ((DataExport.status == "pending") & (DataExport.created_at < now - services.EXPORT_VALIDITY))))
    for export in old:
        services.path_for(export).unlink(missing_ok=True)
        db.session.delete(export)


periodic("privacy.tasks.delete_old_exports", cron="30 3 * * *")
