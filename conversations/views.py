"""Routes of the three kinds of thread (a project team's, a milestone's, an application's) and of one message
(edit, remove). Who may read, write, edit and remove is the permission table's answer."""
from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse_many
from sqlalchemy import select

from conversations import bp, queries, services, text
from conversations.forms import MessageForm
from conversations.models import Thread
from core.authz import MESSAGE_EDIT_WINDOW, can, require
from core.errors import FieldError
from core.extensions import db, limiter
from core.forms import show_field_errors
from core.integers import page_number
from projects import queries as project_queries
from projects.models import Milestone
from projects.views import project_or_404

RATE_SCOPE = "conversations.post"


def _posting_limits():
    return parse_many(current_app.config["MESSAGE_RATE_LIMIT"])


def _over_posting_limit() -> bool:
    """Whether the member has posted as many messages as the limits allow for now (counted in Flask-Limiter's
    own storage, shared by every web process when Redis is configured). Only messages really posted count, so
    a refused message (empty, a mention outside the thread) costs nothing."""
    return limiter.enabled and not all(limiter.limiter.test(limit, RATE_SCOPE, current_user.get_id())
                                       for limit in _posting_limits())


def _count_post() -> None:
    if limiter.enabled:
        for limit in _posting_limits():
            limiter.limiter.hit(limit, RATE_SCOPE, current_user.get_id())


def title_of(thread: Thread) -> str:
    if thread.kind == "application":
        return _("Application of %(name)s to “%(project)s”", name=thread.application.user.name,
                 project=thread.project.title)
    if thread.kind == "milestone":
        return _("Conversation on “%(milestone)s”", milestone=thread.milestone.title)
    return _("Team discussion of “%(project)s”", project=thread.project.title)


def show(thread: Thread, place: queries.Place, form: MessageForm | None = None, status: int = 200):
    """The thread's page of messages (the first page holding something unread, unless asked), then the reader's
    place moves to the newest message shown."""
    number = page_number() if "page" in request.args else queries.first_unread_page(thread, place)
    page = queries.messages(thread, number)
    may_post = can(current_user, f"thread.{thread.kind}.post", thread)
    if form is None and may_post:
        form = MessageForm()
    first_unread = next((m.id for m in page.items
                         if m.id > place.last_read_id and m.author_id != current_user.id), None)
    html = render_template("conversations/thread.html", thread=thread, title=title_of(thread), page=page,
                           form=form if may_post else None, first_unread=first_unread, render=text.render,
                           url_args=request.view_args)
    services.mark_read(thread, current_user, place, max((m.id for m in page.items), default=0))
    return html, status


def converse(thread: Thread, place: queries.Place):
    require(current_user, f"thread.{thread.kind}.view", thread)
    if request.method == "GET":
        return show(thread, place)
    require(current_user, f"thread.{thread.kind}.post", thread)
    form = MessageForm()
    if not form.validate():
        return show(thread, place, form, 400)
    if _over_posting_limit():
        form.body.errors = [_("You are posting faster than this site allows. Wait a minute, then send your "
                              "message again.")]
        return show(thread, place, form, 429)
    try:
        message = services.post_message(thread, current_user, form.body.data)
    except FieldError as error:  # refused before anything was written
        show_field_errors(form, error)
        return show(thread, place, form, 400)
    _count_post()
    flash(_("Your message is posted."), "success")
    return redirect(services.thread_url(thread, message.id))


@bp.route("/projects/<int:project_id>/conversation", methods=["GET", "POST"])
def project(project_id: int):
    thread, place = queries.thread_for("project", project_or_404(project_id), user=current_user)
    return converse(thread, place)


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/conversation", methods=["GET", "POST"])
def milestone(project_id: int, milestone_id: int):
    subject = project_or_404(project_id)
    found = db.first_or_404(select(Milestone).where(Milestone.id == milestone_id, Milestone.project_id == subject.id))
    thread, place = queries.thread_for("milestone", subject, milestone=found, user=current_user)
    return converse(thread, place)


@bp.route("/projects/<int:project_id>/applications/<int:application_id>/conversation", methods=["GET", "POST"])
def application(project_id: int, application_id: int):
    subject = project_or_404(project_id)
    found = project_queries.application_by_id(subject, application_id) or abort(404)
    thread, place = queries.thread_for("application", subject, application=found, user=current_user)
    return converse(thread, place)


def message_or_404(message_id: int, action: str):
    """The message, for someone who reads its thread; others are refused `action` (visitors sign in) before
    seeing anything of it."""
    message = queries.message_by_id(message_id) or abort(404)
    if not can(current_user, f"thread.{message.thread.kind}.view", message.thread):
        require(current_user, action, message)
    return message


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
def edit(message_id: int):
    message = message_or_404(message_id, "message.edit")
    form = MessageForm(obj=message)
    if not can(current_user, "message.edit", message):
        form.body.errors = [services.edit_refusal(message, current_user)]
        return render_template("conversations/edit.html", form=form, message=message, title=title_of(message.thread),
                               thread_url=services.thread_url(message.thread), refused=True,
                               minutes=int(MESSAGE_EDIT_WINDOW.total_seconds() // 60)), 403
    if form.validate_on_submit():
        thread = message.thread
        try:
            services.edit_message(message, current_user, form.body.data)
        except FieldError as error:  # refused before anything was written
            show_field_errors(form, error)
        else:
            flash(_("Your message is changed."), "success")
            return redirect(services.thread_url(thread, message_id))
    return render_template("conversations/edit.html", form=form, message=message, title=title_of(message.thread),
                           thread_url=services.thread_url(message.thread),
                           minutes=int(MESSAGE_EDIT_WINDOW.total_seconds() // 60)), 400 if form.errors else 200


@bp.route("/messages/<int:message_id>/delete", methods=["POST"])
def delete(message_id: int):
    message = message_or_404(message_id, "message.delete")
    thread = message.thread
    services.remove_message(message, current_user)
    flash(_("The message is removed."), "info")
    return redirect(services.thread_url(thread, message_id))
