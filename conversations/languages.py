"""The ISO 639 code of a language as XLSForm authors name it in a column.

``Español (es)``, ``English (en-US)``, ``es``, ``es-MX``, ``Spanish``, ``español``, ``chinese``:
the code in parentheses, else a code alone, else a known name (in English, in Spanish or in
the language itself) gives it.
"""

from __future__ import annotations

import re

from conversations.answers import normalize

NAMES = {
    "es": ("spanish", "espanol", "castellano"),
    "en": ("english", "ingles"),
    "fr": ("french", "francais", "frances"),
    "pt": ("portuguese", "portugues"),
    "de": ("german", "deutsch", "aleman"),
    "it": ("italian", "italiano"),
    "zh": ("chinese", "chino", "中文"),
    "ar": ("arabic", "arabe", "العربية"),
    "hi": ("hindi",),
    "sw": ("swahili", "kiswahili", "suajili"),
    "ru": ("russian", "ruso", "русский"),
    "ja": ("japanese", "japones", "日本語"),
    "ko": ("korean", "coreano"),
    "nah": ("nahuatl", "náhuatl"),
    "yua": ("maya", "yucatec maya", "maya yucateco"),
    "zap": ("zapotec", "zapoteco"),
    "mix": ("mixtec", "mixteco"),
    "oto": ("otomi", "hñähñu"),
    "tzo": ("tsotsil", "tzotzil"),
    "tzh": ("tseltal", "tzeltal"),
    "maz": ("mazahua",),
    "tot": ("totonac", "totonaco"),
    "ht": ("haitian creole", "kreyol", "creole"),
}
BY_NAME = {normalize(name): code for code, names in NAMES.items() for name in names}
CODE = r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?"


def language_code(name: str) -> str | None:
    """The code of a language column's suffix, or None when none can be found."""
    if match := re.search(rf"\(\s*{CODE}\s*\)", name):
        return match[1].lower()
    if match := re.fullmatch(rf"\s*{CODE}\s*", name):
        return match[1].lower()
    return BY_NAME.get(normalize(name))
