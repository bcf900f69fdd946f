"""Accounts: users, sign-in, profiles, the member dashboard and the admin area."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from accounts import account_views, admin_jobs, admin_views, demo, mail_views, personal_data, scale, tasks, two_factor_views, views  # noqa: E402,F401  (routes, seeders and periodic jobs register on import)
