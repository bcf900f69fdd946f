"""Learning forms: a project's business role."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from core.forms import choices, strip
from learning.models import KIND_LABELS, ROLE_KINDS
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
