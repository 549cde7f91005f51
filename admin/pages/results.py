"""A campaign's results as a page for coordinators: headings, SVG bar charts drawn here, and a
table beside every chart for those who do not see it; links to the other breakdowns, the other
language and the exports. No script is needed to read it.

Every value is escaped where it is written: answers are whatever people typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from babel.numbers import format_decimal

from admin.pages.layout import Translate, document, link, paragraph, translator
from core.people.roles import ROLE_LABELS, SECTOR_LABELS, Role
from i18n import LANGUAGES, N_, locale_of

BY = {"sector": N_("By sector"), "roles": N_("By role"), "secretariat": N_("By secretariat")}
# The breakdowns offered, by the value of ``?by=`` that asks for each.
BREAKDOWNS = {"sector": "sector", "role": "roles", "secretariat": "secretariat"}
LANGUAGE_NAMES = {"es": "Español", "en": "English"}
BAR_HEIGHT = 24
LABEL_WIDTH = 260
BAR_WIDTH = 300
CHART_WIDTH = LABEL_WIDTH + BAR_WIDTH + 80


def render(
    result: dict[str, Any],
    language: str,
    *,
    base: str,
    by: str | None,
    secretariats: Mapping[int, str],
) -> str:
    """The whole page of a campaign's results (``result`` as ``campaign_results`` gives it),
    whose own address, without its query, is ``base``; ``secretariats`` names the groups of a
    breakdown by secretariat."""
    _ = translator(language)
    title = result["title"]
    parts = [paragraph(_("Respondents: {n}", n=result["respondents"]))]
    parts.append(_choices(language, base, by))
    parts.extend(_questions(result["questions"], language, 2))
    breakdown = result.get("breakdown")
    if breakdown:
        parts.append(f"<h2>{escape(_(BY[breakdown['attribute']]))}</h2>")
        for group in breakdown["groups"]:
            name = _group_name(breakdown["attribute"], group["value"], secretariats, _)
            parts.append(f"<h3>{escape(name)}</h3>")
            if group["suppressed"]:
                parts.append(paragraph(_("Too few respondents to show."), "suppressed"))
            else:
                parts.append(paragraph(_("Respondents: {n}", n=group["respondents"])))
                parts.extend(_questions(group["questions"], language, 4))
    other = next(code for code in LANGUAGES if code != language)
    links = [
        link("/campaigns.html", _("Campaigns"), lang=language),
        f'<span lang="{other}">'
        f"{link(base + '/results.html', LANGUAGE_NAMES[other], lang=other, by=by)}</span>",
    ]
    return document(title, parts, language, links=links, signed_in=True)


def _group_name(attribute: str, value: Any, secretariats: Mapping[int, str], _: Translate) -> str:
    """What a group of a breakdown is called: a sector, a combination of roles, a secretariat."""
    if value is None:
        return _("Not stated")
    if attribute == "sector" and value in SECTOR_LABELS:
        return _(SECTOR_LABELS[value])
    if attribute == "roles":
        roles = str(value).split("+")
        if all(role in ROLE_LABELS for role in roles):
            return " + ".join(_(ROLE_LABELS[Role(role)]) for role in roles)
    if attribute == "secretariat" and value in secretariats:
        return secretariats[value]
    return str(value)


def _choices(language: str, base: str, by: str | None) -> str:
    """Links to the figures overall or by group, and to the exports in this language."""
    _ = translator(language)
    views = [(None, _("Overall"))] + [
        (key, _(BY[attribute])) for key, attribute in BREAKDOWNS.items()
    ]
    items = [
        f'<li aria-current="page">{escape(text)}</li>'
        if key == by
        else f"<li>{link(base + '/results.html', text, lang=language, by=key)}</li>"
        for key, text in views
    ]
    downloads = [
        link(base + "/export.xlsx", _("Download responses (Excel)"), lang=language),
        link(base + "/export.csv", _("Download responses (CSV)"), lang=language),
    ]
    label = escape(_("Views"))
    files = "".join(f"<li>{item}</li>" for item in downloads)
    return (
        f'<nav aria-label="{label}"><ul class="inline">{"".join(items)}</ul></nav>'
        f'<ul class="inline">{files}</ul>'
    )


def _questions(questions: list[dict[str, Any]], language: str, level: int) -> list[str]:
    parts = []
    for question in questions:
        parts.append(f"<section><h{level}>{escape(question['text'])}</h{level}>")
        parts.extend(_question(question, language))
        parts.append("</section>")
    return parts


def _question(question: dict[str, Any], language: str) -> list[str]:
    _ = translator(language)
    if question.get("suppressed"):
        return [paragraph(_("Too few answers to show."), "suppressed")]
    parts = [paragraph(_("Answered: {n}", n=question["answered"]))]
    if "instances" in question:  # a question inside a repeat: every entry of it is counted
        parts.append(paragraph(_("Entries it was asked in: {n}", n=question["instances"])))
    if "total" in question:  # a repeat
        parts.append(paragraph(_("Entries in all: {n}", n=question["total"])))
    options = question.get("options")
    if options and "borda" in options[0]:
        parts.append(_chart([(o["label"], o["borda"]) for o in options], question["id"]))
        positions = max((len(o["ranks"]) for o in options), default=0)
        header = [
            _("Option"),
            _("Borda points"),
            *(_("Place {n}", n=n + 1) for n in range(positions)),
        ]
        rows = [[o["label"], o["borda"], *o["ranks"]] for o in options]
        parts.append(_table(_("Borda points and places"), header, rows, language))
    elif options:
        parts.append(_chart([(o["label"], o["count"]) for o in options], question["id"]))
        rows = [[o["label"], o["count"], o["percent"]] for o in options]
        parts.append(_table(_("Answers"), [_("Option"), _("Count"), "%"], rows, language))
    if question.get("quartiles"):
        q1, median, q3 = question["quartiles"]
        header = [_("Mean"), _("Median"), _("First quartile"), _("Third quartile"), _("Minimum"),
                  _("Maximum")]  # fmt: skip
        row = [question["mean"], median, q1, q3, question["min"], question["max"]]
        parts.append(_table(_("Summary"), header, [row], language))
    distribution = question.get("distribution")
    if distribution:
        bars = [(_bin(item, language), item["count"]) for item in distribution]
        parts.append(_chart(bars, question["id"] + "-distribution"))
        rows = [[label, count] for label, count in bars]
        parts.append(_table(_("Distribution"), [_("Value"), _("Count")], rows, language))
    for key in ("other_texts", "texts"):
        if question.get(key):
            items = "".join(f"<li>{escape(str(text))}</li>" for text in question[key])
            parts.append(f"<ul>{items}</ul>")
    return parts


def _bin(item: dict[str, Any], language: str) -> str:
    if "from" in item:
        locale = locale_of(language)
        low = format_decimal(round(item["from"], 2), locale=locale)
        high = format_decimal(round(item["to"], 2), locale=locale)
        return f"{low} – {high}"
    return str(item["value"])


def _chart(bars: list[tuple[str, int | float]], key: str) -> str:
    """Horizontal bars, one per label, the longest as wide as the chart; hidden from screen
    readers, which read the table beside it."""
    top = max((value for _, value in bars), default=0) or 1
    height = BAR_HEIGHT * len(bars)
    rows = []
    for index, (label, value) in enumerate(bars):
        y = index * BAR_HEIGHT
        width = round(BAR_WIDTH * value / top)
        shown = label if len(label) <= 36 else label[:35] + "…"
        rows.append(
            f'<text x="0" y="{y + 16}">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{BAR_HEIGHT - 8}"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}">{value}</text>'
        )
    return (
        f'<svg id="chart-{escape(key)}" aria-hidden="true" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}">{"".join(rows)}</svg>'
    )


def _table(caption: str, header: list[str], rows: list[list[Any]], language: str) -> str:
    locale = locale_of(language)

    def cell(value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f'<td class="n">{escape(format_decimal(value, locale=locale))}</td>'
        return f"<td>{escape('' if value is None else str(value))}</td>"

    head = "".join(f'<th scope="col">{escape(str(name))}</th>' for name in header)
    body = "".join("<tr>" + "".join(map(cell, row)) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><tr>{head}</tr>{body}</table>"
