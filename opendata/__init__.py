"""Open data: daily JSON Lines and CSV files of the public projects and chapters, listed on /open-data/."""
from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/open-data")

from opendata import tasks, views  # noqa: E402,F401  (routes and the daily job register on import)
