"""What a validation request puts before its validators: a progress report, an indicator's
measurement or a good practice, each loaded with everything its messages name, and the words
those messages use of it.

The rest of the package asks a subject what differs (its words, who answers a validator's
question, whether files join it) rather than which kind it is.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.lookup import one_row
from core.models import (
    Evidence,
    Indicator,
    Measurement,
    Person,
    Plan,
    Practice,
    PracticeEvidence,
    ProgressReport,
    Secretariat,
    Task,
    ValidationRequest,
    ValidationState,
)
from core.people import people
from core.plans.indicators import periods
from core.plans.measurements import revision_of, value_before
from core.plans.periods import Period, period_of
from core.plans.tasks import plan_of_task
from core.reporting.evidence import EvidenceItem
from core.validation import messages
from i18n import N_, Span, Titled


class SubjectKind(enum.StrEnum):
    REPORT = "report"
    MEASUREMENT = "measurement"
    PRACTICE = "practice"


@dataclass(frozen=True)
class Wording:
    """The messages about one kind of subject, each naming it by the subject's ``names``."""

    question: str
    reminder: str
    new_information: str
    information_request: str
    how_to_answer: str
    outcome: str
    closed_by_vote: Mapping[ValidationState, str]
    no_validator: str


REPORT_WORDING = Wording(
    question=N_("Did this really happen? Deadline to answer: {deadline}"),
    reminder=N_("Reminder: your answer counts. The validation of task {task} closes on {deadline}"),
    new_information=N_("The person who reported task {task} added information:"),
    information_request=N_("A validator needs more information about your report on task {task}."),
    how_to_answer=N_("Tap “Answer” and write, or send photos or documents: they join your report."),
    outcome=N_(
        "The validation of the report on task {task} ended: {outcome}. Confirmed: "
        "{confirmations}; not confirmed: {disputes}; waiting for information: {needs_info}."
    ),
    closed_by_vote={
        ValidationState.VALIDATED: N_(
            "With your vote, the progress on task {task} is confirmed: its validation is "
            "closed. Thank you!"
        ),
        ValidationState.DISPUTED: N_(
            "With your vote, the progress on task {task} is disputed: its validation is "
            "closed. Thank you!"
        ),
        ValidationState.INCONCLUSIVE: N_(
            "With your vote, the validation of task {task} closed without a conclusion. Thank you!"
        ),
    },
    no_validator=N_(
        "Nobody was asked to validate the report on task {task}: too few validators are "
        "available to reach the validation policy."
    ),
)
MEASUREMENT_WORDING = Wording(
    question=N_(
        "Is this value right, as its means of verification shows? Deadline to answer: {deadline}"
    ),
    reminder=N_(
        "Reminder: your answer counts. The validation of the value of {indicator} for {period} "
        "closes on {deadline}"
    ),
    new_information=N_("Information was added about the value of {indicator} for {period}:"),
    information_request=N_(
        "A validator needs more information about the value of {indicator} for {period}."
    ),
    how_to_answer=N_(
        "Tap “Answer” and write, or send photos or documents: they join the value reported."
    ),
    outcome=N_(
        "The validation of the value of {indicator} for {period} ended: {outcome}. Confirmed: "
        "{confirmations}; not confirmed: {disputes}; waiting for information: {needs_info}."
    ),
    closed_by_vote={
        ValidationState.VALIDATED: N_(
            "With your vote, the value of {indicator} for {period} is confirmed: its "
            "validation is closed. Thank you!"
        ),
        ValidationState.DISPUTED: N_(
            "With your vote, the value of {indicator} for {period} is disputed: its validation "
            "is closed. Thank you!"
        ),
        ValidationState.INCONCLUSIVE: N_(
            "With your vote, the validation of the value of {indicator} for {period} closed "
            "without a conclusion. Thank you!"
        ),
    },
    no_validator=N_(
        "Nobody was asked to validate the value of {indicator} for {period}: too few validators "
        "are available to reach the validation policy."
    ),
)
PRACTICE_WORDING = Wording(
    question=N_(
        "Did this really happen, with the results it describes? Deadline to answer: {deadline}"
    ),
    reminder=N_(
        "Reminder: your answer counts. The validation of the good practice “{practice}” "
        "closes on {deadline}"
    ),
    new_information=N_("The secretariat added information about the good practice “{practice}”:"),
    information_request=N_(
        "A validator needs more information about the good practice “{practice}”."
    ),
    how_to_answer=N_("Tap “Answer” and write your answer: the validators read it."),
    outcome=N_(
        "The validation of the good practice “{practice}” ended: {outcome}. Confirmed: "
        "{confirmations}; not confirmed: {disputes}; waiting for information: {needs_info}."
    ),
    closed_by_vote={
        ValidationState.VALIDATED: N_(
            "With your vote, the good practice “{practice}” is confirmed: its validation is "
            "closed. Thank you!"
        ),
        ValidationState.DISPUTED: N_(
            "With your vote, the good practice “{practice}” is disputed: its validation is "
            "closed. Thank you!"
        ),
        ValidationState.INCONCLUSIVE: N_(
            "With your vote, the validation of the good practice “{practice}” closed without a "
            "conclusion. Thank you!"
        ),
    },
    no_validator=N_(
        "Nobody was asked to validate the good practice “{practice}”: too few validators are "
        "available to reach the validation policy."
    ),
)


