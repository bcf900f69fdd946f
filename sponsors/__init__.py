"""Sponsors: organisations, their members, and the sponsorships they give to projects."""
from flask import Blueprint

bp = Blueprint("sponsors", __name__)

from sponsors import demo, scale, sections, views  # noqa: E402,F401  (routes, sections and seeders register on import)
