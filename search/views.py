"""The search page: /search?q=…[&kind=projects|chapters|people][&page=N]."""
from flask import render_template, request

from core.integers import page_number
from core.page_cache import cached_page
from search import bp, queries
from search.forms import SearchForm


@bp.route("/search")
@cached_page
def index():
    form = SearchForm(request.args)
    valid = form.validate()
    q, kind = (form.q.data or "", form.kind.data or "") if valid else ("", "")
    preview = page = None
    if q and kind:
        page = queries.one_kind(kind, q, page_number())
    elif q:
        preview = queries.preview(q)
    return render_template("search/index.html", form=form, q=q, kind=kind, preview=preview, page=page,
                           count_cap=queries.COUNT_CAP), 200 if valid else 400
