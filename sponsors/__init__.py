"""Sponsors: organisations, their members, and the sponsorships they give to projects."""
from flask import Blueprint

bp = Blueprint("sponsors", __name__)

from sponsors import demo, personal_data, scale, sections, tasks, views  # noqa: E402,F401  (routes, sections, seeders, kinds)
