"""Integers from outside (URL parts, query strings, form fields), bounded to what the databases store.

Row ids are INTEGER columns: 32-bit signed on PostgreSQL, at most 2**31 - 1; a larger number in a URL or a
form would reach the database driver and raise ("integer out of range"; schemathesis found it on the API). Every `<int:...>` route uses BoundedIntConverter (out of range: 404),
every list reads its page with `page_number()` (clamped) and every integer form field is a
BoundedIntegerField (out of range: a message next to the field).
"""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError
from wtforms import IntegerField

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000  # far past the last page of any list; beyond it a list is simply empty


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter, refusing (404) numbers no row id can have."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise ValidationError()
        return number


def page_number(name: str = "page") -> int:
    """The page asked for in the query string: a number from 1 to MAX_PAGE (anything else is page 1 or
    the last allowed page), so no request can send a huge OFFSET to the database."""
    number = request.args.get(name, 1, type=int) or 1
    return min(max(number, 1), MAX_PAGE)


def posted_id(name: str) -> int | None:
    """A row id posted in a form field (a hidden `id`), or None when missing or not a possible id."""
    number = request.form.get(name, type=int)
    return number if number is not None and 0 < number <= MAX_ID else None


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses numbers outside [minimum, maximum] with a message next to the field,
    before any validator or service sees them (a huge number would otherwise reach the database)."""

    def __init__(self, label=None, validators=None, minimum: int = -MAX_ID, maximum: int = MAX_ID, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            self.data = None
            raise ValueError(_l("Enter a number between %(low)d and %(high)d.", low=self.minimum, high=self.maximum))
