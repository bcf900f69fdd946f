"""The member's data page (/me/data), the download of an export, and the public privacy page."""
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from accounts.models import User
from core import personal_data
from core.authz import can, require
from core.errors import FieldError
from core.extensions import db
from core.forms import ReasonForm, posted, show_field_errors
from privacy import bp, services
from privacy.forms import DeleteAccountForm
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


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """The member deletes their account, after reading what goes and what stays, with their password."""
    require(current_user, "account.delete", current_user)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_own_account(current_user, form.current_password.data,
                                        revoke_credentials=form.revoke_credentials.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            logout_user()
            flash(_("Your account is deleted. Thank you for what you built here."), "info")
            return redirect(url_for("main.index"))
    return render_template("privacy/delete.html", form=form, handovers=personal_data.handovers_of(current_user)), \
        400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/delete", methods=["POST"])
def delete_user(user_id: int):
    """A platform admin deletes an account at its owner's request (the reason is kept in the audit log)."""
    target = db.get_or_404(User, user_id)
    form = posted(ReasonForm)
    services.delete_account(target, current_user, reason=form.reason.data or None)
    flash(_("The account is deleted."), "info")
    return redirect(url_for("accounts.admin_users"))
