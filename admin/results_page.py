"""A campaign's results as a page for coordinators: headings, SVG bar charts drawn here, and a
table beside every chart for those who do not see it. No script is needed to read it.

Every value is escaped where it is written: answers are whatever people typed.
"""

from __future__ import annotations

from html import escape
from typing import Any

from babel.numbers import format_decimal

from i18n import N_, gettext, locale_of

BY = {"sector": N_("By sector"), "roles": N_("By role"), "secretariat": N_("By secretariat")}
BAR_HEIGHT = 24
LABEL_WIDTH = 260
BAR_WIDTH = 300
CHART_WIDTH = LABEL_WIDTH + BAR_WIDTH + 80
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
section{border-top:1px solid #ccc;margin-top:1.5rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}
td.n{text-align:right}
svg text{font-size:13px;fill:#1a1a1a}
svg rect{fill:#1f5f8b}
.suppressed{font-style:italic}
"""


def render(result: dict[str, Any], title: str, language: str) -> str:
    """The whole page of a campaign's results (``result`` as ``campaign_results`` gives it)."""

    def _(message: str, **params: Any) -> str:
        return gettext(language, message, **params)

    parts = [
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        _paragraph(_("Respondents: {n}", n=result["respondents"])),
    ]
    parts.extend(_questions(result["questions"], language, 2))
    breakdown = result.get("breakdown")
    if breakdown:
        by = BY.get(breakdown["attribute"], breakdown["attribute"])
        parts.append(f"<h2>{escape(_(by))}</h2>")
        for group in breakdown["groups"]:
            name = str(group["value"]) if group["value"] is not None else _("Not stated")
            parts.append(f"<h3>{escape(name)}</h3>")
            if group["suppressed"]:
                parts.append(_paragraph(_("Too few respondents to show."), "suppressed"))
            else:
                parts.append(_paragraph(_("Respondents: {n}", n=group["respondents"])))
                parts.extend(_questions(group["questions"], language, 4))
    parts.append("</main></body></html>")
    return "".join(parts)


def _questions(questions: list[dict[str, Any]], language: str, level: int) -> list[str]:
    parts = []
    for question in questions:
        parts.append(f"<section><h{level}>{escape(question['text'])}</h{level}>")
        parts.extend(_question(question, language))
        parts.append("</section>")
    return parts


def _question(question: dict[str, Any], language: str) -> list[str]:
    def _(message: str, **params: Any) -> str:
        return gettext(language, message, **params)

    if question.get("suppressed"):
        return [_paragraph(_("Too few answers to show."), "suppressed")]
    parts = [_paragraph(_("Answered: {n}", n=question["answered"]))]
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


def _paragraph(text: str, css: str | None = None) -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<p{attribute}>{escape(text)}</p>"


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
