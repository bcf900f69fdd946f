"""Sponsors: organisations, sponsorships and sponsor review (built in the sponsors issue)."""
from flask import Blueprint

bp = Blueprint("sponsors", __name__, url_prefix="/sponsors")
