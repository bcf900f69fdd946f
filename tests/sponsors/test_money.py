"""Amounts are read the way the reader writes numbers, in the currency's minor units, or refused."""
import pytest
from sqlalchemy import func, select

from core.extensions import db
from sponsors import money
from sponsors.models import Sponsorship
from tests.factories import make_chapter, make_organisation, make_project, make_user

NNBSP = "\u202f"  # the French group separator

# (locale, typed, currency, minor units saved, or None when refused)
READINGS = [
    ("en", "1,500", "EUR", 150000),
    ("en", "1500", "EUR", 150000),
    ("en", "1.5", "EUR", 150),
    ("en", "1,500.50", "EUR", 150050),
    ("en", " 1,500.50 ", "EUR", 150050),
    ("en", "1,50", "EUR", None),        # not a grouping English writes: refused, not read as 150 or 1.50
    ("en", "1,5", "EUR", None),
    ("en", "1.500", "EUR", None),       # three decimals in a currency with two: 1500 in German, 1.5 here
    ("en", "1.500,50", "EUR", None),
    ("en", "1 500", "EUR", None),       # the French way, not the reader's
    ("en", "1e3", "EUR", None),
    ("en", "١٥٠٠", "EUR", None),
    ("en", "1,500", "JPY", 1500),
    ("en", "1500.5", "JPY", None),
    ("en", "1,500.5", "BHD", 1500500),
    ("en", "1.500", "BHD", 1500),
    ("en", "1.5005", "BHD", None),
    ("fr", "1,5", "EUR", 150),
    ("fr", "1,50", "EUR", 150),
    ("fr", "1 500", "EUR", 150000),
    ("fr", f"1{NNBSP}500", "EUR", 150000),
    ("fr", "1\u00a0500,50", "EUR", 150050),
    ("fr", "1500", "EUR", 150000),
    ("fr", "1,500", "EUR", None),       # 1.500 in French: more decimals than euros have
    ("fr", "1,500", "BHD", 1500),
    ("fr", "1.5", "EUR", None),         # the English decimal point is not the reader's
    ("fr", "1.500", "EUR", None),
    ("fr", "1,500.50", "EUR", None),
    ("fr", "1 5 0 0", "EUR", None),
    ("fr", "1 500", "JPY", 1500),
    ("fr", "1 500,5", "JPY", None),
]


@pytest.mark.parametrize("locale, typed, currency, saved", READINGS)
def test_amounts_are_read_in_the_readers_locale(app, locale, typed, currency, saved):
    with app.test_request_context():
        if saved is None:
            with pytest.raises(ValueError):
                money.to_minor(typed, currency, locale)
        else:
            assert money.to_minor(typed, currency, locale) == saved


@pytest.mark.parametrize("locale, typed, currency, message", [
    ("en", "1,50", "EUR", "Enter the amount as a number written like 1,500.50."),
    ("en", "1.500", "EUR", "EUR has 2 decimal places: write the amount like 1,500.50."),
    ("en", "10.5", "JPY", "JPY has 0 decimal places: write the amount like 1,500."),
    ("en", "0", "EUR", "The amount must be more than zero."),
    ("en", "-5", "EUR", "The amount must be more than zero."),
    ("fr", "1.5", "EUR", f"Saisissez le montant sous forme de nombre, écrit comme 1{NNBSP}500,50."),
    ("fr", "1,500", "EUR", f"EUR a 2 décimales : écrivez le montant comme 1{NNBSP}500,50."),
])
def test_a_refusal_says_how_to_write_the_amount(app, locale, typed, currency, message):
    with app.test_request_context(headers={"Accept-Language": locale}):
        with pytest.raises(ValueError) as refused:
            money.to_minor(typed, currency)
        assert str(refused.value) == message


def test_the_example_follows_the_currencys_minor_units(app):
    with app.test_request_context():
        assert [money.example(c, "en") for c in ("JPY", "EUR", "BHD")] == ["1,500", "1,500.50", "1,500.500"]
        assert money.example("EUR", "fr") == f"1{NNBSP}500,50"


# Through the sponsorship form -------------------------------------------------------------------------------------

@pytest.fixture
def w(app):
    lead = make_user("lead")
    project = make_project(make_chapter(lead), title="Water map", status="recruiting")
    sponsor_admin = make_user("sadmin")
    org = make_organisation(sponsor_admin, name="Acme Foundation")
    return {"project": project, "org": org, "admin": sponsor_admin}


def offer(client, w, amount, currency="EUR", language="en"):
    form = {"organisation": str(w["org"].id), "kind": "funding", "amount": amount, "currency": currency}
    return client.post(f"/projects/{w['project'].id}/sponsorships/offer", data=form,
                       headers={"Accept-Language": language}, follow_redirects=True)


def saved() -> list[tuple[int, str]]:
    return db.session.execute(select(Sponsorship.amount_minor, Sponsorship.currency)).all()


@pytest.mark.parametrize("language, amount, currency", [
    ("en", "1,50", "EUR"), ("en", "1.500", "EUR"), ("en", "1 500", "EUR"), ("en", "1500.5", "JPY"),
    ("fr", "1.500", "EUR"), ("fr", "1,500", "EUR"), ("fr", "1,500.50", "EUR"),
])
def test_an_ambiguous_amount_is_refused_next_to_the_field_and_nothing_is_saved(client, auth, w, language, amount,
                                                                              currency):
    auth.login_as(w["admin"])
    response = offer(client, w, amount, currency, language)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="amount-error"' in body
    assert db.session.scalar(select(func.count()).select_from(Sponsorship)) == 0


def test_an_english_reader_typing_1_comma_500_saves_fifteen_hundred_and_is_told_so(client, auth, w):
    auth.login_as(w["admin"])
    body = offer(client, w, "1,500").get_data(as_text=True)
    assert saved() == [(150000, "EUR")]
    assert "Amount recorded: €1,500.00." in body


def test_a_french_reader_typing_1_comma_5_saves_one_euro_fifty_and_is_told_so(client, auth, w):
    auth.login_as(w["admin"])
    body = offer(client, w, "1,5", language="fr").get_data(as_text=True)
    assert saved() == [(150, "EUR")]
    assert "Montant enregistré : 1,50\u00a0€." in body


def test_the_amount_field_shows_the_format_expected_in_the_readers_language(client, auth, w):
    auth.login_as(w["admin"])
    url = f"/projects/{w['project'].id}/sponsorships/offer"
    assert "written like 1,500.50." in client.get(url).get_data(as_text=True)
    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert f"écrit comme 1{NNBSP}500,50." in french
