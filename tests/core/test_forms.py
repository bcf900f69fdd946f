"""Form helpers of core/forms.py: the country <select> written from a per-language cache."""
import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired, Optional

from core.forms import CountryField, FastSelect


class RequiredCountry(FlaskForm):
    class Meta:
        csrf = False

    country = CountryField("Country", validators=[InputRequired()], blank_label="Choose a country")


class OptionalCountry(FlaskForm):
    class Meta:
        csrf = False

    country = CountryField("Country", validators=[Optional()], blank_label="Any country")


@pytest.mark.parametrize("form_class", [RequiredCountry, OptionalCountry])
@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("sent", [None, "", "FR", "be", "ZZ", '"><script>'])
def test_the_cached_country_select_is_the_generic_one(app, form_class, locale, sent):
    with app.test_request_context("/"), force_locale(locale):
        form = form_class(MultiDict({} if sent is None else {"country": sent}))
        for attributes in ({}, {"class_": "form-select is-invalid", "aria-invalid": "true"}):
            assert str(form.country(**attributes)) == str(FastSelect()(form.country, **attributes))


def test_the_chosen_country_is_selected_in_the_readers_language(app):
    with app.test_request_context("/"), force_locale("fr"):
        html = str(OptionalCountry(MultiDict({"country": "DE"})).country())
    assert '<option selected value="DE">Allemagne</option>' in html
    assert html.count(" selected") == 1 and '<option value="">Any country</option>' in html
