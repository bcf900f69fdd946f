"""Routes for the chapter list, proposals, chapter pages and membership."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from chapters import bp, queries, services
from chapters.forms import ChapterEditForm, ChapterForm, ChapterSearchForm, RoleForm
from chapters.lifecycle import CHAPTER
from chapters.models import Chapter
from core.authz import can, require
from core.errors import FieldError
from core.forms import ReasonForm, for_members, posted, show_field_errors
from core.extensions import db
from core.page_cache import cached_page
from core.pages import render_sections
from core.integers import page_number


def chapter_by_slug(slug: str) -> Chapter:
    """The chapter an action names; the action's own permission decides who may act on it."""
    return db.first_or_404(select(Chapter).where(Chapter.slug == slug))


def visible_chapter(slug: str) -> Chapter:
    chapter = chapter_by_slug(slug)
    if not can(current_user, "chapter.view", chapter):
        abort(404)  # a pending chapter is invisible, not forbidden, to others
    return chapter


def page_arg() -> int:
    return page_number()


@bp.route("/")
@cached_page
def index():
    form = ChapterSearchForm(request.args)
    filters = form.data if form.validate() else {}
    page = queries.search_active(q=filters.get("q") or "", city=filters.get("city") or "",
                                 country=filters.get("country") or "", page=page_arg())
    return render_template("chapters/index.html", form=form, page=page,
                           search_args={k: v for k, v in request.args.items() if k != "page" and v})


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "chapter.propose")
    form = ChapterForm()
    if form.validate_on_submit():
        chapter = services.propose_chapter(current_user, name=form.name.data, city=form.city.data,
                                           country=form.country.data, description=form.description.data)
        flash(_("Thank you! Your chapter is waiting for approval by the platform administrators."), "success")
        return redirect(url_for("chapters.detail", slug=chapter.slug))
    return render_template("chapters/form.html", form=form, chapter=None), 400 if form.errors else 200


@bp.route("/<slug>")
@cached_page
def detail(slug: str):
    chapter = visible_chapter(slug)
    return render_template(
        "chapters/detail.html", chapter=chapter, leads=queries.leads(chapter),
        members=queries.members(chapter, page=page_arg()),
        transitions=CHAPTER.available(chapter, current_user), role=chapter.role_of(current_user),
        role_form=for_members(RoleForm),
        sections=render_sections("chapter", chapter=chapter, user=current_user))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    chapter = chapter_by_slug(slug)
    require(current_user, "chapter.edit", chapter)
    form = ChapterEditForm(obj=chapter)
    if form.validate_on_submit():
        try:
            services.update_chapter(chapter, current_user, name=form.name.data, city=form.city.data,
                                    country=form.country.data, description=form.description.data,
                                    **form.cover_fields())
        except FieldError as error:
            show_field_errors(form, error)
        else:
            flash(_("The chapter is saved."), "success")
            return redirect(url_for("chapters.detail", slug=chapter.slug))
    return render_template("chapters/form.html", form=form, chapter=chapter), 400 if form.errors else 200


@bp.route("/<slug>/transitions/<name>", methods=["POST"])
def transition(slug: str, name: str):
    chapter = chapter_by_slug(slug)
    form = posted(ReasonForm)
    services.transition_chapter(chapter, current_user, name, form.reason.data)
    flash(_("The chapter is now %(status)s.", status=CHAPTER.label(chapter.status)), "success")
    return redirect(url_for("chapters.detail", slug=chapter.slug))


@bp.route("/<slug>/join", methods=["POST"])
def join(slug: str):
    chapter = chapter_by_slug(slug)
    services.join_chapter(chapter, current_user)
    flash(_("Welcome to %(name)s!", name=chapter.name), "success")
    return redirect(url_for("chapters.detail", slug=chapter.slug))


@bp.route("/<slug>/leave", methods=["POST"])
def leave(slug: str):
    chapter = chapter_by_slug(slug)
    services.leave_chapter(chapter, current_user)
    flash(_("You have left %(name)s.", name=chapter.name), "info")
    return redirect(url_for("chapters.detail", slug=chapter.slug))


@bp.route("/<slug>/members/<int:user_id>/role", methods=["POST"])
def set_role(slug: str, user_id: int):
    chapter = chapter_by_slug(slug)
    require(current_user, "chapter.appoint", chapter)
    form = posted(RoleForm)
    services.set_member_role(chapter, current_user, user_id, form.role.data)
    flash(_("The role is changed."), "success")
    return redirect(url_for("chapters.detail", slug=chapter.slug))
