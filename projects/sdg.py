"""The UN Sustainable Development Goals, the impact areas a project names (1–17)."""
import functools

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

SDG_NAMES = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}


def sdg_label(number: int) -> str:
    """'SDG 4: Quality education' in the reader's language."""
    return f"{number}. {SDG_NAMES[number]}"


def sdg_titles(numbers) -> str:
    """'SDG 3 Good health and well-being, SDG 4 Quality education' in the reader's language (project cards)."""
    locale = str(get_locale())
    return ", ".join(_sdg_title(locale, number) for number in numbers)


@functools.lru_cache(maxsize=64)
def _sdg_title(locale: str, number: int) -> str:
    """'SDG n Name' in `locale`, the current language (the key keeps each language's titles apart): written once
    per language, since the catalogues do not change while the app runs (two translations less per goal shown)."""
    return f"{gettext('SDG %(number)d', number=number)} {SDG_NAMES[number]}"
