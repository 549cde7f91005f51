"""Translations from the gettext catalogs in ``i18n/locales/``, for every layer.

It lives at the bottom of the dependency chain so that the engine renders its own messages
in the reader's language. Message ids are English; Spanish is the default of every reader.

The catalogs are read from their ``.po`` sources when first needed: there is no compiled
file to forget, to ship or to fall out of step with its source, whether the product runs from
a clone or from an installed package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Literal, get_args

from babel.dates import format_interval
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "es"
# The Babel locale of each language: dates, numbers and plurals follow Mexico's Spanish.
LOCALES = {"es": "es_MX", "en": "en_US"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message and its plural for extraction, for ``ngettext`` to translate later."""
    return singular, plural


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Translations:
    """The language's catalog (Spanish for an unknown one), compiled in memory once."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    with open(catalog_path(language), "rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Localized:
    """A message parameter shown in the message's language (``in_language``); ``str()`` shows
    it in Spanish."""

    def in_language(self, language: str) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.in_language(DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Titled(Localized):
    """A title between the reader's quotation marks, after its code if it has one: A1 «Minuta»
    in Spanish, A1 “Minuta” in English. Given as a parameter, it is shown in the message's
    language; ``str()`` shows it in Spanish."""

    title: str
    code: str | None = None

    def in_language(self, language: str) -> str:
        quoted = gettext(language, "“{title}”", title=self.title)
        return f"{self.code} {quoted}" if self.code else quoted


@dataclass(frozen=True)
class Number(Localized):
    """A number as the language writes it: "1,234.5" in Mexico's Spanish as in English."""

    value: Decimal | int | float

    def in_language(self, language: str) -> str:
        return format_decimal(self.value, locale=locale_of(language))


@dataclass(frozen=True)
class Span(Localized):
    """Days from ``starts_on`` to ``ends_on`` as ``date_span`` writes them in the message's
    language."""

    starts_on: date
    ends_on: date

    def in_language(self, language: str) -> str:
        return date_span(self.starts_on, self.ends_on, language)


@dataclass(frozen=True)
class Listed(Localized):
    """Words (message ids) translated and listed as the language lists them: "fotos y
    documentos"."""

    words: tuple[str, ...]

    def in_language(self, language: str) -> str:
        return listing(language, [gettext(language, word) for word in self.words])


def _shown(language: str, params: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.in_language(language) if isinstance(value, Localized) else value
        for name, value in params.items()
    }


def gettext(language: str, message: str, /, **params: Any) -> str:
    text = translations(language).gettext(message)
    return text.format(**_shown(language, params)) if params else text


def ngettext(language: str, singular: str, plural: str, n: int, /, **params: Any) -> str:
    text = translations(language).ngettext(singular, plural, n)
    return text.format(n=n, **_shown(language, params))


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


def accepted_language(header: str) -> str:
    """The first supported language of an ``Accept-Language`` header, else Spanish."""
    return pick_language(*(part.split(";")[0].strip() for part in header.split(",")))


def listing(language: str, items: list[str]) -> str:
    """Items as a sentence lists them in the language: "3, 5 y 9", "3, 5, and 9"."""
    return format_list(items, locale=locale_of(language))


def date_span(starts_on: date, ends_on: date, language: str) -> str:
    """Days from ``starts_on`` to ``ends_on`` as the language writes a span: by month when it
    runs from a month's first day to a month's last ("ene–mar de 2026"), else by day."""
    whole_months = starts_on.day == 1 and (ends_on + timedelta(days=1)).day == 1
    skeleton = "yMMM" if whole_months else "yMMMd"
    return format_interval(starts_on, ends_on, skeleton, locale=locale_of(language))


def sentence(language: str, parts: list[str]) -> str:
    """Clauses joined as one sentence, with a capital first letter and a full stop."""
    text = listing(language, parts)
    return text[:1].upper() + text[1:] + "."
