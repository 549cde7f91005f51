"""Reading what a person typed, in their language.

Case, accents and surrounding punctuation never matter ("SI", "sí", "Sí." are all yes).
Numbers follow the person's locale (es-MX and en-US both write ``1,500.25``); a comma followed
by one or two digits (``1,5``), which no locale groups that way, is read as a decimal comma,
as many people in Mexico write it. Dates are read as ISO (``2026-03-15``), in the locale's
numeric order (``15/03/2026`` in Spanish, ``3/15/2026`` in English), or with the month's name
(``15 de marzo``, ``15 de marzo de 2026``, ``March 15, 2026``); a date without a year is in
the current year. Each reader returns the value or raises Refused with a translated message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from urllib.parse import urlsplit

from babel.dates import get_date_format, get_month_names

from i18n import N_, gettext, locale_of
from i18n.quantities import Reason, UnreadableQuantity, read_quantity

NOT_A_NUMBER = N_("Please answer with a number.")
# Why a text is not one number, where saying so helps more than asking for a number again.
UNREAD: dict[Reason, str] = {
    "several_numbers": N_("Please answer with one number."),
    "other_currency": N_("Please give the amount in pesos."),
    "mixed_units": N_("Please answer with one number."),
}

YES_WORDS = {"si", "s", "yes", "y", "yeah", "claro", "acepto", "accept", "ok", "okay", "sure"}
YES_PHRASES = {"de acuerdo", "por supuesto", "i agree", "estoy de acuerdo"}
NO_WORDS = {"no", "n", "nope", "nel"}
FILLERS = {"de", "del", "of", "the"}  # "15 de marzo de 2026", "the 15th of March"
DONE_WORDS = {"listo", "ya", "termine", "ya termine", "fin", "done", "finish", "finished"}


class Refused(ValueError):
    """An answer that cannot be accepted; ``message`` is ready to show to the person."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def normalize(text: str) -> str:
    """Lower case, without accents, surrounding punctuation or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain.strip(" .,;:!?¡¿\"'()[]")


def is_done_word(text: str) -> bool:
    return normalize(text) in DONE_WORDS


def read_yes_no(text: str, language: str) -> str:
    words = normalize(text)
    tokens = [token for token in re.split(r"[\s,.;:!]+", words) if token]
    if tokens and tokens[0] in NO_WORDS:
        return "no"
    if tokens and (words in YES_PHRASES or all(token in YES_WORDS for token in tokens)):
        return "yes"
    raise Refused(gettext(language, "Please answer yes or no."))


def match_choice(text: str, choices: list[tuple[str, str]]) -> str | None:
    """The id of the choice named by its id, its number (from 1) or its label."""
    wanted = normalize(text)
    if not wanted:
        return None
    for choice_id, _ in choices:
        if wanted == normalize(choice_id):
            return choice_id
    if wanted.isdigit() and 1 <= int(wanted) <= len(choices):
        return choices[int(wanted) - 1][0]
    labels = [(choice_id, normalize(label)) for choice_id, label in choices]
    for choice_id, label in labels:
        if wanted == label:
            return choice_id
    # A unique beginning of a label is enough ("muy" is ambiguous, "muy util" is not).
    if len(wanted) >= 3:
        starting = [choice_id for choice_id, label in labels if label.startswith(wanted)]
        if len(starting) == 1:
            return starting[0]
    return None


def split_list(text: str) -> list[str]:
    """Items of a typed list: ``1, 3 y 4``, ``2 3``, ``salud; educación``."""
    parts = re.split(r"\s*(?:[,;\n]|\s+y\s+|\s+and\s+)\s*", text.strip())
    items = [part for part in parts if part]
    if len(items) == 1 and re.fullmatch(r"\d+(\s+\d+)+", items[0]):
        items = items[0].split()
    return items


def read_number(text: str, language: str, *, integer: bool) -> int | float:
    """The number a person typed, as ``i18n.quantities`` reads it (``1.234,5``, ``40 %``,
    ``3 mil``, ``$1,500``), or Refused saying what is expected."""
    try:
        number = read_quantity(text, language)
    except UnreadableQuantity as unread:
        raise Refused(gettext(language, UNREAD.get(unread.reason, NOT_A_NUMBER))) from None
    if abs(number) > Decimal(10) ** 15:
        raise Refused(gettext(language, NOT_A_NUMBER))
    if integer:
        if number != number.to_integral_value():
            raise Refused(gettext(language, N_("Please answer with a whole number.")))
        return int(number)
    return float(number)


@cache
def _months(language: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale_of(language)).items():
                names[normalize(name)] = number
    if language == "es":
        names.update(sept=9, setiembre=9)  # common spellings the locale data lacks
    return names


@cache
def _month_first(language: str) -> bool:
    """Whether the locale writes numeric dates month first (3/15/2026)."""
    pattern = get_date_format("short", locale=locale_of(language)).pattern
    return pattern.index("M") < pattern.index("d")


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


def read_date(text: str, language: str, today: date) -> date:
    words = normalize(text)
    relative = {"hoy": 0, "today": 0, "ayer": -1, "yesterday": -1, "manana": 1, "tomorrow": 1}
    try:
        if words in relative:
            return today + timedelta(days=relative[words])
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words):
            year, month, day = map(int, match.groups())
            return date(year, month, day)
        if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?", words):
            first, second = int(match[1]), int(match[2])
            year = _full_year(int(match[3])) if match[3] else today.year
            day, month = (second, first) if _month_first(language) else (first, second)
            return date(year, month, day)
        months = {**_months(language), **_months("es"), **_months("en")}
        tokens = [token for token in re.split(r"[\s,.]+", words) if token not in FILLERS]
        numbers = [int(token) for token in tokens if token.isdigit()]
        named = [months[token] for token in tokens if token in months]
        if len(named) == 1 and len(tokens) == len(numbers) + 1 and 1 <= len(numbers) <= 2:
            day = numbers[0]
            year = _full_year(numbers[1]) if len(numbers) == 2 else today.year
            return date(year, named[0], day)
    except ValueError:
        pass
    raise Refused(gettext(language, "Please write a date, for example 15/03/2026."))


EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def read_email(text: str, language: str) -> str:
    candidate = text.strip()
    if len(candidate) > 254 or not EMAIL.fullmatch(candidate):
        raise Refused(
            gettext(language, "Please write a valid email address, for example nombre@dominio.mx.")
        )
    local, domain = candidate.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def read_url(text: str, language: str) -> str:
    candidate = text.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", candidate):
        candidate = f"https://{candidate}"
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed [IPv6] bracket
        parts, host = None, ""
    if (
        parts is None
        or len(candidate) > 2048
        or parts.scheme.lower() not in ("http", "https")
        or "." not in host
        or not re.fullmatch(r"[a-z0-9.-]+", host)
        or any(char.isspace() for char in candidate)
    ):
        raise Refused(
            gettext(language, "Please write a web address, for example https://www.gob.mx.")
        )
    return candidate


def read_phone(text: str, language: str) -> str:
    """A Mexican number (10 digits, optionally +52) as +52XXXXXXXXXX, or another +country one."""
    compact = re.sub(r"[\s().-]", "", text.strip())
    if re.fullmatch(r"\d{10}", compact):
        return f"+52{compact}"
    if match := re.fullmatch(r"(?:\+|00)?52(?:1)?(\d{10})", compact):
        return f"+52{match[1]}"
    if re.fullmatch(r"\+[1-9]\d{7,14}", compact):
        return compact
    raise Refused(
        gettext(language, "Please write a 10-digit phone number, for example 55 1234 5678.")
    )


def read_location(text: str, language: str) -> tuple[float, float]:
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*", text)
    if match:
        latitude, longitude = float(match[1]), float(match[2])
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            return latitude, longitude
    raise Refused(gettext(language, "Please share a location, or write it as latitude, longitude."))
