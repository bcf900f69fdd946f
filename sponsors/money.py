"""Money: amounts are stored in minor units with an ISO 4217 code, shown per currency, never summed across."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import (NumberFormatError, format_decimal, get_currency_precision, get_decimal_symbol,
                           get_group_symbol, get_minus_sign_symbol, list_currencies, parse_decimal)
from flask_babel import format_currency, get_locale
from flask_babel import gettext as _


def known_currency(code: str | None) -> bool:
    return bool(code) and len(code) == 3 and code.upper() == code and code in list_currencies()


def digits(currency: str) -> int:
    return get_currency_precision(currency)


SPACES = (" ", "\u00a0", "\u202f")


def _locale(locale: str | None) -> str:
    return str(locale or get_locale() or "en")


def example(currency: str | None = None, locale: str | None = None) -> str:
    """How the reader writes fifteen hundred (and fifty cents, where the currency has cents): '1,500.50'
    in English, '1 500,50' in French, '1,500' for yen."""
    places = digits(currency) if known_currency(currency) else 2
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(Decimal("1500.50") if places else Decimal(1500), format=pattern, locale=_locale(locale))


def _readers_notation(text: str, locale: str) -> str:
    """Accept the spaces a keyboard types where the locale groups with a non-breaking space, and refuse
    any character besides digits and the locale's own group and decimal symbols (so that in French
    "1.500" is refused rather than read as 1.5, and in English "1 500" rather than guessed)."""
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    if group in SPACES:
        text = "".join(group if char in SPACES else char for char in text)
    allowed = set("0123456789-") | {group, decimal, get_minus_sign_symbol(locale)}  # "-5" is told "more than zero"
    if not text or any(char not in allowed for char in text):
        raise ValueError
    return text


def to_minor(text: str, currency: str, locale: str | None = None) -> int:
    """The amount typed by a reader of `locale` (the request's by default) in minor units of `currency`:
    '1,500.50' in English or '1 500,50' in French → 150050 for EUR. Raises ValueError with a sentence
    for the user when the text is not a number written the reader's way (Babel's strict parsing, so
    "1,50" in English is refused, not read as 150) or has more decimals than the currency."""
    if not known_currency(currency):
        raise ValueError(_("Choose a currency by its ISO 4217 code, such as EUR, USD or CAD."))
    locale = _locale(locale)
    not_a_number = _("Enter the amount as a number written like %(example)s.", example=example(currency, locale))
    try:
        amount = parse_decimal(_readers_notation((text or "").strip(), locale), locale=locale, strict=True)
    except (ValueError, NumberFormatError, InvalidOperation):
        raise ValueError(not_a_number) from None
    if not amount.is_finite():
        raise ValueError(not_a_number)
    if amount <= 0:
        raise ValueError(_("The amount must be more than zero."))
    if -amount.as_tuple().exponent > digits(currency):
        raise ValueError(_("%(currency)s has %(digits)d decimal places: write the amount like %(example)s.",
                           currency=currency, digits=digits(currency), example=example(currency, locale)))
    minor = amount.scaleb(digits(currency))
    if minor >= 2**31:
        raise ValueError(_("The amount is too large."))
    return int(minor)


def format_money(amount_minor: int, currency: str) -> str:
    return format_currency(Decimal(amount_minor) / (10 ** digits(currency)), currency)


def totals(sponsorships) -> list[tuple[str, int]]:
    """Funding totals per currency, in currency order; never one sum across currencies."""
    by_currency: dict[str, int] = {}
    for s in sponsorships:
        if s.kind == "funding" and s.status == "confirmed":
            by_currency[s.currency] = by_currency.get(s.currency, 0) + s.amount_minor
    return sorted(by_currency.items())
