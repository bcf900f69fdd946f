"""Conversations: threads on an application, a milestone and a project's team, with mentions and unread markers."""
from flask import Blueprint

bp = Blueprint("conversations", __name__)

from conversations import demo, personal_data, scale, sections, views  # noqa: E402,F401  (routes, sections, seeders)
