"""Definitions a secretariat could upload: as data, as YAML or JSON, and as an XLSForm."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook


def survey(
    definition_id: str = "encuesta_propia",
    *,
    title: str = "Encuesta propia",
    questions: tuple[str, ...] = ("¿Qué opinas?", "¿Algo más?"),
) -> dict[str, Any]:
    """A survey of text questions, one per text given."""
    return {
        "id": definition_id,
        "version": 1,
        "kind": "survey",
        "title": {"es": title, "en": f"{title} (en)"},
        "questions": [
            {"id": f"q{number}", "type": "text", "text": text}
            for number, text in enumerate(questions, 1)
        ],
    }


def xlsform(survey_rows: list[list[Any]], settings: dict[str, str] | None = None) -> bytes:
    """An XLSForm workbook: its ``survey`` sheet (the header first) and ``settings``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey_rows:
        sheet.append(row)
    if settings:
        page = workbook.create_sheet("settings")
        page.append(list(settings))
        page.append(list(settings.values()))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
