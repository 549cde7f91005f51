"""The open data: each published table, its fields, and its rows, read in batches.

A table is declared once (fields with their Frictionless types, keys, and a reader of its rows),
so the files, the Data Package descriptor and the page listing them cannot drift apart. Rows
are streamed from the database in batches, so a file of a plan with thousands of tasks is
written with bounded memory. Nothing here names a person: tasks leave out their responsibles,
indicators their responsible, measurements who reported them, validations their validators and
who asked for them.

A file can be cut to one secretariat and, by the national policy's eje, objective or priority,
to the rows under the lines of action citing a matching priority: those lines are found once
(``Matching``) and every table's query keeps the rows under them. Secretariats, plans and survey
results, which hang above the lines, keep those of the secretariats and plans holding one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.chat.definitions import DefinitionCatalog
from core.models import (
    Activity,
    Indicator,
    Measurement,
    Objective,
    Plan,
    Practice,
    PracticeAdoption,
    PracticeState,
    PracticeTheme,
    ProgressReport,
    Secretariat,
    Task,
    TaskDependency,
    ValidationRequest,
)
from core.plans.progress import Progress, plan_progress
from core.policy.pea import cited, pea_mappings
from core.public.advances import vote_counts
from core.public.national_policy import Matching
from core.public.survey_results import published_surveys
from i18n import DEFAULT_LANGUAGE, N_

BATCH = 1000
Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """What a table's rows are read from: the session, the secretariat chosen (None: every
    one), the definitions surveys were asked with, the fewest people a figure may count, and
    the lines of action matching a filter by the national policy (None: no filter)."""

    session: AsyncSession
    secretariat_id: int | None
    catalog: DefinitionCatalog
    min_group: int
    matching: Matching | None = None


Rows = Callable[[Source], AsyncIterator[Row]]


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


async def _stream(session: AsyncSession, query: Select[*tuple[Any, ...]]) -> AsyncIterator[Row]:
    result = await session.stream(query.execution_options(yield_per=BATCH))
    async for row in result:
        yield tuple(row)


def _of_secretariat(query: Query, secretariat_id: int | None) -> Query:
    """``query``, which reaches ``Plan``, cut to one secretariat's plans when one is chosen."""
    return query if secretariat_id is None else query.where(Plan.secretariat_id == secretariat_id)


def _of_plans(source: Source, query: Query, order: Any, *lines: Any) -> AsyncIterator[Row]:
    """The rows of ``query``, which reaches ``Plan``, of the plans chosen, by ``order``; with a
    filter by the national policy, those whose every line-of-action column of ``lines`` holds a
    matching line (without ``lines``, those of the plans holding one)."""
    query = _of_secretariat(query, source.secretariat_id)
    if source.matching is not None:
        matching = source.matching
        if not lines:
            query = query.where(Plan.id.in_(sorted(matching.plans)))
        for line in lines:
            query = query.where(line.in_(sorted(matching.lines)))
    return _stream(source.session, query.order_by(order))


def _secretariats(source: Source) -> AsyncIterator[Row]:
    query = select(Secretariat.id, Secretariat.slug, Secretariat.name, Secretariat.state)
    if source.secretariat_id is not None:
        query = query.where(Secretariat.id == source.secretariat_id)
    if source.matching is not None:
        # Those holding a matching line of action, and those publishing a practice serving a
        # chosen priority (each row of ``buenas-practicas`` names its secretariat).
        query = query.where(
            or_(
                Secretariat.id.in_(sorted(source.matching.secretariats)),
                Secretariat.id.in_(_cited(source, _published(Practice.secretariat_id))),
            )
        )
    return _stream(source.session, query.order_by(Secretariat.id))


def _plans(source: Source) -> AsyncIterator[Row]:
    query = select(Plan.id, Plan.secretariat_id, Plan.year, Plan.title, Plan.description)
    return _of_plans(source, query, Plan.id)


async def _objectives(source: Source) -> AsyncIterator[Row]:
    chosen = None if source.secretariat_id is None else [source.secretariat_id]
    mapped = await pea_mappings(source.session, chosen)
    query = select(
        Objective.id,
        Objective.plan_id,
        Objective.code,
        Objective.title,
        Objective.description,
        Objective.pea_priority,
        Objective.pna_priorities,
        Plan.secretariat_id,
        Objective.position,
        Objective.weight,
    ).join(Plan, Plan.id == Objective.plan_id)
    async for row in _of_plans(source, query, Objective.id, Objective.id):
        *head, pea, own, owner, position, weight = row
        yield (*head, pea, cited(own, pea, mapped[owner]), position, weight)


