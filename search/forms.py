"""The search form: the words, and optionally one kind of result."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from core.forms import FastSelectField, choices, strip


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form in every page's header: no token, so visitors' pages stay cacheable

    q = StringField(_l("Search projects, chapters and people"), filters=[strip],
                    validators=[Optional(), Length(min=2, max=100, message=_l(
                        "Type between %(min)d and %(max)d characters.", min=2, max=100))])
    kind = FastSelectField(_l("Show"), validators=[Optional()], choices=choices([
        ("", _l("Everything")), ("projects", _l("Projects")), ("chapters", _l("Chapters")),
        ("people", _l("People"))]))

    def validate_q(self, field):
        if field.data and any(ord(char) < 32 or ord(char) == 127 for char in field.data):
            raise ValidationError(_l("Remove the control characters from your search."))
