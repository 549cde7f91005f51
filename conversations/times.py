"""Reading a time of day, and a date with its time, as people in Mexico write them.

Times: ``17:30``, ``5:30``, ``17 h``, ``5 pm``, ``5:30 p. m.``, ``a las 10``, ``10 de la
noche``, ``mediodía``; a bare hour from 1 to 11 is in the morning. A date and time is a date as
``conversations.answers.read_date`` reads it (``hoy``, ``mañana``, ``15/03/2026``, ``15 de
marzo``) followed by a time (``mañana a las 10``, ``15/03/2026 17:30``), or ISO
(``2026-03-15T17:30``). Values are ``HH:MM`` and ``YYYY-MM-DDTHH:MM``.
"""

from __future__ import annotations

import re
from datetime import date

from conversations.answers import Refused, normalize, read_date
from i18n import gettext

NAMED = {"mediodia": (12, 0), "medio dia": (12, 0), "noon": (12, 0), "medianoche": (0, 0)}
AFTERNOON = {"pm", "p m", "p.m", "p. m", "de la tarde", "de la noche", "in the evening"}
MORNING = {"am", "a m", "a.m", "a. m", "de la manana", "de la madrugada", "in the morning"}
LEADING = re.compile(r"^(?:a las|a la|las|la|at)\s+")
TIME = re.compile(
    r"(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:h|hrs|horas|hours|o'?clock)?\s*"
    r"(a\.? ?m\.?|p\.? ?m\.?|de la (?:manana|tarde|noche|madrugada)|in the (?:morning|evening))?"
)


def _time(words: str) -> tuple[int, int] | None:
    words = LEADING.sub("", words.strip(" .,"))
    if words in NAMED:
        return NAMED[words]
    match = TIME.fullmatch(words)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    period = (match[3] or "").rstrip(".").replace(".", "").strip()
    period = " ".join(period.split())
    if period in {"p m", "pm"} or period in AFTERNOON:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + 12
    elif period in {"a m", "am"} or period in MORNING:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def read_time(text: str, language: str) -> str:
    """``HH:MM`` of a typed time, or Refused."""
    found = _time(normalize(text))
    if found is None:
        raise Refused(gettext(language, "Please write a time, for example 17:30 or 5 pm."))
    return f"{found[0]:02d}:{found[1]:02d}"


def read_datetime(text: str, language: str, today: date) -> str:
    """``YYYY-MM-DDTHH:MM`` of a typed date followed by a time, or Refused."""
    words = normalize(text)
    if iso := re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})[t ](\d{1,2}:\d{2})(?::\d{2})?", words):
        words = f"{iso[1]} {iso[2]}"
    tokens = words.split(" ")
    for cut in range(1, len(tokens)):
        moment = _time(" ".join(tokens[cut:]))
        if moment is None:
            continue
        try:
            day = read_date(" ".join(tokens[:cut]).strip(" ,"), language, today)
        except Refused:
            continue
        return f"{day.isoformat()}T{moment[0]:02d}:{moment[1]:02d}"
    raise Refused(
        gettext(
            language,
            "Please write a date and a time, for example 15/03/2026 17:30 or “mañana a las 10”.",
        )
    )
