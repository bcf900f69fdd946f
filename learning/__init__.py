"""Learning: the business-skills framework, the competencies projects practise and their business roles."""
from flask import Blueprint

from core import vocabularies

bp = Blueprint("learning", __name__)

from learning import demo, framework, guards, scale, sections, views  # noqa: E402,F401  (routes, sections, seeders, guards)

# The project form and the project filter offer the framework's competencies (core/vocabularies.py).
vocabularies.register("competency", framework.grouped_choices)