def _activities(source: Source) -> AsyncIterator[Row]:
    query = (
        select(
            Activity.id,
            Activity.objective_id,
            Activity.code,
            Activity.title,
            Activity.description,
            Activity.position,
            Activity.weight,
        )
        .join(Objective, Objective.id == Activity.objective_id)
        .join(Plan, Plan.id == Objective.plan_id)
    )
    return _of_plans(source, query, Activity.id, Objective.id)


def _tasks(source: Source) -> AsyncIterator[Row]:
    query = (
        select(
            Task.id,
            Task.activity_id,
            Task.code,
            Task.title,
            Task.description,
            Task.position,
            Task.status,
            Task.percent,
            Task.start_date,
            Task.due_date,
            Task.estimated_hours,
            Task.logged_hours,
            Task.weight,
            Task.inputs,
            Task.outputs,
        )
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .join(Plan, Plan.id == Objective.plan_id)
    )
    return _of_plans(source, query, Task.id, Objective.id)


def _dependencies(source: Source) -> AsyncIterator[Row]:
    # Filtered, a dependency is kept when both its tasks are: the files then hold every task
    # a dependency names.
    before, before_activity = aliased(Task), aliased(Activity)
    query = (
        select(TaskDependency.predecessor_id, TaskDependency.successor_id, TaskDependency.lag_days)
        .join(Task, Task.id == TaskDependency.successor_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Objective, Objective.id == Activity.objective_id)
        .join(Plan, Plan.id == Objective.plan_id)
        .join(before, before.id == TaskDependency.predecessor_id)
        .join(before_activity, before_activity.id == before.activity_id)
    )
    lines = (Activity.objective_id, before_activity.objective_id)
    return _of_plans(source, query, TaskDependency.id, *lines)


def _progress_rows(
    plan_id: int, reported: Progress, validated: Progress, lines: frozenset[int] | None = None
) -> list[Row]:
    """The plan, its lines of action and its activities, each as reported and as validated
    (the two trees have the same shape: only the percentages differ); with ``lines``, only
    those lines of action and their activities."""
    rows: list[Row] = []
    pending = [(reported, validated)]
    if lines is not None:
        pairs = zip(reported.children, validated.children, strict=True)
        pending = [(line, confirmed) for line, confirmed in pairs if line.id in lines]
    while pending:
        node, confirmed = pending.pop(0)
        rows.append(
            (
                node.level,
                node.id,
                plan_id,
                node.code,
                node.title,
                node.percent,
                confirmed.percent,
                node.tasks_total,
                node.tasks_done,
                node.estimated_hours,
                node.logged_hours,
            )
        )
        if node.level != "activity":
            pending.extend(zip(node.children, confirmed.children, strict=True))
    return rows


async def _progress(source: Source) -> AsyncIterator[Row]:
    session, matching = source.session, source.matching
    lines = None if matching is None else matching.lines
    # One plan's tree at a time: memory grows with the largest plan, not with the country.
    async for plan_id, owner in _of_plans(source, select(Plan.id, Plan.secretariat_id), Plan.id):
        reported = await plan_progress(session, owner, plan_id)
        validated = await plan_progress(session, owner, plan_id, validated=True)
        for row in _progress_rows(plan_id, reported, validated, lines):
            yield row


def _validations(source: Source) -> AsyncIterator[Row]:
    votes = vote_counts()
    query = (
        select(
            ValidationRequest.id,
            ValidationRequest.report_id,
            ProgressReport.task_id,
            ValidationRequest.plan_id,
            ProgressReport.status,
            ProgressReport.percent,
            ValidationRequest.state,
            ValidationRequest.created_at,
            ValidationRequest.deadline,
            ValidationRequest.closed_at,
            func.coalesce(votes.c.confirmations, 0),
            func.coalesce(votes.c.disputes, 0),
            func.coalesce(votes.c.needs_info, 0),
            func.coalesce(votes.c.sectors, 0),
            ValidationRequest.validators_wanted,
            ValidationRequest.min_confirmations,
            ValidationRequest.min_sectors,
        )
        .join(ProgressReport, ProgressReport.id == ValidationRequest.report_id)
        .join(Task, Task.id == ProgressReport.task_id)
        .join(Activity, Activity.id == Task.activity_id)
        .join(Plan, Plan.id == ValidationRequest.plan_id)
        .outerjoin(votes, votes.c.request_id == ValidationRequest.id)
    )
    return _of_plans(source, query, ValidationRequest.id, Activity.objective_id)


