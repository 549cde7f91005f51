"""The open data's rows: each table's reader, streaming from the database in batches of
``BATCH`` so that a file of a plan with thousands of tasks is written with bounded memory, cut
to the secretariat and the lines of action a ``Source`` names.

Nothing here names a person: tasks leave out their responsibles, indicators their responsible,
measurements who reported them, validations their validators and who asked for them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
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
    ProgressReport,
    Secretariat,
    Task,
    TaskDependency,
    ValidationRequest,
)
from core.plans.measurements import is_current, latest_validation
from core.plans.progress import Progress, plan_readings
from core.policy.pea import cited, pea_mappings
from core.public.advances import vote_counts
from core.public.national_policy import Matching
from core.public.survey_results import published_surveys
from i18n import DEFAULT_LANGUAGE

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


def secretariats(source: Source) -> AsyncIterator[Row]:
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


def _plan_node(node: type[Objective] | type[Activity] | type[Task], parent: Any) -> Row:
    """The columns a line of action's, an activity's or a task's row opens with, as its table
    declares them: its id, ``parent`` (the id of the node it hangs from), code, title and
    description."""
    return (node.id, parent, node.code, node.title, node.description)


def _up_to_plan(query: Query) -> Query:
    """``query``, which reaches ``Activity``, joined through its line of action to its plan."""
    return query.join(Objective, Objective.id == Activity.objective_id).join(
        Plan, Plan.id == Objective.plan_id
    )


def plans(source: Source) -> AsyncIterator[Row]:
    query = select(Plan.id, Plan.secretariat_id, Plan.year, Plan.title, Plan.description)
    return _of_plans(source, query, Plan.id)


async def objectives(source: Source) -> AsyncIterator[Row]:
    chosen = None if source.secretariat_id is None else [source.secretariat_id]
    mapped = await pea_mappings(source.session, chosen)
    query = select(
        *_plan_node(Objective, Objective.plan_id),
        Objective.pea_priority,
        Objective.pna_priorities,
        Plan.secretariat_id,
        Objective.position,
        Objective.weight,
    ).join(Plan, Plan.id == Objective.plan_id)
    async for row in _of_plans(source, query, Objective.id, Objective.id):
        *head, pea, own, owner, position, weight = row
        yield (*head, pea, cited(own, pea, mapped[owner]), position, weight)


def activities(source: Source) -> AsyncIterator[Row]:
    query = select(*_plan_node(Activity, Activity.objective_id), Activity.position, Activity.weight)
    query = _up_to_plan(query)
    return _of_plans(source, query, Activity.id, Objective.id)


def tasks(source: Source) -> AsyncIterator[Row]:
    query = select(
        *_plan_node(Task, Task.activity_id),
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
    query = _up_to_plan(query.join(Activity, Activity.id == Task.activity_id))
    return _of_plans(source, query, Task.id, Objective.id)


def dependencies(source: Source) -> AsyncIterator[Row]:
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


async def progress(source: Source) -> AsyncIterator[Row]:
    session, matching = source.session, source.matching
    lines = None if matching is None else matching.lines
    # One plan's tree at a time: memory grows with the largest plan, not with the country.
    async for plan_id, owner in _of_plans(source, select(Plan.id, Plan.secretariat_id), Plan.id):
        readings = await plan_readings(session, owner, plan_id)
        for row in _progress_rows(plan_id, readings.reported, readings.validated, lines):
            yield row


def validations(source: Source) -> AsyncIterator[Row]:
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


def indicators(source: Source) -> AsyncIterator[Row]:
    query = select(
        Indicator.id,
        Indicator.plan_id,
        Indicator.objective_id,
        Indicator.name,
        Indicator.method,
        Indicator.unit,
        Indicator.scale,
        Indicator.baseline,
        Indicator.goal,
        Indicator.frequency,
        Indicator.starts_on,
        Indicator.ends_on,
        Indicator.means_of_verification,
    ).join(Plan, Plan.id == Indicator.plan_id)
    return _of_plans(source, query, Indicator.id, Indicator.objective_id)


def measurements(source: Source) -> AsyncIterator[Row]:
    query = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Measurement.measured_on,
            Measurement.value,
            Measurement.note,
            latest_validation(),
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(is_current())
    )
    return _of_plans(source, query, Measurement.id, Indicator.objective_id)


async def survey_results(source: Source) -> AsyncIterator[Row]:
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


def practices(source: Source) -> AsyncIterator[Row]:
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


def adoptions(source: Source) -> AsyncIterator[Row]:
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
