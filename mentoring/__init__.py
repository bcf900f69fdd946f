"""Mentoring: members offer to mentor on business competencies and skills, others ask them, the pair logs sessions."""
from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from mentoring import demo, personal_data, scale, sections, views  # noqa: E402,F401  (routes, sections, seeders)
