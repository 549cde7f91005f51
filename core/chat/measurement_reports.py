"""An indicator's value reported in chat: the measurement conversation of one period.

A measurement conversation is an ordinary response session of the ``measurement_report`` form,
tied to its indicator and period by a ``ReportDraft``, which also keeps its evidence files as
``report_drafts`` does for a task. Each answer is checked against what core knows before the
conversation takes it (``check``): the value against the indicator's scale and its last value
(a far one is held until the person sends it again), the evidence against the kinds its means
of verification names. When the conversation completes, its answers become a measurement
through ``report_measurement``, which applies every rule again and puts the value to
validation when the plan's policy says so (``settle``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.engine.inputs import FileInput, Input, TextInput, is_done
from conversations.engine.steps import Step
from core.audit.actor import Actor
from core.chat.definitions import DefinitionCatalog
from core.chat.finished import Finished
from core.chat.report_drafts import (
    EVIDENCE,
    FILE_KINDS,
    MEASUREMENT,
    evidence_of,
    open_draft,
    text_evidence,
)
from core.errors import InvalidInput, PermissionDenied
from core.models import (
    EvidenceKind,
    Indicator,
    Measurement,
    Person,
    ReportDraft,
    ResponseSession,
)
from core.plans import measurements
from core.plans.indicators import get_indicator
from core.plans.periods import Period
from core.reporting.measurements import report_measurement
from i18n import N_, Listed, Number
from i18n.quantities import UnreadableQuantity, read_quantity

VALUE = "value"

EVIDENCE_KIND_LABELS: dict[EvidenceKind, str] = {
    EvidenceKind.PHOTO: N_("photos"),
    EvidenceKind.DOCUMENT: N_("documents"),
    EvidenceKind.VOICE: N_("voice notes"),
    EvidenceKind.VIDEO: N_("videos"),
    EvidenceKind.LINK: N_("links"),
    EvidenceKind.TEXT: N_("text"),
}


async def measurable_indicator(
    session: AsyncSession, person: Person, indicator_id: int
) -> Indicator:
    """The indicator if ``person`` reports its values; a clear refusal otherwise."""
    indicator = await get_indicator(session, person.secretariat_id, indicator_id)
    if person.id not in indicator.responsible_ids:
        raise PermissionDenied(
            N_("Indicator {indicator} is not assigned to you."), indicator=indicator.name
        )
    return indicator


@dataclass(frozen=True)
class Opened:
    """A measurement conversation, begun or resumed: its indicator, its period and the value
    it corrects when the period has one."""

    response: ResponseSession
    indicator: Indicator
    period: Period
    corrected: Measurement | None


async def begin(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    person: Person,
    indicator_id: int,
    day_in_period: date,
) -> Opened:
    """The person's measurement conversation on the indicator's period that holds
    ``day_in_period``, started (or resumed) and made current. Refused unless the person reports
    the indicator and the period has begun; a period that has a value is offered as a
    correction."""
    indicator = await measurable_indicator(session, person, indicator_id)
    period = await measurements.begun_period(
        session, person.secretariat_id, indicator, day_in_period
    )
    corrected = await measurements.current_value(session, indicator.id, period)
    response = await open_draft(
        session,
        catalog,
        person,
        MEASUREMENT,
        {"indicator_id": indicator.id, "period": period.ends_on},
        correction=corrected is not None,
    )
    return Opened(response, indicator, period, corrected)


def evidence_kind(given: Input) -> EvidenceKind | None:
    """The kind of evidence an input to the evidence question is, if it is one."""
    if isinstance(given, FileInput):
        return FILE_KINDS.get(given.kind)
    if isinstance(given, TextInput) and not is_done(given):
        return text_evidence(given.text).kind
    return None


def refuse_kind(indicator: Indicator, kind: EvidenceKind | None) -> None:
    """Refuses evidence of a kind the indicator's means of verification does not name."""
    accepted = indicator.evidence_kinds
    if kind is None or accepted is None or kind in accepted:
        return
    raise InvalidInput(
        N_("Its means of verification takes only {kinds}: please send that instead."),
        field=EVIDENCE,
        kinds=accepted_kinds(indicator),
    )


async def check(session: AsyncSession, response: ResponseSession, step: Step, given: Input) -> None:
    """Refuses an answer core would refuse at the end, before the conversation takes it."""
    draft = await session.get_one(ReportDraft, response.id)
    assert draft.indicator_id is not None and draft.period is not None  # a measurement draft
    indicator = await session.get_one(Indicator, draft.indicator_id)
    if step.question_id == EVIDENCE:
        refuse_kind(indicator, evidence_kind(given))
        return
    if step.question_id != VALUE or not isinstance(given, TextInput):
        return
    try:
        number = read_quantity(given.text, step.language)
    except UnreadableQuantity:
        return  # the question itself says what a number looks like
    try:
        await measurements.vet(
            session,
            response.secretariat_id,
            indicator.id,
            period=draft.period,
            value=number,
            correction=draft.correction,
            confirmed=draft.pending_value == number,
        )
    except measurements.FarFromLast as far:
        draft.pending_value = number
        raise InvalidInput(
            N_(
                "{value} {unit} is far from the last value, {last} {unit}. If it is right, "
                "send it again; if not, send the right value."
            ),
            field=VALUE,
            value=Number(far.value),
            last=Number(far.last),
            unit=indicator.unit,
        ) from None


@dataclass(frozen=True)
class Measured:
    """A completed measurement conversation: the value it recorded, of its indicator."""

    measurement: Measurement
    indicator: Indicator
    corrected: bool
    evidence: int  # how many pieces back it


async def settle(session: AsyncSession, finished: Finished) -> Measured:
    """The completed conversation as a measurement; its draft is no longer needed."""
    person = finished.person
    assert person is not None, "only a registered person reports an indicator's value"
    answers = finished.answers
    draft = await session.get(ReportDraft, finished.response.id)
    if draft is None or draft.indicator_id is None or draft.period is None:
        raise LookupError(f"response session {finished.response.id} is not a measurement")
    indicator = await measurable_indicator(session, person, draft.indicator_id)
    value = Decimal(str(answers[VALUE]))
    evidence = evidence_of(answers.get(EVIDENCE), draft.files)
    measurement = await report_measurement(
        session,
        person.secretariat_id,
        Actor.person(person.id),
        indicator.id,
        period=draft.period,
        value=value,
        note=answers.get("note"),
        reported_by_id=person.id,
        correction=draft.correction,
        confirmed=draft.pending_value == value,
        evidence=evidence,
    )
    await session.delete(draft)
    return Measured(measurement, indicator, draft.correction, len(evidence))


def accepted_kinds(indicator: Indicator) -> Listed:
    """The kinds of evidence the indicator accepts, to be listed in a message's language."""
    kinds = indicator.evidence_kinds or [kind.value for kind in EvidenceKind]
    return Listed(tuple(EVIDENCE_KIND_LABELS[EvidenceKind(kind)] for kind in kinds))
