"""Translations (Flask-Babel): Finnish by default, Swedish and English.

Source strings are English; catalogs live in ``service/translations`` and are compiled
to ``.mo`` files kept in the repository (``make translations`` rebuilds them after
``babel.cfg`` extraction). Pages speak a signed-in reader's stored language (the pages
hand it over with ``read_stored_language_with``), else the language the reader chose
(kept in the session cookie under ``LANGUAGE_KEY``), else the browser's best match;
emails choose the recipient's with ``in_language``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, force_locale

babel = Babel()
LANGUAGE_KEY = "language"
_STORED = "ohjaamo.stored_language"


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=_request_language,
        default_locale=app.config["DEFAULT_LANGUAGE"],
        default_timezone="UTC",
    )


def read_stored_language_with(app: Flask, stored: Callable[[], str | None]) -> None:
    """``stored`` tells the signed-in reader's own language (None when nobody is)."""
    app.extensions[_STORED] = stored


def _request_language() -> str | None:
    if not has_request_context():
        return None
    stored = current_app.extensions.get(_STORED)
    own = stored() if stored is not None else None
    if own in current_app.config["LANGUAGES"]:
        return str(own)
    chosen = session.get(LANGUAGE_KEY)
    if chosen in current_app.config["LANGUAGES"]:
        return str(chosen)
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def supported_language(language: str | None) -> str:
    """``language`` if the service speaks it, else DEFAULT_LANGUAGE."""
    if language in current_app.config["LANGUAGES"]:
        return str(language)
    return str(current_app.config["DEFAULT_LANGUAGE"])


@contextmanager
def in_language(language: str | None) -> Iterator[str]:
    """Translate in the given language (one a person chose) within the block."""
    chosen = supported_language(language)
    with force_locale(chosen):
        yield chosen
