"""Chapters: a city's freelance community, its lifecycle and its members."""
from flask import Blueprint

bp = Blueprint("chapters", __name__, url_prefix="/chapters")

from chapters import demo, personal_data, scale, sections, views  # noqa: E402,F401  (routes, sections and seeders register on import)
