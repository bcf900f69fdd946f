"""Learning forms: a project's business role, a team member's goals, an attestation."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import choices, strip
from learning.models import ATTESTATION_NOTE_MAX, ENDORSEMENT_MAX, KIND_LABELS, LEVEL_LABELS, LEVELS, ROLE_KINDS
from projects.forms import CheckboxesField


class BusinessRoleForm(FlaskForm):
    kind = SelectField(_l("Kind of role"), validate_choice=False,
                       choices=choices((kind, KIND_LABELS[kind]) for kind in ROLE_KINDS))
    name = StringField(_l("Name (optional)"), filters=[strip], validators=[Optional(), Length(max=80)],
                       description=_l("Your own title for the role; required for “Other role”."))
    # Choices are the project's competencies, set by the view; the service checks the codes.
    competencies = CheckboxesField(_l("Competencies the role practises"), validate_choice=False)

    def service_fields(self) -> dict:
        return {"kind": self.kind.data, "name": self.name.data, "competencies": self.competencies.data or []}


class GoalsForm(FlaskForm):
    """A team member's learning goals and business role; choices are set by the view, the service checks them."""

    goals = CheckboxesField(_l("Your learning goals"), validate_choice=False,
                            description=_l("Choose one to three of the competencies the project practises."))
    role = SelectField(_l("Business role (optional)"), validate_choice=False)

    def service_fields(self) -> dict:
        role = (self.role.data or "").strip()
        return {"codes": self.goals.data or [], "role_id": int(role) if role.isdigit() else None}


class AttestationForm(FlaskForm):
    """One goal's attestation; the view gives each goal's form its own prefix (one page, several forms)."""

    level = SelectField(_l("Level"), validate_choice=False,
                        choices=choices([("", _l("Choose a level"))] + [(level, LEVEL_LABELS[level])
                                                                         for level in LEVELS]))
    note = TextAreaField(_l("What you saw (one sentence)"), filters=[strip],
                         validators=[InputRequired(_l("Write one sentence on what you saw.")),
                                     Length(max=ATTESTATION_NOTE_MAX)])

    def service_fields(self) -> dict:
        return {"level": self.level.data or "", "note": self.note.data or ""}


class EndorsementForm(FlaskForm):
    text = TextAreaField(_l("Your endorsement of the team's work"), filters=[strip],
                         validators=[InputRequired(_l("Write a sentence about the team's work.")),
                                     Length(max=ENDORSEMENT_MAX)],
                         description=_l("One or two sentences, in the name of the organisation you reviewed for."))
