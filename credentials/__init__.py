"""Learning credentials: Open Badges 3.0 issued on delivery (built in the credentials issue)."""
from flask import Blueprint

bp = Blueprint("credentials", __name__, url_prefix="/credentials")
