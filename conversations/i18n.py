"""Translations from the gettext catalogs in ``locales/``, for every layer of the product.

It lives at the bottom of the dependency chain so that the engine renders its own messages
in the reader's language. Message ids are English; Spanish is the default of every reader.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
# The Babel locale of each language: dates, numbers and plurals follow Mexico's Spanish.
LOCALES = {"es": "es_MX", "en": "en_US"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def gettext(language: str, message: str, **params: Any) -> str:
    text = translations(language).gettext(message)
    return text.format(**params) if params else text


def ngettext(language: str, singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(language).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def locale_of(language: str) -> str:
    return LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE])


def pick_language(*candidates: str | None) -> str:
    """The first supported language among the candidates (``es-MX`` counts as ``es``)."""
    for candidate in candidates:
        if candidate:
            base = candidate.split("-")[0].split("_")[0].lower()
            if base in LANGUAGES:
                return base
    return DEFAULT_LANGUAGE
