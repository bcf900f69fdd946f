"""Members' rights over their data: the export of everything the site holds about them, and the privacy page."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)

from privacy import tasks, views  # noqa: E402,F401  (routes, kinds and periodic jobs register on import)
