"""Webhooks: members (partners' accounts) subscribe to events; deliveries are signed (Standard Webhooks), retried
with back-off through the outbox, logged, and turned off after repeated failures."""
from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from webhooks import demo, personal_data, scale, tasks, views  # noqa: E402,F401  (routes, listener, seeders, erasers)
