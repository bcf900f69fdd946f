"""The admin page of background jobs: failed and unfinished intents, Redis and the queue, retry."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, select

from accounts import bp
from core import jobs
from core.authz import require
from core.extensions import db
from core.integers import page_number


@bp.route("/admin/jobs")
def admin_jobs():
    require(current_user, "admin.access")
    failed_first = case((jobs.JobIntent.status == "failed", 0), else_=1)
    query = (select(jobs.JobIntent).where(jobs.JobIntent.status != "done")
             .order_by(failed_first, jobs.JobIntent.created_at.desc(), jobs.JobIntent.id.desc()))
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    redis = jobs.redis_status() if current_app.config.get("REDIS_URL") else None
    return render_template("admin/jobs.html", page=page, counts=jobs.counts(), redis=redis,
                           overdue=jobs.overdue_count())


@bp.route("/admin/jobs/<int:intent_id>/retry", methods=["POST"])
def admin_retry_job(intent_id: int):
    require(current_user, "admin.access")
    intent = db.get_or_404(jobs.JobIntent, intent_id)
    jobs.retry(intent, current_user)
    flash(_("The job is queued again."), "success")
    return redirect(url_for("accounts.admin_jobs"))
