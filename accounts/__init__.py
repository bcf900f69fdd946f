"""Accounts: users, sign-in, profiles, the member dashboard and the admin area."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from accounts import admin_views, demo, views  # noqa: E402,F401  (routes and seeders register on import)
