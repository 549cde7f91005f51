"""The sheets of a plan's indicators and of their values, and the labels of frequencies and
scales, in both languages."""

from __future__ import annotations

from core.models import Frequency, Scale
from core.plans.spreadsheets.columns import MAX_ROWS, PLAN, Column, Sheet, normalise
from i18n import N_

# Each indicator is written through the indicator services, a handful of statements apiece: a
# plan has far fewer than it has tasks.
MAX_INDICATORS = 1_000

INDICATORS = Sheet(
    "Indicadores",
    "Indicators",
    (
        Column("name", "Nombre", "Name", required=True),
        Column("objective_code", "Clave objetivo", "Objective code"),
        Column("method", "Método de cálculo", "Method"),
        Column("unit", "Unidad", "Unit", required=True),
        Column("scale", "Escala", "Scale"),
        Column("baseline", "Línea base", "Baseline"),
        Column("goal", "Meta", "Goal"),
        Column("frequency", "Frecuencia", "Frequency", required=True),
        Column("starts_on", "Inicio", "Starts on"),
        Column("ends_on", "Fin", "Ends on"),
        Column("due_dates", "Fechas de corte", "Due dates"),
        Column("means_of_verification", "Medio de verificación", "Means of verification"),
        Column("responsibles", "Responsables", "Responsibles"),
    ),
    frozenset({"method", "due_dates", "means_of_verification", "responsibles"}),
    MAX_INDICATORS,
    N_("The sheet holds at most {limit} rows."),
    N_(
        "The first row of the sheet must hold its column headers (Name, Unit, Frequency…);"
        " it holds none of them."
    ),
)
MEASUREMENTS = Sheet(
    "Mediciones",
    "Measurements",
    (
        Column("indicator", "Indicador", "Indicator", required=True),
        Column("period", "Fin del periodo", "Period end", required=True),
        Column("value", "Valor", "Value", required=True),
        Column("note", "Nota", "Note"),
        Column("revision", "Revisión", "Revision"),
    ),
    frozenset({"note"}),
    MAX_ROWS,
    N_("The sheet holds at most {limit} rows."),
    N_(
        "The first row of the sheet must hold its column headers (Indicator, Period end,"
        " Value…); it holds none of them."
    ),
)
# In the order problems are listed.
SHEETS = (PLAN, INDICATORS, MEASUREMENTS)

FREQUENCY_LABELS = {
    Frequency.MONTHLY: "mensual",
    Frequency.QUARTERLY: "trimestral",
    Frequency.SEMIANNUAL: "semestral",
    Frequency.ANNUAL: "anual",
    Frequency.DATES: "fechas",
}
SCALE_LABELS = {
    Scale.PERCENT: "porcentaje",
    Scale.COUNT: "conteo",
    Scale.AMOUNT: "monto",
    Scale.NUMBER: "número",
}
FREQUENCY_BY_NAME = {
    **{normalise(frequency.value): frequency for frequency in Frequency},
    **{normalise(label): frequency for frequency, label in FREQUENCY_LABELS.items()},
}
SCALE_BY_NAME = {
    **{normalise(scale.value): scale for scale in Scale},
    **{normalise(label): scale for scale, label in SCALE_LABELS.items()},
}
