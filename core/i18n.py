"""Language choice: the member's profile, else the visitor's pick, else the browser."""
import contextlib

import flask_babel
from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from core.security import reads_cookies


LOCALE_COOKIE = "locale"  # a visitor's choice (core.views.choose_language)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and jobs choose with flask_babel.force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    if request.cookies.get(LOCALE_COOKIE) in languages and reads_cookies():
        return request.cookies[LOCALE_COOKIE]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def request_translations():
    """The catalogue of the current request's language, as flask_babel.get_translations() returns it.

    Flask-Babel finds it again for every message (request context, locale, its identifier, the domain's
    cache): about 6 µs, and a page translates one to two hundred messages. It is kept here on Flask-Babel's
    request context next to the locale and domain objects it was found for, and reused while both are still
    the ones in force: `force_locale` sets another locale object and `refresh` removes it, so the next
    message finds the catalogue again, exactly as Flask-Babel would."""
    try:
        babel_context = g._flask_babel
        locale, domain, translations = babel_context.chapterhouse_translations
        if locale is babel_context.babel_locale and domain is babel_context.babel_domain:
            return translations
    except (AttributeError, RuntimeError):  # nothing kept yet, locale refreshed, or no app context
        pass
    # Flask-Babel's own lookup (not the domain's override, which lands here); sets babel_locale, babel_domain
    translations = flask_babel.Domain.get_translations(flask_babel.get_domain())
    with contextlib.suppress(AttributeError, RuntimeError):
        babel_context = g._flask_babel
        babel_context.chapterhouse_translations = (babel_context.babel_locale, babel_context.babel_domain,
                                                   translations)
    return translations


class RequestCachedDomain(flask_babel.Domain):
    """The default message domain, finding its catalogue with request_translations()."""

    def get_translations(self):
        return request_translations()


def init_translations(app: Flask, babel: flask_babel.Babel) -> None:
    """After babel.init_app: Python's gettext and the templates' _() use request_translations()."""
    babel.domain_instance = RequestCachedDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: request_translations().ugettext(message),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        pgettext=lambda context, message: request_translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(context, singular,
                                                                                          plural, n),
        newstyle=True)


def file_size(size: int | None) -> str:
    """A size in bytes for the reader, in their locale: "45 bytes", "1.5 KB", "2.3 MB" ("1,5 Ko" in French)."""
    from flask_babel import format_decimal, gettext, ngettext

    size = size or 0
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < 1024 * 1024:
        return gettext("%(size)s KB", size=format_decimal(size / 1024, format="#,##0.#"))
    return gettext("%(size)s MB", size=format_decimal(size / (1024 * 1024), format="#,##0.#"))
