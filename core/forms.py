"""Form conventions: trimmed strings, country choices in the user's language, comma-separated lists."""
from __future__ import annotations

import functools

from babel import Locale
from flask import abort
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.fields.choices import Choice, SelectChoice
from markupsafe import Markup, escape
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import Select, TextInput, html_params

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


@functools.lru_cache(maxsize=16)
def _country_options(locale: str, blank_label: str | None) -> tuple[tuple[tuple[str, str], ...], dict[str, int]]:
    """Every country's <option>, not selected and selected, in one language, and each code's position:
    the same for every request in that language, so written once instead of ~250 options per form."""
    countries = country_choices(blank_label)
    rendered = tuple(tuple(FastSelect.render_option(Choice(choice.value, choice.label, selected, choice.render_kw))
                           for selected in (False, True)) for choice in countries)
    positions = {choice.value: index for index, choice in enumerate(countries)}
    return rendered, positions


class CountrySelect(FastSelect):
    """The country <select>, its options taken from _country_options (only the chosen one differs)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        blank_label = None if field.blank_label is None else str(field.blank_label)
        rendered, positions = _country_options(str(get_locale()), blank_label)
        chosen = positions.get(field.data) if isinstance(field.data, str) else None
        options = [selected if index == chosen else plain for index, (plain, selected) in enumerate(rendered)]
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{''.join(options)}</select>")


class CountryField(FastSelectField):
    """A country chosen from the ISO list, named in the reader's language."""

    widget = CountrySelect()

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


class CoverFields:
    """A chapter's or project's cover picture on its form: the photo, what it shows (required with a
    picture, for people who cannot see it) and, when it has one, a box to remove it."""
    cover = FileField(_l("Cover picture (optional)"), description=_l(
        "A PNG, JPEG or WebP photo of at most 8 MB. It is resized for each screen and stripped of its "
        "metadata, such as where it was taken."), render_kw={"accept": "image/png,image/jpeg,image/webp"})
    cover_alt = StringField(_l("What the picture shows"), filters=[strip], validators=[Length(max=200)],
                            description=_l("A short description read to people who cannot see the picture."))
    remove_cover = BooleanField(_l("Remove the current picture"))

    def __init__(self, *args, **kwargs):
        self.current_cover = getattr(kwargs.get("obj"), "cover", None)
        super().__init__(*args, **kwargs)

    def validate_cover_alt(self, field) -> None:
        sending = bool(getattr(self.cover.data, "filename", None))
        keeping = self.current_cover is not None and not self.remove_cover.data
        if (sending or keeping) and not field.data:
            raise ValidationError(_l("Say what the picture shows, for people who cannot see it."))

    def cover_fields(self) -> dict:
        return {"cover": self.cover.data, "cover_alt": self.cover_alt.data or None,
                "remove_cover": self.remove_cover.data}


class ReasonForm(FlaskForm):
    """The optional (or, for some transitions, required) reason sent with a lifecycle action."""

    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[Optional(), Length(max=2000)])


class NoControlCharacters:
    """Refuse control and bidirectional formatting characters (line breaks and tabs are fine)."""

    def __call__(self, form, field):
        import unicodedata
        if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\r\t" for c in field.data or ""):
            raise ValidationError(_l("Remove the invisible control characters."))


class ConfirmForm(FlaskForm):
    """The confirmation page of an action that needs no reason (its token is all it sends)."""


class RequiredReasonForm(FlaskForm):
    """The confirmation page of an action whose reason is kept in the audit log (a suspension, a removal)."""

    reason = TextAreaField(_l("Reason (kept in the audit log)"), filters=[strip],
                           validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000),
                                       NoControlCharacters()])


def show_field_errors(form, error) -> None:
    """Show a service's FieldError next to the fields it names."""
    for name, message in error.errors.items():
        form[name].errors = [*form[name].errors, message]


def posted(form_class: type[FlaskForm]) -> FlaskForm:
    """A button's form (a reason, a role, a decision): the page offered only valid values, so an invalid
    one is a forged or stale request and gets 400."""
    form = form_class()
    if not form.validate():
        abort(400)
    return form


def for_members(form_class: type[FlaskForm]) -> FlaskForm | None:
    """A page's form for a signed-in member; None for a visitor, who has nothing to post there.

    Building a FlaskForm creates a CSRF token (and so a session); a visitor's page without one can be
    served from the page cache (core/page_cache.py).
    """
    return form_class() if current_user.is_authenticated else None


def render_confirmation(form: FlaskForm, *, heading: str, explanation: str, action: str, button: str, back: str,
                        hidden: dict | None = None):
    """The page of its own that asks to confirm an action (GET), or shows it again with the errors of the
    confirmation posted (400): no JavaScript involved."""
    from flask import render_template

    return render_template("confirm.html", form=form, heading=heading, explanation=explanation, action=action,
                           button=button, back=back, hidden=hidden or {}), 400 if form.errors else 200
