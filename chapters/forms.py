"""Chapter forms: propose or edit, search, manage members."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from core.forms import choices, CountryField, CoverFields, strip


class ChapterForm(FlaskForm):
    name = StringField(_l("Chapter name"), filters=[strip], validators=[InputRequired(), Length(min=3, max=120)])
    city = StringField(_l("City"), filters=[strip], validators=[InputRequired(), Length(max=120)])
    country = CountryField(_l("Country"), validators=[InputRequired()], blank_label=_l("Choose a country"))
    description = TextAreaField(
        _l("Description"), filters=[strip], validators=[InputRequired(), Length(min=20, max=5000)],
        description=_l("Who the chapter is for and what it wants to achieve (at least 20 characters)."))
    submit = SubmitField(_l("Save"))


class ChapterEditForm(CoverFields, ChapterForm):
    """Editing a chapter adds its cover picture to what was proposed."""


class ChapterSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name"), filters=[strip], validators=[Optional(), Length(max=120)])
    city = StringField(_l("City"), filters=[strip], validators=[Optional(), Length(max=120)])
    country = CountryField(_l("Country"), validators=[Optional()], blank_label=_l("Any country"))
    submit = SubmitField(_l("Search"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices([("co_lead", _l("Co-lead")), ("member", _l("Member"))]))
