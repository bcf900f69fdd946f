"""Routes for mentoring: the list of mentors, an offer's page and form, asking for a mentor, a mentorship's page
with its answer, sessions and end."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.authz import can, require
from core.errors import FieldError
from core.forms import ReasonForm, posted, show_field_errors
from core.integers import page_number
from core.page_cache import cached_page
from mentoring import bp, queries, services
from mentoring.forms import AnswerForm, EndForm, MentorFilterForm, OfferForm, RequestForm, SessionForm
from mentoring.lifecycle import MENTORSHIP, OFFER, request_blockers
from mentoring.models import MentorOffer, Mentorship


def visible_offer(offer_id: int) -> MentorOffer:
    offer = queries.offer_by_id(offer_id)
    if offer is None or not can(current_user, "mentor_offer.view", offer):
        abort(404)
    return offer


def acted_on(mentorship_id: int) -> Mentorship:
    """The mentorship a form posts to: the rule of the action decides (403), as for every other action."""
    mentorship = queries.mentorship_by_id(mentorship_id)
    if mentorship is None:
        abort(404)
    return mentorship


def visible_mentorship(mentorship_id: int) -> Mentorship:
    mentorship = queries.mentorship_by_id(mentorship_id)
    if mentorship is None or not can(current_user, "mentorship.view", mentorship):
        abort(404)  # a mentorship is private to its pair: others do not learn it exists
    return mentorship


@bp.route("/mentors/")
@cached_page
def index():
    form = MentorFilterForm(request.args, skills=queries.skill_choices())
    form.validate()
    filters = queries.Filters(
        competency=form.competency.data if not form.competency.errors and form.competency.data else "",
        skill=form.skill.data if not form.skill.errors and form.skill.data else "",
        chapter=form.chapter.data if not form.chapter.errors and form.chapter.data else "",
        available=bool(form.available.data))
    page = queries.offers(filters, page=page_number())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("mentoring/index.html", form=form, page=page, args=args,
                           labels=queries.competency_labels, my_offer_id=services.offer_id_of(current_user))


@bp.route("/mentors/offer", methods=["GET", "POST"])
@login_required
def edit_offer():
    offer = services.offer_of(current_user)
    require(current_user, "mentor_offer.edit" if offer else "mentoring.offer", offer)
    form = OfferForm(obj=offer)
    if request.method == "GET" and offer is not None:
        form.competencies.data = offer.competency_codes
        form.skills.data = [skill.label for skill in offer.skills]
    if form.validate_on_submit():
        try:
            if offer is None:
                offer = services.create_offer(current_user, **form.service_fields())
                flash(_("Your offer to mentor is published."), "success")
            else:
                services.update_offer(offer, current_user, **form.service_fields())
                flash(_("Your offer is saved."), "success")
        except FieldError as error:
            show_field_errors(form, error)
        else:
            return redirect(url_for("mentoring.offer", offer_id=offer.id))
    return render_template("mentoring/offer_form.html", form=form, offer=offer), 400 if form.errors else 200


@bp.route("/mentors/<int:offer_id>")
@cached_page
def offer(offer_id: int):
    offer = visible_offer(offer_id)
    mine = offer.is_mentor(current_user)
    transitions = OFFER.available(offer, current_user)
    return render_template(
        "mentoring/offer.html", offer=offer, mine=mine, competency_labels=queries.competency_labels(offer),
        chapters=queries.mentor_chapters(offer), transitions=transitions,
        blockers={t.name: OFFER.blockers(offer, current_user, t.name) for t in transitions},
        waiting=queries.requests_waiting(offer) if mine else [],
        open_mentorship=queries.viewer_open_mentorship(offer, current_user),
        request_blockers=request_blockers(offer, current_user) if current_user.is_authenticated else [])


@bp.route("/mentors/<int:offer_id>/transitions/<name>", methods=["POST"])
def offer_transition(offer_id: int, name: str):
    offer = visible_offer(offer_id)
    posted(ReasonForm)
    if name not in ("pause", "resume", "withdraw"):
        abort(404)
    services.transition_offer(offer, current_user, name)
    flash({"pause": _("Your offer is paused: nobody can ask you for mentoring until you take requests again."),
           "resume": _("Your offer takes requests again."),
           "withdraw": _("Your offer is withdrawn.")}[name], "success")
    return redirect(url_for("mentoring.offer", offer_id=offer.id))


@bp.route("/mentors/<int:offer_id>/request", methods=["GET", "POST"])
@login_required
def request_mentoring(offer_id: int):
    offer = visible_offer(offer_id)
    require(current_user, "mentorship.request", offer)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            mentorship = services.request_mentoring(offer, current_user, form.goal.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("Your request is sent. The mentor will answer you here and by notification."), "success")
            return redirect(url_for("mentoring.mentorship", mentorship_id=mentorship.id))
    return render_template("mentoring/request.html", form=form, offer=offer,
                           blockers=request_blockers(offer, current_user)), 400 if form.errors else 200


def render_mentorship(mentorship: Mentorship, session_form=None, answer_form=None, status: int = 200):
    sees_notes = can(current_user, "mentorship.view_notes", mentorship)
    available = MENTORSHIP.available(mentorship, current_user)
    transitions = [t for t in available if t.name in ("withdraw", "end")]
    answers = any(t.name == "accept" for t in available)  # the mentor, while the request waits (the workflow)
    return render_template(
        "mentoring/mentorship.html", mentorship=mentorship, sessions=queries.sessions(mentorship),
        sees_notes=sees_notes, transitions=transitions,
        answer_form=answer_form or (AnswerForm() if answers else None),
        session_form=session_form or (SessionForm() if can(current_user, "mentorship.log_session", mentorship)
                                      else None),
        end_form=EndForm()), status


@bp.route("/mentorships/<int:mentorship_id>")
@login_required
def mentorship(mentorship_id: int):
    return render_mentorship(visible_mentorship(mentorship_id))


@bp.route("/mentorships/<int:mentorship_id>/answer", methods=["POST"])
@login_required
def answer(mentorship_id: int):
    mentorship = acted_on(mentorship_id)
    require(current_user, "mentorship.answer", mentorship)
    form = AnswerForm()
    if not form.validate():
        return render_mentorship(mentorship, answer_form=form, status=400)
    accept = form.decision.data == "accept"
    services.answer(mentorship, current_user, accept, form.message.data)
    flash(_("You accepted: the mentorship starts. Log your sessions here.") if accept
          else _("You declined the request; the member is told."), "success")
    return redirect(url_for("mentoring.mentorship", mentorship_id=mentorship.id))


@bp.route("/mentorships/<int:mentorship_id>/transitions/<name>", methods=["POST"])
@login_required
def transition(mentorship_id: int, name: str):
    mentorship = acted_on(mentorship_id)
    form = posted(EndForm)
    if name == "withdraw":
        services.withdraw(mentorship, current_user)
        flash(_("Your request is withdrawn."), "success")
    elif name == "end":
        services.end(mentorship, current_user, form.reason.data)
        flash(_("The mentorship has ended. Thank you both."), "success")
    else:
        abort(404)
    return redirect(url_for("mentoring.mentorship", mentorship_id=mentorship.id))


@bp.route("/mentorships/<int:mentorship_id>/sessions", methods=["POST"])
@login_required
def log_session(mentorship_id: int):
    mentorship = acted_on(mentorship_id)
    require(current_user, "mentorship.log_session", mentorship)
    form = SessionForm()
    if form.validate():
        try:
            services.log_session(mentorship, current_user, day=form.day.data, minutes=form.minutes.data,
                                 notes=form.notes.data)
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The session is logged."), "success")
            return redirect(url_for("mentoring.mentorship", mentorship_id=mentorship.id, _anchor="sessions"))
    return render_mentorship(mentorship, session_form=form, status=400)
