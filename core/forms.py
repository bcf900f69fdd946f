"""Form conventions: trimmed strings, country choices in the user's language, comma-separated lists."""
from __future__ import annotations

import functools

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from markupsafe import escape
from wtforms.validators import Length, Optional
from wtforms.widgets import Select, TextInput

# Babel lists some codes that are not countries (regions, placeholders).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class FastSelect(Select):
    """A <select> that writes each option with one f-string: lists of a thousand options (countries,
    chapters) cost about a millisecond instead of the ten that WTForms' generic attribute rendering takes."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        return f'<option{selected} value="{escape(choice.value)}">{escape(choice.label or choice.value)}</option>'


class FastSelectField(SelectField):
    widget = FastSelect()


@functools.lru_cache(maxsize=16)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    """Babel's territory names sorted for one locale: the same for every request, so computed once."""
    territories = Locale.parse(locale).territories
    return tuple(sorted(((code, name) for code, name in territories.items()
                         if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES),
                        key=lambda item: item[1].casefold()))


@functools.lru_cache(maxsize=16)
def _country_choices(locale: str) -> tuple[SelectChoice, ...]:
    return tuple(choices(_countries(locale)))


def country_choices(blank_label: str | None = None) -> list[SelectChoice]:
    """ISO 3166 alpha-2 codes with their names in the current language, sorted by name."""
    blank = choices([("", blank_label)]) if blank_label is not None else []
    return blank + list(_country_choices(str(get_locale())))


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return get_locale().territories.get(code, code)


class CountryField(FastSelectField):
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