def _indicators(source: Source) -> AsyncIterator[Row]:
    query = select(
        Indicator.id,
        Indicator.plan_id,
        Indicator.objective_id,
        Indicator.name,
        Indicator.method,
        Indicator.unit,
        Indicator.baseline,
        Indicator.goal,
        Indicator.frequency,
        Indicator.means_of_verification,
    ).join(Plan, Plan.id == Indicator.plan_id)
    return _of_plans(source, query, Indicator.id, Indicator.objective_id)


def _measurements(source: Source) -> AsyncIterator[Row]:
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Measurement.measured_on,
            Measurement.value,
            Measurement.note,
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(Plan, Plan.id == Indicator.plan_id)
    )
    return _of_plans(source, query, Measurement.id, Indicator.objective_id)


async def _survey_results(source: Source) -> AsyncIterator[Row]:
    surveys = await published_surveys(
        source.session,
        source.catalog,
        source.secretariat_id,
        language=DEFAULT_LANGUAGE,
        min_group=source.min_group,
        limit=None,
    )
    if source.matching is not None:
        holding = source.matching.secretariats
        surveys = [survey for survey in surveys if survey.secretariat_id in holding]
    for survey in sorted(surveys, key=lambda survey: survey.campaign_id):
        head = (survey.campaign_id, survey.secretariat_id, survey.title, survey.respondents)
        for question in survey.questions:
            if question.suppressed:
                continue
            figures = question.figures
            asked = (question.id, question.text, question.type, question.answered)
            averages = (figures.get("mean"), figures.get("median"))
            shares = figures.get("options") or figures.get("distribution") or [{}]
            for position, share in enumerate(shares):
                option = share.get("id", share.get("value"))
                yield (
                    *head,
                    *asked,
                    position,
                    None if option is None else str(option),
                    share.get("label"),
                    share.get("count"),
                    share.get("percent"),
                    share.get("borda"),
                    share.get("first"),
                    *averages,
                )


def _published(*columns: Any) -> Select[Any]:
    return select(*columns).where(Practice.state == PracticeState.PUBLISHED)


def _practices(source: Source) -> AsyncIterator[Row]:
    query = _published(
        Practice.id,
        Practice.secretariat_id,
        Practice.title,
        Practice.problem,
        Practice.pna_priority,
        Practice.pea_priority,
        Practice.actions,
        Practice.results,
        Practice.theme,
        Practice.contact_role,
        Practice.validated_at,
        Practice.published_at,
    )
    if source.secretariat_id is not None:
        query = query.where(Practice.secretariat_id == source.secretariat_id)
    return _stream(source.session, _cited(source, query).order_by(Practice.id))


def _cited(source: Source, query: Query) -> Query:
    """With a filter by the national policy, the practices serving a chosen priority."""
    if source.matching is None:
        return query
    return query.where(Practice.pna_priority.in_(sorted(source.matching.priorities)))


def _adoptions(source: Source) -> AsyncIterator[Row]:
    query = (
        select(
            PracticeAdoption.practice_id,
            PracticeAdoption.secretariat_id,
            PracticeAdoption.plan_id,
            PracticeAdoption.objective_id,
            PracticeAdoption.activity_id,
            PracticeAdoption.created_at,
        )
        .join(Practice, Practice.id == PracticeAdoption.practice_id)
        .join(Plan, Plan.id == PracticeAdoption.plan_id)
        .where(Practice.state == PracticeState.PUBLISHED)
    )
    return _of_plans(
        source, _cited(source, query), PracticeAdoption.id, PracticeAdoption.objective_id
    )


