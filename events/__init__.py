"""Events: chapter events (workshops, meetups, fireside chats, demo days), RSVPs and waiting lists, calendars."""
from flask import Blueprint

bp = Blueprint("events", __name__)

from events import demo, personal_data, scale, sections, tasks, views  # noqa: E402,F401  (routes, sections, seeders, kinds)
