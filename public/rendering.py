"""Pages rendered on the server, in the visitor's language.

Spanish unless the visitor asks otherwise: ``?lang=`` (the switch on every page) wins over the
browser's ``Accept-Language``. A language chosen with the switch is carried by every link of the
page, so a visitor who chose it keeps it. Templates translate with ``_`` and ``plural`` (the
same catalogs as the rest of the product) and format with ``number``, ``percent`` and ``day``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from i18n import LANGUAGES, accepted_language, gettext, locale_of, ngettext

# The country's day, in its capital: what a page calls today, and the day a moment fell on.
COUNTRY_ZONE = ZoneInfo("America/Mexico_City")
# Pages load nothing from elsewhere and run no inline script: a defect in a template cannot
# become a script injected into a citizen's browser.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def language_of(request: Request) -> str:
    """The language the visitor chose with the switch, else their browser's, else Spanish."""
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return accepted_language(request.headers.get("accept-language", ""))


@cache
def environment(language: str) -> Environment:
    """The templates with the language's translations and formats installed."""
    env = Environment(
        loader=PackageLoader("public"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    locale = locale_of(language)

    def translate(message: str, **params: Any) -> str:
        return gettext(language, message, **params)

    def plural(singular: str, plural_: str, n: int, **params: Any) -> str:
        return ngettext(language, singular, plural_, n, **params)

    def number(value: float | int, digits: int = 0) -> str:
        return format_decimal(round(value, digits), locale=locale)

    def size(value: int) -> str:
        """A file's size as people read it: "18 bytes", "1.5 kB", "23 MB" (evidence is never
        near a gigabyte)."""
        if value < 1000:
            return format_unit(value, "digital-byte", length="long", locale=locale)
        unit, scale = ("digital-kilobyte", 1e3) if value < 1e6 else ("digital-megabyte", 1e6)
        amount = value / scale
        shown = round(amount, 1) if amount < 10 else round(amount)
        return format_unit(shown, unit, length="short", locale=locale)

    def percent(value: float | None) -> str:
        return "—" if value is None else percent_text(language, value)

    def day(value: date | datetime | None, form: str = "medium") -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            # A moment is shown as the day it was in the country's capital.
            value = value.astimezone(COUNTRY_ZONE).date()
        return _day_text(locale, value, form)

    env.globals.update(
        _=translate,
        plural=plural,
        number=number,
        percent=percent,
        size=size,
        day=day,
        language=language,
        plan_name=plan_name,
    )
    return env


# A plan's page writes a few hundred percentages and days, most of them the same few: Babel
# takes tens of microseconds for each, a third of the page's build when written every time.
@lru_cache(maxsize=8192)
def _day_text(locale: str, value: date, form: str) -> str:
    return format_date(value, form, locale=locale)


@lru_cache(maxsize=8192)
def percent_text(language: str, value: float) -> str:
    """``value`` (0 to 100) as a percentage the language writes, to a tenth at most."""
    # In decimal: 33.3 / 100 as a float is 0.33299999999999996, which would be written whole.
    return format_percent(
        Decimal(str(round(value, 1))) / 100, locale=locale_of(language), decimal_quantization=False
    )


def plan_name(title: str, year: int) -> str:
    """A plan's title with its year after it, unless the title already says the year."""
    return title if str(year) in title else f"{title} ({year})"


def url_for_page(request: Request, path: str, **query: Any) -> str:
    """``path`` with ``query`` (None left out) and, if the visitor chose one, their language."""
    shown = {name: value for name, value in query.items() if value is not None}
    if request.query_params.get("lang") in LANGUAGES:
        shown.setdefault("lang", request.query_params["lang"])
    return f"{path}?{urlencode(shown, doseq=True)}" if shown else path


def site_address(request: Request) -> str:
    """The address the site is reached at: the configured one, else the request's."""
    configured = request.app.state.settings.public_base_url
    return str(configured or request.base_url).rstrip("/")


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page ``template`` in the visitor's language."""
    language = language_of(request)
    switch = {
        other: f"{request.url.path}?{urlencode({**request.query_params, 'lang': other})}"
        for other in LANGUAGES
        if other != language
    }
    page = environment(language).get_template(template)
    html = page.render(
        request=request,
        url=lambda path, **query: url_for_page(request, path, **query),
        switch=switch,
        page_url=str(request.url),
        locale=locale_of(language),
        **context,
    )
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={**SECURITY_HEADERS, "Content-Language": language, **(headers or {})},
    )
