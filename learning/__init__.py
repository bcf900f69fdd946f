"""Learning: the business-skills framework, the competencies projects practise and their business roles."""
from flask import Blueprint

from core import vocabularies

bp = Blueprint("learning", __name__)

# Routes, page sections, seeders, the delivery guard and the export part register themselves on import.
from learning import demo, framework, guards, personal_data, scale, sections, views  # noqa: E402,F401
from learning import (evidence_demo, evidence_scale, evidence_sections, profile_sections,  # noqa: E402,F401
                      evidence_views)  # hours and reflections

# The project form and the project filter offer the framework's competencies (core/vocabularies.py).
vocabularies.register("competency", framework.grouped_choices)
