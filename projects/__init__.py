"""Projects: proposals, recruitment, teams, milestones and deliverable review (built in the projects issue)."""
from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")
