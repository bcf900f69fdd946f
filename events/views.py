"""Routes for chapter events: lists, pages, the lead's form, answers, attendance and calendars."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from chapters.models import Chapter
from core.authz import can, require
from core.errors import FieldError
from core.extensions import db
from core.forms import ReasonForm, for_members, posted, show_field_errors
from core.integers import page_number
from core.page_cache import cached_page
from events import bp, calendars, queries, services, timezones
from events.forms import AnswerForm, AttendanceForm, CalendarForm, EventForm
from events.lifecycle import EVENT
from events.models import Event


def visible_chapter(slug: str) -> Chapter:
    chapter = db.first_or_404(select(Chapter).where(Chapter.slug == slug))
    if not can(current_user, "chapter.view", chapter):
        abort(404)
    return chapter


def visible_event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    if not can(current_user, "event.view", event):
        abort(404)
    return event


def ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/chapters/<slug>/events")
@cached_page
def chapter_events(slug: str):
    chapter = visible_chapter(slug)
    return render_template("events/index.html", chapter=chapter,
                           upcoming=queries.chapter_events(chapter, past=False, page=page_number("page")),
                           past=queries.chapter_events(chapter, past=True, page=page_number("past_page")),
                           viewer_zone=queries.viewer_timezone(current_user))


@bp.route("/chapters/<slug>/events.ics")
def chapter_feed(slug: str):
    chapter = visible_chapter(slug)
    events = db.session.scalars(select(Event).where(Event.chapter_id == chapter.id)
                                .order_by(Event.starts_at.desc()).limit(500))
    return ics_response(calendars.calendar(events, chapter.name), f"{chapter.slug}-events.ics")


def render_form(form: EventForm, chapter: Chapter, event: Event | None):
    return render_template("events/form.html", form=form, chapter=chapter, event=event), 400 if form.errors else 200


@bp.route("/chapters/<slug>/events/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    chapter = visible_chapter(slug)
    require(current_user, "event.create", chapter)
    form = EventForm(projects=queries.presentable_projects(chapter))
    if request.method == "GET":
        form.timezone.data = timezones.default_for_country(chapter.country)
    if form.validate_on_submit():
        try:
            event = services.create_event(chapter, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The event is scheduled."), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_form(form, chapter, None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    event = visible_event(event_id)
    require(current_user, "event.edit", event)
    form = EventForm(obj=event, projects=queries.presentable_projects(event.chapter))
    if request.method == "GET":
        form.starts_local.data = timezones.local(event.starts, event.timezone).replace(tzinfo=None)
        form.ends_local.data = timezones.local(event.ends, event.timezone).replace(tzinfo=None)
        form.competencies.data = event.competency_codes
        form.presenting.data = event.presenting_ids
    if form.validate_on_submit():
        try:
            services.update_event(event, current_user, **form.service_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_form(form, event.chapter, event)


@bp.route("/events/<int:event_id>")
@cached_page
def detail(event_id: int):
    event = visible_event(event_id)
    rsvp = queries.viewer_rsvp(event, current_user)
    organiser = can(current_user, "event.view_attendees", event)
    transitions = [t for t in EVENT.available(event, current_user) if not EVENT.blockers(event, current_user, t.name)]
    return render_template(
        "events/detail.html", event=event, rsvp=rsvp, position=queries.waiting_position(event, rsvp),
        answers=queries.answers(event) if organiser else [], organiser=organiser,
        viewer_zone=queries.viewer_timezone(current_user), transitions=transitions,
        answer_form=for_members(AnswerForm), competency_labels=queries.competency_labels(event),
        presenting=queries.presenting(event))


@bp.route("/events/<int:event_id>.ics")
def event_file(event_id: int):
    event = visible_event(event_id)
    return ics_response(calendars.calendar([event], event.title), f"event-{event.id}.ics")


@bp.route("/events/<int:event_id>/answer", methods=["POST"])
def answer(event_id: int):
    event = visible_event(event_id)
    form = posted(AnswerForm)
    rsvp = services.answer(event, current_user, form.answer.data == "going")
    messages = {"going": _("You are going. See you there!"),
                "waiting": _("The event is full: you are on the waiting list. We will tell you when a place frees up."),
                "not_going": _("Your answer is saved: not going.")}
    flash(messages[rsvp.status], "success" if rsvp.status == "going" else "info")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.route("/events/<int:event_id>/transitions/<name>", methods=["POST"])
def transition(event_id: int, name: str):
    event = visible_event(event_id)
    form = posted(ReasonForm)
    if name != "cancel":
        abort(404)
    services.cancel_event(event, current_user, form.reason.data)
    flash(_("The event is cancelled; the members who answered are told."), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.route("/events/<int:event_id>/attendance", methods=["POST"])
def attendance(event_id: int):
    event = visible_event(event_id)
    require(current_user, "event.mark_attendance", event)
    form = posted(AttendanceForm)
    count = services.mark_attendance(event, current_user, set(form.attended.data or []))
    flash(_("Attendance is saved: %(count)d attended.", count=count), "success")
    return redirect(url_for("events.detail", event_id=event.id, _anchor="attendance"))


@bp.route("/me/calendar", methods=["GET", "POST"])
@login_required
def my_calendar():
    require(current_user, "calendar.manage")
    calendar = services.calendar_of(current_user)
    form = CalendarForm(data={"timezone": calendar.timezone if calendar else ""})
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.set_timezone(current_user, form.timezone.data or "")
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your time zone is saved."), "success")
            return redirect(url_for("events.my_calendar"))
    feed_url = (url_for("events.personal_feed", user_id=current_user.id, token=calendar.token, _external=True)
                if calendar and calendar.token else None)
    return render_template("events/calendar.html", form=form, feed_url=feed_url,
                           upcoming=queries.my_upcoming(current_user)), 400 if form.errors else 200


@bp.route("/me/calendar/reset", methods=["POST"])
@login_required
def reset_feed():
    posted(ReasonForm)
    services.reset_feed(current_user)
    flash(_("Your calendar has a new secret address; the old one no longer works."), "success")
    return redirect(url_for("events.my_calendar"))


@bp.route("/calendar/<int:user_id>/<token>.ics")
def personal_feed(user_id: int, token: str):
    """The personal feed, opened by calendar apps without signing in: the secret address is the key."""
    user = services.feed_owner(user_id, token)
    if user is None:
        abort(404)
    events = queries.going_events(user)
    body = calendars.calendar(events, _("My Chapterhouse events"),
                              links_for={e.id for e in events if e.status == "scheduled"})
    response = ics_response(body, "chapterhouse.ics")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.app_template_global("event_when")
def event_when(event: Event, viewer_zone: str | None = None) -> dict:
    """The event's start and end for a page: in the event's own zone, named, and in the viewer's when it differs."""
    moments = {"start": timezones.shown(event.starts, event.timezone),
               "end": timezones.shown(event.ends, event.timezone), "iso": event.starts.isoformat()}
    if viewer_zone and viewer_zone != event.timezone:
        moments["viewer_start"] = timezones.shown(event.starts, viewer_zone)
    return moments


@bp.app_template_global("event_kind_label")
def event_kind_label(kind: str) -> str:
    from events.forms import KIND_LABELS

    return str(dict(KIND_LABELS).get(kind, kind))
