"""Projects: proposals, recruitment, teams, milestones and deliverable review."""
from flask import Blueprint

bp = Blueprint("projects", __name__)

from projects import demo, milestone_views, personal_data, scale, sections, tasks, views  # noqa: E402,F401  (routes, sections, seeders, schedules)
