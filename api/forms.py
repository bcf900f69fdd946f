"""The form that creates a personal access token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from api.services import EXPIRY_CHOICES
from core.forms import choices, strip


def scope_choices():
    return choices([("read", _l("read: see your profile, applications and notifications, and the applications "
                                "of projects you lead")),
                    ("apply", _l("apply: apply to projects and withdraw your applications")),
                    ("manage", _l("manage: edit your profile, mark notifications read, decide applications "
                                  "to projects you lead, submit and review milestones, and answer sponsorships"))])


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[InputRequired(), Length(max=80)],
                       description=_l("What the token is for, for example the platform that will use it."))
    scopes = SelectMultipleField(_l("Scopes"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                 validators=[InputRequired(message=_l("Choose at least one scope."))])
    days = SelectField(_l("Expires after"), coerce=int, default=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = scope_choices()
        self.days.choices = [(days, _l("%(days)d days", days=days)) for days in EXPIRY_CHOICES]