class _Reported:
    """What a report and an indicator's value share: a reporter, whose answers bring files."""

    takes_files: ClassVar[bool] = True

    @staticmethod
    def file_of(item: Evidence) -> str | None:
        """The stored file a validator is sent: the cleaned copy of what was reported."""
        return item.stored_name


async def _store_evidence(
    session: AsyncSession, items: Sequence[EvidenceItem], **subject: int
) -> list[Evidence]:
    """An answer's files stored as evidence of the subject ``subject`` names (its column)."""
    added = [Evidence(**subject, **vars(item)) for item in items]
    session.add_all(added)
    await session.flush()
    return added


@dataclass(frozen=True)
class ReportContext(_Reported):
    """Everything a message about one report names."""

    report: ProgressReport
    task: Task
    plan: Plan
    reporter: Person | None

    wording: ClassVar[Wording] = REPORT_WORDING
    kind: ClassVar[SubjectKind] = SubjectKind.REPORT

    @property
    def names(self) -> dict[str, object]:
        return {"task": self.task.label}

    @property
    def evidence(self) -> list[Evidence]:
        return self.report.evidence

    @property
    def answerers(self) -> list[Person]:
        """Who answers a validator's question: the reporter."""
        return [self.reporter] if self.reporter is not None else []

    def summary(self, person: Person) -> str:
        return messages.report_summary(person, self)

    async def add_evidence(
        self, session: AsyncSession, items: Sequence[EvidenceItem]
    ) -> list[Evidence]:
        """The answer's files, joined to the report."""
        added = await _store_evidence(session, items, report_id=self.report.id)
        await session.refresh(self.report, ["evidence"])
        return added


@dataclass(frozen=True)
class MeasurementContext(_Reported):
    """Everything a message about one value of an indicator names: the value, its indicator,
    plan and period, the previous period's value, the value it corrects if it is a correction,
    who reported it, its evidence, and the coordinators who answer for a value nobody in chat
    reported."""

    measurement: Measurement
    indicator: Indicator
    plan: Plan
    period: Period
    previous: Measurement | None
    corrected: Measurement | None
    reporter: Person | None
    evidence: list[Evidence]
    coordinators: list[Person]

    wording: ClassVar[Wording] = MEASUREMENT_WORDING
    kind: ClassVar[SubjectKind] = SubjectKind.MEASUREMENT

    @property
    def names(self) -> dict[str, object]:
        return {
            "indicator": Titled(self.indicator.name),
            "period": Span(self.period.starts_on, self.period.ends_on),
        }

    @property
    def answerers(self) -> list[Person]:
        """Who answers a validator's question: the reporter; the secretariat's coordinators for
        a value recorded through the admin API without one."""
        return [self.reporter] if self.reporter is not None else self.coordinators

    def summary(self, person: Person) -> str:
        return messages.measurement_summary(person, self)

    async def add_evidence(
        self, session: AsyncSession, items: Sequence[EvidenceItem]
    ) -> list[Evidence]:
        """The answer's files, joined to the measurement."""
        added = await _store_evidence(session, items, measurement_id=self.measurement.id)
        self.evidence.extend(added)
        return added


@dataclass(frozen=True)
class PracticeContext:
    """Everything a message about one good practice names: it, its secretariat, the public
    evidence that backs it, and the coordinators who answer for it."""

    practice: Practice
    secretariat: Secretariat
    evidence: list[Evidence]
    coordinators: list[Person]

    wording: ClassVar[Wording] = PRACTICE_WORDING
    kind: ClassVar[SubjectKind] = SubjectKind.PRACTICE
    # Its evidence is linked to it by the secretariat, not sent in an answer.
    takes_files: ClassVar[bool] = False
    reporter: ClassVar[None] = None

    @property
    def names(self) -> dict[str, object]:
        return {"practice": self.practice.title}

    @property
    def answerers(self) -> list[Person]:
        """Who answers a validator's question: any coordinator of the secretariat."""
        return self.coordinators

    def summary(self, person: Person) -> str:
        return messages.practice_summary(person, self)

    async def add_evidence(
        self, session: AsyncSession, items: Sequence[EvidenceItem]
    ) -> list[Evidence]:
        """Nothing: an answer about a practice is words only (``takes_files``)."""
        return []

    @staticmethod
    def file_of(item: Evidence) -> str | None:
        """The stored file a validator is sent: the copy made for the public."""
        return item.public_name


