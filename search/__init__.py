"""Search across projects, chapters and people, from the header of every page (public data only)."""
from flask import Blueprint

bp = Blueprint("search", __name__)

from search import views  # noqa: E402,F401  (routes)
