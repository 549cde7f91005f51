"""Reading a quantity as people type it in a chat, in Spanish (Mexico) or English.

What is read: one number, written with the locale's marks (``1,234.5``), European style
(``1.234,5``) or grouped by spaces (``1 234,5``); with a sign (``-3``, ``+3``, ``−3``); with a
magnitude (``3 mil``, ``1,5 millones``, ``un millón``, ``2 millones 300 mil``, ``2.5 million``,
``3k``, ``2M``); with a percent sign or word, which does not change the number (``12 %`` is 12:
the caller knows the scale); and with the peso's sign or name (``$1,500``, ``MXN 1,500``,
``1500 pesos``, ``$1,500 M.N.``). Anything else is refused with a reason code, never guessed:
two numbers, a word that is not one of these, another currency, a malformed grouping.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from typing import Literal

from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from i18n import DEFAULT_LANGUAGE, LANGUAGES, locale_of

Reason = Literal[
    "empty",  # nothing but spaces
    "no_number",  # words or signs without a number
    "several_numbers",  # "3 o 4", "3-4", "3 mil 2 millones"
    "malformed_grouping",  # "1,23,4", "1.234,5,6"
    "other_currency",  # "100 dólares": the value is in pesos or in nothing
    "mixed_units",  # a percent and a currency in one answer
    "ambiguous",  # a word whose value depends on the language ("billón" in English)
    "unexpected_text",  # a word or sign that is not part of a quantity
    "too_long",  # more digits than any quantity has
]


class UnreadableQuantity(ValueError):
    """Text that is not one quantity; ``reason`` says why, as a code to translate elsewhere."""

    def __init__(self, reason: Reason, text: str) -> None:
        self.reason: Reason = reason
        self.text = text
        super().__init__(f"{reason}: {text!r}")


# A space separates digits only before a group of exactly three ("1 234", not "3 4").
NUMERAL = r"[.,]?[0-9]+(?:(?:[.,]|\ (?=[0-9]{3}(?![0-9])))[0-9]+)*"
TOKEN = re.compile(rf"(?P<numeral>{NUMERAL})|(?P<word>[^\W\d_]+)|(?P<space>\s+)|(?P<symbol>\S)")
# "$1,500 M.N." (moneda nacional) is read as one word before the text is cut into tokens.
NATIONAL_CURRENCY = re.compile(r"\bm\.\s?n\b\.?", re.IGNORECASE)
MAX_DIGITS = 30

# A lone separator followed by three digits after one to three digits is a thousands group.
GROUPED_ONCE = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")

# Words and signs are compared without case or accents, except "M" (million; "m" is a metre).
MAGNITUDES = {
    "mil": 3,
    "millon": 6,
    "millones": 6,
    "mdp": 6,  # millones de pesos, as the Mexican press writes it
    "mmdp": 9,  # miles de millones de pesos
    "hundred": 2,
    "thousand": 3,
    "million": 6,
    "millions": 6,
    "k": 3,
    "M": 6,
}
# Each word means what it means in its own language; in the other one it may be a slip for
# the word next to it (10^9 and 10^12), so there it is refused.
LANGUAGE_MAGNITUDES = {
    "es": {"billon": 12, "billones": 12},
    "en": {"billion": 9, "billions": 9},
}
# "mil" alone is a thousand; other magnitudes take an article for one: "un millón", "a million".
ONE = {"un", "una", "a", "an", "one"}
IMPLICIT_ONE = {"mil"}
PESOS = ("$", "mxn", "mx", "mn", "peso", "pesos", "pesos mexicanos", "de pesos")
PERCENT = ("%", "por ciento", "porciento", "percent", "per cent", "pct")
OTHER_CURRENCIES = {
    "€",
    "£",
    "¥",
    "usd",
    "us",
    "dolar",
    "dolares",
    "dollar",
    "dollars",
    "dls",
    "dlls",
    "eur",
    "euro",
    "euros",
}


@dataclass(frozen=True)
class Token:
    kind: Literal["numeral", "word", "symbol"]
    text: str  # a word is folded: lower case, no accents ("M" excepted)


def read_quantity(text: str, language: str) -> Decimal:
    """The one number ``text`` states, exactly, or UnreadableQuantity saying why it is not one.

    Which mark is the decimal one:

    - both a comma and a period: the last one is the decimal mark (``1,234.5``, ``1.234,5``);
    - spaces with one of them: spaces group, the mark is decimal (``1 234,5``);
    - one kind only, more than once: it groups, and the groups must be of three (``1.234.567``);
    - one kind only, once: it groups when one to three digits, not starting with 0, come before
      it and exactly three after it; otherwise it is the decimal mark (``12,5``, ``3.75``,
      ``0.125``, ``1234,567``).
      So ``1.234`` and ``1,234`` are both 1234: in a chat a value with three decimals is rare,
      while a thousands group is common, and Mexicans write it with either mark.

    The number keeps the decimals as typed (``1,500.00``); one with a magnitude is whole when
    it can be (``1.5 millones`` is 1500000). The language decides the locale's marks and which
    of "billón" (10^12, Spanish) or "billion" (10^9, English) is understood.
    """
    tokens = _tokens(text)
    if not tokens:
        raise UnreadableQuantity("empty", text)
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        return _quantity(tokens, language)
    except _Unread as unread:
        raise UnreadableQuantity(_reason(tokens, language, unread.reason), text) from None


class _Unread(Exception):
    def __init__(self, reason: Reason) -> None:
        self.reason = reason


def _fold(word: str) -> str:
    if word == "M":
        return word
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _tokens(text: str) -> list[Token]:
    plain = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    plain = NATIONAL_CURRENCY.sub(" mn ", plain)
    plain = re.sub(r"\s+", " ", plain).strip().rstrip(".!").strip()
    tokens = []
    for match in TOKEN.finditer(plain):
        kind = match.lastgroup
        if kind == "numeral":
            tokens.append(Token("numeral", match.group()))
        elif kind == "word":
            tokens.append(Token("word", _fold(match.group())))
        elif kind == "symbol":
            tokens.append(Token("symbol", match.group()))
    return tokens


def _phrase(tokens: list[Token], phrases: tuple[str, ...], *, at_end: bool = False) -> int:
    """How many tokens at the start (or end) spell one of the phrases, the longest; or 0."""
    texts = [token.text for token in tokens]
    for words in sorted((phrase.split() for phrase in phrases), key=len, reverse=True):
        part = texts[len(texts) - len(words) :] if at_end else texts[: len(words)]
        if len(words) <= len(texts) and part == words:
            return len(words)
    return 0


def _quantity(tokens: list[Token], language: str) -> Decimal:
    start, end, sign, units = 0, len(tokens), None, set()
    while start < end:  # before the number: one sign and the peso's sign, in either order
        if tokens[start].text in ("+", "-") and tokens[start].kind == "symbol" and not sign:
            sign = tokens[start].text
            start += 1
        elif length := _phrase(tokens[start:end], PESOS):
            units.add("pesos")
            start += length
        else:
            break
    while end > start:  # after it: the peso's name or a percent
        if length := _phrase(tokens[start:end], PESOS, at_end=True):
            units.add("pesos")
        elif length := _phrase(tokens[start:end], PERCENT, at_end=True):
            units.add("percent")
        else:
            break
        end -= length
    if len(units) > 1:
        raise _Unread("mixed_units")
    value = _compose(tokens[start:end], language)
    return -value if sign == "-" else value


def _magnitude(token: Token, language: str) -> int | None:
    if token.kind != "word":
        return None
    return MAGNITUDES.get(token.text, LANGUAGE_MAGNITUDES[language].get(token.text))


def _compose(tokens: list[Token], language: str) -> Decimal:
    """The sum of terms like ``2 millones`` ``300 mil`` ``500``, each smaller than the last."""
    terms: list[tuple[Decimal, int]] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "numeral":
            number = _numeral(token.text, language)
            position += 1
        elif token.text in ONE:
            number = Decimal(1)
            position += 1
            if position == len(tokens) or _magnitude(tokens[position], language) is None:
                raise _Unread("unexpected_text")
        elif token.text in IMPLICIT_ONE:
            number = Decimal(1)  # the word itself is read next, as the magnitude
        else:
            raise _Unread("unexpected_text")
        exponent = 0
        while position < len(tokens) and (more := _magnitude(tokens[position], language)):
            if more <= exponent:
                break  # "millones mil": the word begins the next term
            exponent += more
            position += 1
        terms.append((number, exponent))
    if not terms:
        raise _Unread("no_number")
    return _sum(terms)


def _sum(terms: list[tuple[Decimal, int]]) -> Decimal:
    if len(terms) > 1 and any(number != number.to_integral_value() for number, _ in terms):
        raise _Unread("several_numbers")  # "1.5 millones 300 mil"
    with localcontext() as exact:
        exact.prec = 2 * MAX_DIGITS + 30
        exact.traps[Inexact] = True
        total, previous = Decimal(0), None
        for number, exponent in terms:
            value = number.scaleb(exponent)
            # Each term counts what the one before it leaves: "2 millones 300 mil", not "3 4".
            if previous is not None and (previous == 0 or value >= Decimal(1).scaleb(previous)):
                raise _Unread("several_numbers")
            total += value
            previous = exponent
        if any(exponent for _, exponent in terms) and total == total.to_integral_value():
            total = total.quantize(Decimal(1))
    return total


def _decimal_mark(numeral: str) -> str | None:
    marks = [char for char in numeral if char in ".,"]
    if not marks:
        return None
    if len(set(marks)) == 2:
        if " " in numeral:
            raise _Unread("malformed_grouping")  # a space, a period and a comma in one number
        return marks[-1]
    if " " in numeral:
        return marks[0]
    if len(marks) > 1 or GROUPED_ONCE.fullmatch(numeral):
        return None
    return marks[0]


def _numeral(numeral: str, language: str) -> Decimal:
    """The numeral written in the locale's own marks, for Babel to read strictly."""
    if sum(char.isdigit() for char in numeral) > MAX_DIGITS:
        raise _Unread("too_long")
    locale = locale_of(language)
    mark = _decimal_mark(numeral)
    decimal, group = "\0", "\1"
    marked = "".join(
        decimal if char == mark else group if char in " .," else char for char in numeral
    )
    in_locale = marked.replace(decimal, get_decimal_symbol(locale)).replace(
        group, get_group_symbol(locale)
    )
    try:
        return parse_decimal(in_locale, locale=locale, strict=True)
    except NumberFormatError:
        raise _Unread("malformed_grouping") from None


def _reason(tokens: list[Token], language: str, reason: Reason) -> Reason:
    """The most telling reason: another currency or a second number before a stray word."""
    other = {"es": "en", "en": "es"}[language]
    numerals = sum(token.kind == "numeral" for token in tokens)
    words = {token.text for token in tokens}
    if words & OTHER_CURRENCIES:
        return "other_currency"
    if reason in ("unexpected_text", "no_number"):
        if words & set(LANGUAGE_MAGNITUDES[other]):
            return "ambiguous"
        if numerals >= 2:
            return "several_numbers"
        if numerals == 0 and not any(_magnitude(token, language) for token in tokens):
            return "no_number"
    return reason
