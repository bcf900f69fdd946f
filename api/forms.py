"""The form that creates a personal access token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from api.services import EXPIRY_CHOICES
from core.forms import choices, strip


def scope_words() -> list[tuple[str, str]]:
    """Each scope with what it lets a token do, in plain words (the token form, the consent page)."""
    return [("read", _l("read: see your profile, applications and notifications, and the applications "
                        "of projects you lead")),
            ("apply", _l("apply: apply to projects and withdraw your applications")),
            ("manage", _l("manage: edit your profile, mark notifications read, decide applications "
                          "to projects you lead, submit and review milestones, and answer sponsorships"))]


def scope_choices():
    return choices(scope_words())


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


class ClientForm(FlaskForm):
    """An admin registers a partner platform's OAuth client."""

    name = StringField(_l("Name"), filters=[strip], validators=[InputRequired(), Length(max=80)],
                       description=_l("The platform's name, as members will see it on the consent page."))
    homepage = StringField(_l("Homepage"), filters=[strip], validators=[InputRequired(), Length(max=300)],
                           description=_l("For example https://freelancehub.example."))
    redirect_uris = TextAreaField(_l("Redirect URIs"), validators=[InputRequired(), Length(max=5000)],
                                  description=_l("One a line, matched exactly: https, or http only for 127.0.0.1 "
                                                 "or localhost."))
    scopes = SelectMultipleField(_l("Scopes it may ask for"), widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 validators=[InputRequired(message=_l("Choose at least one scope."))])
    kind = RadioField(_l("Kind of client"), default="confidential")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = scope_choices()
        self.kind.choices = choices([("confidential", _l("Confidential: a server that can keep a secret")),
                                     ("public", _l("Public: a mobile or browser app that cannot keep a secret"))])


class ConsentForm(FlaskForm):
    """The member's answer to a partner app asking for access: Allow or Deny (its CSRF token included)."""

    allow = SubmitField(_l("Allow"))
    deny = SubmitField(_l("Deny"))
