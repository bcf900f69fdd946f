"""The member's data page (/me/data), the download of an export, and the public privacy page."""
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.authz import can, require
from core.extensions import db
from core.forms import ReasonForm, posted
from privacy import bp, services
from privacy.models import DataExport


@bp.route("/privacy")
def policy():
    return render_template("privacy/policy.html")


@bp.route("/me/data")
@login_required
def my_data():
    require(current_user, "data.export")
    return render_template("privacy/my_data.html", exports=services.exports_of(current_user))


@bp.route("/me/data", methods=["POST"])
def request_export():
    posted(ReasonForm)
    services.request_export(current_user)
    flash(_("Your export is being prepared. We will tell you when it is ready (usually within minutes)."), "success")
    return redirect(url_for("privacy.my_data"))


@bp.route("/me/data/<int:export_id>.zip")
def download(export_id: int):
    export = db.get_or_404(DataExport, export_id)
    if not current_user.is_authenticated:
        require(current_user, "data.download", export)  # sends the visitor to sign in
    if not can(current_user, "data.download", export):
        abort(404)  # someone else's export does not exist, for anyone else
    path = services.path_for(export)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"chapterhouse-{current_user.handle}-{export.ready_at:%Y-%m-%d}.zip")
