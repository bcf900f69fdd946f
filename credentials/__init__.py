"""Learning credentials: Open Badges 3.0 issued on delivery, signed, verifiable and revocable."""
from flask import Blueprint

bp = Blueprint("credentials", __name__, url_prefix="/credentials")

from credentials import cli, endorsement, issuer, models, views  # noqa: E402,F401  (registers the tables, routes and commands)
from credentials import demo, page_views, personal_data, scale, sections  # noqa: E402,F401  (pages, sections, seeders, seed-scale)
