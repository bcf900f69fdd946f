"""Form conventions: trimmed strings, country choices in the user's language, comma-separated lists."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import TextInput

# Babel lists some codes that are not countries (regions, placeholders).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def country_choices(blank_label: str | None = None) -> list[SelectChoice]:
    """ISO 3166 alpha-2 codes with their names in the current language, sorted by name."""
    territories = get_locale().territories
    countries = sorted(((code, name) for code, name in territories.items()
                        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES),
                       key=lambda item: item[1].casefold())
    return choices(([("", blank_label)] if blank_label is not None else []) + countries)


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return get_locale().territories.get(code, code)


class CountryField(SelectField):
    """A country chosen from the ISO list, named in the reader's language."""

    def __init__(self, label=None, validators=None, blank_label=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.blank_label = blank_label

    def iter_choices(self):
        self.choices = country_choices(self.blank_label)
        return super().iter_choices()

    def pre_validate(self, form):
        self.choices = country_choices(self.blank_label)
        super().pre_validate(form)


class CommaSeparatedField(Field):
    """A list of short names typed as 'a, b, c'; duplicates (ignoring case) are dropped."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(self.data or [])

    def process_formdata(self, valuelist):
        self.data = []
        seen = set()
        for item in (valuelist[0] if valuelist else "").split(","):
            name = " ".join(item.split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                self.data.append(name)


class ReasonForm(FlaskForm):
    """The optional (or, for some transitions, required) reason sent with a lifecycle action."""

    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[Optional(), Length(max=2000)])


def show_field_errors(form, error) -> None:
    """Show a service's FieldError next to the fields it names."""
    for name, message in error.errors.items():
        form[name].errors = [*form[name].errors, message]