_CODE = N_("The code the secretariat gave it in its plan.")
_POSITION = N_("Its place among its siblings, from 0.")
_WEIGHT = N_("The weight the secretariat set; empty means its estimated hours count.")
_TASK_STATES = ("pending", "in_progress", "blocked", "done", "cancelled")
_THEMES = tuple(theme.value for theme in PracticeTheme)
_PLAN = Reference(("plan_id",), "planes")

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
        _secretariats,
    ),
    Table(
        "planes",
        N_("Plans"),
        N_("Annual action plans."),
        (
            _id(),
            Field("secretariat_id", "integer", N_("The secretariat's id."), required=True),
            Field("year", "integer", N_("The year the plan covers."), required=True),
            _text("title", N_("Title."), required=True),
            _text("description", N_("Description.")),
        ),
        _plans,
        references=(Reference(("secretariat_id",), "secretarias"),),
    ),
    Table(
        "lineas-de-accion",
        N_("Lines of action"),
        N_("Each plan's lines of action, with the priority of the state policy they serve."),
        (
            _id(),
            Field("plan_id", "integer", N_("The plan's id."), required=True),
            _text("code", _CODE, required=True),
            _text("title", N_("Title."), required=True),
            _text("description", N_("Description.")),
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
        _objectives,
        references=(_PLAN,),
    ),
    Table(
        "actividades",
        N_("Activities"),
        N_("The activities of each line of action."),
        (
            _id(),
            Field("objective_id", "integer", N_("The line of action's id."), required=True),
            _text("code", _CODE, required=True),
            _text("title", N_("Title."), required=True),
            _text("description", N_("Description.")),
            Field("position", "integer", _POSITION),
            Field("weight", "number", _WEIGHT),
        ),
        _activities,
        references=(Reference(("objective_id",), "lineas-de-accion"),),
    ),
    Table(
        "tareas",
        N_("Tasks"),
        N_("The tasks of each activity, as their responsibles last reported them."),
        (
            _id(),
            Field("activity_id", "integer", N_("The activity's id."), required=True),
            _text("code", _CODE, required=True),
            _text("title", N_("Title."), required=True),
            _text("description", N_("Description.")),
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
        _tasks,
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
        _dependencies,
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
            Field("plan_id", "integer", N_("The plan's id."), required=True),
            _text("code", _CODE),
            _text("title", N_("Title."), required=True),
            Field("reported_percent", "number", N_("Progress as reported, 0 to 100.")),
            Field("validated_percent", "number", N_("Progress as validated, 0 to 100.")),
            Field("tasks_total", "integer", N_("Tasks counted (cancelled ones are not).")),
            Field("tasks_done", "integer", N_("Tasks done, as reported.")),
            Field("estimated_hours", "number", N_("Hours estimated.")),
            Field("logged_hours", "number", N_("Hours logged.")),
        ),
        _progress,
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
            Field("plan_id", "integer", N_("The plan's id."), required=True),
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
        _validations,
        references=(_PLAN, Reference(("task_id",), "tareas")),
    ),
    Table(
        "indicadores",
        N_("Indicators"),
        N_("Each plan's indicators, with their baseline and goal."),
        (
            _id(),
            Field("plan_id", "integer", N_("The plan's id."), required=True),
            Field("objective_id", "integer", N_("The line of action it measures, if one.")),
            _text("name", N_("Name."), required=True),
            _text("method", N_("How it is computed.")),
            _text("unit", N_("Unit."), required=True),
            Field("baseline", "number", N_("Baseline.")),
            Field("goal", "number", N_("Goal.")),
            Field(
                "frequency",
                "string",
                N_("How often it is measured."),
                required=True,
                enum=("monthly", "quarterly", "semiannual", "annual"),
            ),
            _text("means_of_verification", N_("Where a measurement can be checked.")),
        ),
        _indicators,
        references=(_PLAN, Reference(("objective_id",), "lineas-de-accion")),
    ),
    Table(
        "mediciones",
        N_("Measurements"),
        N_("The measurements reported for each indicator."),
        (
            _id(),
            Field("indicator_id", "integer", N_("The indicator's id."), required=True),
            Field("measured_on", "date", N_("The day measured."), required=True),
            Field("value", "number", N_("Value, in the indicator's unit."), required=True),
            _text("note", N_("Note.")),
        ),
        _measurements,
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
            Field("secretariat_id", "integer", N_("The secretariat's id."), required=True),
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
        _survey_results,
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
            Field("secretariat_id", "integer", N_("The secretariat's id."), required=True),
            _text("title", N_("Title."), required=True),
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
        _practices,
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
            Field("plan_id", "integer", N_("The plan's id."), required=True),
            Field("objective_id", "integer", N_("The line of action it became or is under."), True),
            Field("activity_id", "integer", N_("The activity it became; empty for a line.")),
            Field("adopted_at", "datetime", N_("When it was adopted (UTC)."), required=True),
        ),
        _adoptions,
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
