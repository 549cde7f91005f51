"""The open data: each published table, its fields and keys, and the reader of its rows.

A table is declared once (fields with their Frictionless types, keys, and a reader of its rows
from ``core.public.open_data_rows``), so the files, the Data Package descriptor and the page
listing them cannot drift apart.

A file can be cut to one secretariat and, by the national policy's eje, objective or priority,
to the rows under the lines of action citing a matching priority: those lines are found once
(``Matching``) and every table's query keeps the rows under them. Secretariats, plans and survey
results, which hang above the lines, keep those of the secretariats and plans holding one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Frequency, PracticeTheme, Scale, Secretariat, ValidationState
from core.public import open_data_rows as rows
from core.public.open_data_rows import Rows
from i18n import N_


@dataclass(frozen=True, slots=True)
class Licence:
    name: str
    title: str
    path: str


# The licences a deployment may publish under (``INCORRUPTIBLE_OPEN_DATA_LICENCE``).
LICENCES = {
    licence.name: licence
    for licence in (
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution-ShareAlike 4.0 International",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero v1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "ODbL-1.0",
            "Open Data Commons Open Database License v1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
        Licence(
            "LIBRE-USO-MX",
            "Términos de Libre Uso de los Datos Abiertos MX",
            "https://datos.gob.mx/libreusomx",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str  # a Frictionless Table Schema type
    description: str  # a message id
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    fields: tuple[str, ...]
    table: str
    to: tuple[str, ...] = ("id",)


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the file's name without extension, and the resource's
    title: str  # a message id
    description: str  # a message id
    fields: tuple[Field, ...]
    rows: Rows
    primary_key: tuple[str, ...] = ("id",)
    references: tuple[Reference, ...] = ()


def _id(description: str = N_("Identifier in this site's data.")) -> Field:
    return Field("id", "integer", description, required=True)


def _text(name: str, description: str, *, required: bool = False) -> Field:
    return Field(name, "string", description, required=required)


_CODE = N_("The code the secretariat gave it in its plan.")
_TITLE = N_("Title.")
_DESCRIPTION = N_("Description.")
_POSITION = N_("Its place among its siblings, from 0.")
_WEIGHT = N_("The weight the secretariat set; empty means its estimated hours count.")
_TASK_STATES = ("pending", "in_progress", "blocked", "done", "cancelled")
_THEMES = tuple(theme.value for theme in PracticeTheme)
_PLAN = Reference(("plan_id",), "planes")
_PLAN_ID = Field("plan_id", "integer", N_("The plan's id."), required=True)
_SECRETARIAT_ID = Field("secretariat_id", "integer", N_("The secretariat's id."), required=True)


def _plan_node(parent: Field) -> tuple[Field, ...]:
    """The fields a line of action, an activity and a task open with: their own id, the id of
    the node they hang from (``parent``), then their code, title and description."""
    return (
        _id(),
        parent,
        _text("code", _CODE, required=True),
        _text("title", _TITLE, required=True),
        _text("description", _DESCRIPTION),
    )


TABLES: tuple[Table, ...] = (
    Table(
        "secretarias",
        N_("Secretariats"),
        N_(
            "Each state's executive secretariat of the anticorruption system, and the national one."
        ),
        (
            _id(),
            _text("slug", N_("The secretariat's address on this site."), required=True),
            _text("name", N_("Name."), required=True),
            _text("state", N_("The state it serves.")),
        ),
        rows.secretariats,
    ),
    Table(
        "planes",
        N_("Plans"),
        N_("Annual action plans."),
        (
            _id(),
            _SECRETARIAT_ID,
            Field("year", "integer", N_("The year the plan covers."), required=True),
            _text("title", _TITLE, required=True),
            _text("description", _DESCRIPTION),
        ),
        rows.plans,
        references=(Reference(("secretariat_id",), "secretarias"),),
    ),
    Table(
        "lineas-de-accion",
        N_("Lines of action"),
        N_("Each plan's lines of action, with the priority of the state policy they serve."),
        (
            *_plan_node(_PLAN_ID),
            _text("pea_priority", N_("The priority of the state anticorruption policy it cites.")),
            Field(
                "pna_priorities",
                "array",
                N_(
                    "The numbers (1 to 40) of the national anticorruption policy's priorities it "
                    "cites, as a JSON list: those it names, else those its state policy's "
                    "priority maps to; empty if none."
                ),
            ),
            Field("position", "integer", _POSITION),
            Field("weight", "number", _WEIGHT),
        ),
        rows.objectives,
        references=(_PLAN,),
    ),
    Table(
        "actividades",
        N_("Activities"),
        N_("The activities of each line of action."),
        (
            *_plan_node(
                Field("objective_id", "integer", N_("The line of action's id."), required=True)
            ),
            Field("position", "integer", _POSITION),
            Field("weight", "number", _WEIGHT),
        ),
        rows.activities,
        references=(Reference(("objective_id",), "lineas-de-accion"),),
    ),
    Table(
        "tareas",
        N_("Tasks"),
        N_("The tasks of each activity, as their responsibles last reported them."),
        (
            *_plan_node(Field("activity_id", "integer", N_("The activity's id."), required=True)),
            Field("position", "integer", _POSITION),
            Field("status", "string", N_("Status."), required=True, enum=_TASK_STATES),
            Field("percent", "integer", N_("Percent done, as reported.")),
            Field("start_date", "date", N_("Planned start.")),
            Field("due_date", "date", N_("Due date.")),
            Field("estimated_hours", "number", N_("Hours estimated.")),
            Field("logged_hours", "number", N_("Hours logged.")),
            Field("weight", "number", _WEIGHT),
            Field("inputs", "array", N_("What the task needs (a JSON list of texts).")),
            Field("outputs", "array", N_("What the task delivers (a JSON list of texts).")),
        ),
        rows.tasks,
        references=(Reference(("activity_id",), "actividades"),),
    ),
    Table(
        "dependencias",
        N_("Task dependencies"),
        N_("Which task must finish before which starts, and how many days after."),
        (
            Field("predecessor_id", "integer", N_("The task that finishes first."), required=True),
            Field("successor_id", "integer", N_("The task that starts after it."), required=True),
            Field("lag_days", "integer", N_("Days between the two; negative overlaps them.")),
        ),
        rows.dependencies,
        primary_key=("predecessor_id", "successor_id"),
        references=(
            Reference(("predecessor_id",), "tareas"),
            Reference(("successor_id",), "tareas"),
        ),
    ),
    Table(
        "avance",
        N_("Progress"),
        N_(
            "Each plan, line of action and activity with its progress as reported and as "
            "civil society validated it."
        ),
        (
            Field(
                "level",
                "string",
                N_("What the row is: plan, objective (line of action) or activity."),
                required=True,
                enum=("plan", "objective", "activity"),
            ),
            Field("id", "integer", N_("The id of the plan, line of action or activity."), True),
            _PLAN_ID,
            _text("code", _CODE),
            _text("title", _TITLE, required=True),
            Field("reported_percent", "number", N_("Progress as reported, 0 to 100.")),
            Field("validated_percent", "number", N_("Progress as validated, 0 to 100.")),
            Field("tasks_total", "integer", N_("Tasks counted (cancelled ones are not).")),
            Field("tasks_done", "integer", N_("Tasks done, as reported.")),
            Field("estimated_hours", "number", N_("Hours estimated.")),
            Field("logged_hours", "number", N_("Hours logged.")),
        ),
        rows.progress,
        primary_key=("level", "id"),
        references=(_PLAN,),
    ),
    Table(
        "validaciones",
        N_("Validation outcomes"),
        N_(
            "Each request to civil society to validate a progress report: its state, its dates "
            "and how many validators answered each way, from how many sectors."
        ),
        (
            _id(),
            Field("report_id", "integer", N_("The progress report's id."), required=True),
            Field("task_id", "integer", N_("The task's id."), required=True),
            _PLAN_ID,
            Field("report_status", "string", N_("The status the report gave the task.")),
            Field("report_percent", "integer", N_("The percent the report gave the task.")),
            Field(
                "state",
                "string",
                N_("Outcome: open, validated, disputed, inconclusive or expired."),
                required=True,
                enum=("open", "validated", "disputed", "inconclusive", "expired"),
            ),
            Field("requested_at", "datetime", N_("When validation was asked (UTC).")),
            Field("deadline", "datetime", N_("When it closes unless decided before (UTC).")),
            Field("closed_at", "datetime", N_("When it was decided (UTC); empty while open.")),
            Field("confirmations", "integer", N_("Validators who confirmed the advance.")),
            Field("disputes", "integer", N_("Validators who disputed it.")),
            Field("needs_info", "integer", N_("Validators who asked for more information.")),
            Field("sectors", "integer", N_("Civil-society sectors the confirmations came from.")),
            Field("validators_wanted", "integer", N_("Validators the request asked for.")),
            Field("min_confirmations", "integer", N_("Confirmations it needed.")),
            Field("min_sectors", "integer", N_("Sectors the confirmations had to come from.")),
        ),
        rows.validations,
        references=(_PLAN, Reference(("task_id",), "tareas")),
    ),
    Table(
        "indicadores",
        N_("Indicators"),
        N_("Each plan's indicators, with their baseline and goal."),
        (
            _id(),
            _PLAN_ID,
            Field("objective_id", "integer", N_("The line of action it measures, if one.")),
            _text("name", N_("Name."), required=True),
            _text("method", N_("How it is computed.")),
            _text("unit", N_("Unit."), required=True),
            Field(
                "scale",
                "string",
                N_("What a value can be: a percent, a count, an amount or any number."),
                required=True,
                enum=tuple(scale.value for scale in Scale),
            ),
            Field("baseline", "number", N_("Baseline.")),
            Field("goal", "number", N_("Goal.")),
            Field(
                "frequency",
                "string",
                N_("How often it is measured; on the dates it names, for dates."),
                required=True,
                enum=tuple(frequency.value for frequency in Frequency),
            ),
            Field("starts_on", "date", N_("The first day it measures."), required=True),
            Field("ends_on", "date", N_("The last day it measures."), required=True),
            _text("means_of_verification", N_("Where a measurement can be checked.")),
        ),
        rows.indicators,
        references=(_PLAN, Reference(("objective_id",), "lineas-de-accion")),
    ),
    Table(
        "mediciones",
        N_("Measurements"),
        N_("The measurements reported for each indicator."),
        (
            _id(),
            Field("indicator_id", "integer", N_("The indicator's id."), required=True),
            Field(
                "measured_on",
                "date",
                N_("The last day of the period measured; a period has one row, its current value."),
                required=True,
            ),
            Field("value", "number", N_("Value, in the indicator's unit."), required=True),
            _text("note", N_("Note.")),
            Field(
                "validation",
                "string",
                N_(
                    "Its latest civil-society validation: validated, disputed, open, "
                    "inconclusive or expired; empty if it was never put to validation."
                ),
                enum=tuple(state.value for state in ValidationState),
            ),
        ),
        rows.measurements,
        references=(Reference(("indicator_id",), "indicadores"),),
    ),
    Table(
        "resultados-de-encuestas",
        N_("Survey results"),
        N_(
            "The results of the surveys each secretariat published, a row per option of each "
            "question: counts and shares, Borda points of rankings, averages of ratings and "
            "numbers. Never what anyone wrote; a survey or a question answered by fewer people "
            "than the site's minimum is left out."
        ),
        (
            Field("campaign_id", "integer", N_("The survey campaign's id."), required=True),
            _SECRETARIAT_ID,
            _text("survey", N_("The survey's title."), required=True),
            Field("respondents", "integer", N_("People who finished the survey."), required=True),
            _text("question_id", N_("The question's id in the survey."), required=True),
            _text("question", N_("The question, as asked.")),
            _text("type", N_("The kind of question."), required=True),
            Field("answered", "integer", N_("People who answered the question.")),
            Field("position", "integer", N_("Its place among the question's rows, from 0."), True),
            _text("option", N_("The option's id, or the point of a rating scale.")),
            _text("label", N_("The option, as shown.")),
            Field("count", "integer", N_("People who chose it.")),
            Field("percent", "number", N_("Its share of those who answered, in percent.")),
            Field("borda_points", "integer", N_("A ranking's Borda points.")),
            Field("first_places", "integer", N_("How many ranked it first.")),
            Field("mean", "number", N_("The mean of a rating or a number.")),
            Field("median", "number", N_("The median of a rating or a number.")),
        ),
        rows.survey_results,
        primary_key=("campaign_id", "question_id", "position"),
        references=(Reference(("secretariat_id",), "secretarias"),),
    ),
    Table(
        "buenas-practicas",
        N_("Good practices"),
        N_(
            "The good practices each secretariat published after civil society validated them: "
            "the problem, what was done and its results. A practice names the role to contact, "
            "never a person."
        ),
        (
            _id(),
            _SECRETARIAT_ID,
            _text("title", _TITLE, required=True),
            _text("problem", N_("The problem the practice addresses.")),
            Field("pna_priority", "integer", N_("The priority of the national policy it serves.")),
            _text("pea_priority", N_("The priority of the state anticorruption policy it cites.")),
            _text("actions", N_("What was done.")),
            _text("results", N_("Its results.")),
            Field("theme", "string", N_("Its theme."), enum=_THEMES),
            _text("contact_role", N_("The role to contact at the secretariat.")),
            Field("validated_at", "datetime", N_("When civil society validated it (UTC).")),
            Field("published_at", "datetime", N_("When it was published (UTC).")),
        ),
        rows.practices,
        references=(Reference(("secretariat_id",), "secretarias"),),
    ),
    Table(
        "adopciones",
        N_("Adoptions of good practices"),
        N_(
            "Each published practice another secretariat took into one of its plans, as a line "
            "of action or as an activity under one; cut to a secretariat, those it adopted."
        ),
        (
            Field("practice_id", "integer", N_("The practice's id."), required=True),
            Field("secretariat_id", "integer", N_("The adopting secretariat's id."), True),
            _PLAN_ID,
            Field("objective_id", "integer", N_("The line of action it became or is under."), True),
            Field("activity_id", "integer", N_("The activity it became; empty for a line.")),
            Field("adopted_at", "datetime", N_("When it was adopted (UTC)."), required=True),
        ),
        rows.adoptions,
        primary_key=("practice_id", "plan_id"),
        references=(
            Reference(("practice_id",), "buenas-practicas"),
            Reference(("secretariat_id",), "secretarias"),
            _PLAN,
            Reference(("objective_id",), "lineas-de-accion"),
            Reference(("activity_id",), "actividades"),
        ),
    ),
)
BY_NAME = {table.name: table for table in TABLES}


def field_names(table: Table) -> Sequence[str]:
    return [field.name for field in table.fields]


async def secretariat_by_slug(session: AsyncSession, slug: str) -> Secretariat | None:
    """The secretariat at ``slug``, if there is one."""
    found: Secretariat | None = await session.scalar(
        select(Secretariat).where(Secretariat.slug == slug)
    )
    return found
