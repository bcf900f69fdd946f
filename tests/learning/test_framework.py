"""The business-skills framework as data: complete in both languages, codes well formed and stable."""
import re

import pytest
from flask_babel import refresh

from core import vocabularies
from learning import framework

# Codes are stable forever (URLs, credentials' alignments): a code removed or renamed here fails this test.
STABLE_CODES = {
    "brand.positioning", "brand.portfolio", "brand.content", "brand.network",
    "sales.prospecting", "sales.discovery", "sales.pitching", "sales.negotiation",
    "scoping.requirements", "scoping.estimating", "scoping.pricing", "scoping.proposal",
    "delivery.planning", "delivery.time", "delivery.quality", "delivery.change",
    "relations.communication", "relations.reporting", "relations.feedback", "relations.presenting",
    "admin.budget", "admin.invoicing", "admin.contracts", "admin.compliance",
}


def test_the_framework_has_a_version_and_six_areas_of_three_to_five_competencies():
    assert re.fullmatch(r"\d+\.\d+", framework.VERSION)
    assert [area.code for area in framework.AREAS] == ["brand", "sales", "scoping", "delivery", "relations", "admin"]
    assert all(3 <= len(area.competencies) <= 5 for area in framework.AREAS)


def test_codes_are_unique_well_formed_and_never_disappear():
    codes = [c.code for area in framework.AREAS for c in area.competencies]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+", code) and len(code) <= 40 for code in codes)
    assert all(framework.COMPETENCIES[code].area == code.split(".")[0] for code in codes)
    assert STABLE_CODES <= set(codes)


@pytest.mark.parametrize("code", sorted(STABLE_CODES))
def test_every_competency_is_written_in_english_and_in_french(code):
    competency = framework.competency(code)
    for text in (competency.name, competency.good):
        assert text.en.strip() and text.fr.strip() and text.en != text.fr
    assert 200 <= len(competency.good.en) <= 700 and 200 <= len(competency.good.fr) <= 800
    assert competency.good.en.endswith(".") and competency.good.fr.endswith(".")
    assert "  " not in competency.good.en + competency.good.fr


def test_areas_are_named_in_both_languages():
    assert all(area.name.en and area.name.fr and area.name.en != area.name.fr for area in framework.AREAS)


def test_no_esco_uri_is_recorded_without_a_verified_source():
    """The module's docstring says why: none could be verified here. A later one must be an ESCO skill URI."""
    for competency in framework.COMPETENCIES.values():
        assert competency.esco_uri is None or competency.esco_uri.startswith("http://data.europa.eu/esco/skill/")


def test_texts_follow_the_readers_language(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert str(framework.competency("scoping.pricing").name) == "Fixer ses prix"
        assert vocabularies.grouped("competency")[0][0] == "Image de marque et marketing"
    with app.test_request_context():
        refresh()  # Flask-Babel keeps the locale for the application context
        assert str(framework.competency("scoping.pricing").name) == "Pricing"
        assert vocabularies.codes("competency") == set(framework.codes())
