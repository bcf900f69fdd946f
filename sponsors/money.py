"""Money: amounts are stored in minor units with an ISO 4217 code, shown per currency, never summed across."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, list_currencies
from flask_babel import format_currency
from flask_babel import gettext as _


def known_currency(code: str | None) -> bool:
    return bool(code) and len(code) == 3 and code.upper() == code and code in list_currencies()


def digits(currency: str) -> int:
    return get_currency_precision(currency)


def to_minor(text: str, currency: str) -> int:
    """'1 500.50' in EUR → 150050; raises ValueError with a sentence for the user."""
    if not known_currency(currency):
        raise ValueError(_("Choose a currency by its ISO 4217 code, such as EUR, USD or CAD."))
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("Enter the amount as a number, such as 1500 or 1500.50.")) from None
    if not amount.is_finite():
        raise ValueError(_("Enter the amount as a number, such as 1500 or 1500.50."))
    if amount <= 0:
        raise ValueError(_("The amount must be more than zero."))
    minor = amount * (10 ** digits(currency))
    if minor != minor.to_integral_value():
        raise ValueError(_("%(currency)s has %(digits)d decimal places.", currency=currency,
                           digits=digits(currency)))
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