Subject = ReportContext | MeasurementContext | PracticeContext
# The kinds of subject an answer to a validator's question may bring files to.
TAKES_FILES = frozenset(
    context.kind
    for context in (ReportContext, MeasurementContext, PracticeContext)
    if context.takes_files
)


async def report_context(
    session: AsyncSession, secretariat_id: int, report_id: int
) -> ReportContext:
    """The report under validation with its task, plan and reporter."""
    query = (
        plan_of_task()
        .add_columns(ProgressReport)
        .join(ProgressReport, ProgressReport.task_id == Task.id)
        .where(ProgressReport.id == report_id, Plan.secretariat_id == secretariat_id)
        .execution_options(populate_existing=True)
    )
    row = await one_row(session, query, N_("Report {id} not found."), report_id)
    report = row.ProgressReport
    reporter = await session.get(Person, report.person_id) if report.person_id else None
    return ReportContext(report, row.Task, row.Plan, reporter)


async def measurement_context(
    session: AsyncSession, secretariat_id: int, measurement_id: int
) -> MeasurementContext:
    """The value under validation of one of the secretariat's indicators, with what its
    messages name; NotFound across secretariats."""
    query = (
        select(Measurement, Indicator, Plan)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(Plan, Plan.id == Indicator.plan_id)
        .where(Measurement.id == measurement_id, Plan.secretariat_id == secretariat_id)
    )
    row = await one_row(session, query, N_("Measurement {id} not found."), measurement_id)
    measurement, indicator = row.Measurement, row.Indicator
    day = measurement.measured_on
    # A stored value always ends one of its indicator's periods (a calendar that would strand
    # it is refused); the day alone stands for a period the calendar lost all the same.
    period = period_of(periods(indicator), day) or Period(day, day)
    corrected = await revision_of(session, indicator.id, day, measurement.revision - 1)
    evidence = await session.scalars(
        select(Evidence).where(Evidence.measurement_id == measurement.id).order_by(Evidence.id)
    )
    reporter_id = measurement.reported_by_id
    return MeasurementContext(
        measurement,
        indicator,
        row.Plan,
        period,
        await value_before(session, indicator.id, day),
        corrected,
        await session.get(Person, reporter_id) if reporter_id else None,
        list(evidence),
        await people.coordinators(session, secretariat_id),
    )


async def practice_context(session: AsyncSession, practice_id: int) -> PracticeContext:
    """The practice under validation with its secretariat, public evidence and coordinators."""
    practice = await session.get_one(Practice, practice_id, populate_existing=True)
    evidence = await session.scalars(
        select(Evidence)
        .join(PracticeEvidence, PracticeEvidence.evidence_id == Evidence.id)
        .where(PracticeEvidence.practice_id == practice_id, Evidence.public.is_(True))
        .order_by(Evidence.id)
    )
    return PracticeContext(
        practice,
        await session.get_one(Secretariat, practice.secretariat_id),
        list(evidence),
        await people.coordinators(session, practice.secretariat_id),
    )


async def subject_of(session: AsyncSession, request: ValidationRequest) -> Subject:
    """What the request puts before its validators."""
    if request.practice_id is not None:
        return await practice_context(session, request.practice_id)
    if request.measurement_id is not None:
        return await measurement_context(session, request.secretariat_id, request.measurement_id)
    assert request.report_id is not None  # a request holds exactly one subject
    return await report_context(session, request.secretariat_id, request.report_id)


def kind_of(request: ValidationRequest) -> SubjectKind:
    """Which kind of subject the request holds."""
    return next(kind for kind, subject_id in _subjects(request) if subject_id is not None)


async def subject_kind(session: AsyncSession, request_id: int) -> SubjectKind:
    """Which kind of subject the request ``request_id`` holds (a report for none such: the
    caller has checked the person's right to it before)."""
    request = await session.get(ValidationRequest, request_id)
    return kind_of(request) if request is not None else SubjectKind.REPORT


def subject_ids(request: ValidationRequest) -> dict[str, int]:
    """The request's subject as the audit chain names it: ``report``, ``measurement`` or
    ``practice``."""
    return {kind.value: subject_id for kind, subject_id in _subjects(request) if subject_id}


def _subjects(request: ValidationRequest) -> list[tuple[SubjectKind, int | None]]:
    return [
        (SubjectKind.REPORT, request.report_id),
        (SubjectKind.MEASUREMENT, request.measurement_id),
        (SubjectKind.PRACTICE, request.practice_id),
    ]


async def reporter_id(session: AsyncSession, request: ValidationRequest) -> int | None:
    """Who reported the request's subject, if a person did: never one of its validators."""
    if request.report_id is not None:
        query = select(ProgressReport.person_id).where(ProgressReport.id == request.report_id)
    elif request.measurement_id is not None:
        query = select(Measurement.reported_by_id).where(Measurement.id == request.measurement_id)
    else:
        return None
    return await session.scalar(query)
