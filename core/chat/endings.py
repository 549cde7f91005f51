"""What a finished conversation becomes, made in the transaction of its last answer.

One ending per kind of conversation, each settled by the module that owns what it becomes:
joining makes a person (``joining``), a task's report conversation a progress report
(``report_drafts``), an indicator's a measurement (``measurement_reports``), an interviewer's
notes the interview's notes (``interviews``), /ausente an absence (``absences``); any other
conversation is a survey of a campaign (``campaigns``), whose
answers are added to the campaign's results (``tallies``) in the same savepoint. When the rules
of core refuse what a conversation would make, none of it is made, and the conversation ends
cancelled, or is removed if it keeps nothing unfinished (joining, and every anonymous
conversation).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.engine.inputs import Input
from conversations.engine.steps import Outcome, Step
from core.chat import campaigns, measurement_reports, report_drafts, responses, tallies
from core.chat.definitions import DefinitionCatalog
from core.chat.finished import Finished
from core.chat.responses import Turn, state_of
from core.errors import DomainError
from core.meetings import interviews
from core.models import Person, ResponseSession, ResponseStatus
from core.people import absences, joining


@dataclass(frozen=True)
class Ending:
    """How one kind of conversation is settled when it completes."""

    settle: Callable[[AsyncSession, Finished], Awaitable[object | None]]
    # Joining keeps nothing personal unless it makes a person: declined, cancelled or refused,
    # its conversation is removed.
    keeps_unfinished: bool = True
    # A refusal that names one of the conversation's questions (its ``field``) undoes the last
    # answer, so that question is asked again, instead of ending the conversation.
    asks_again: bool = False
    # Refuses an answer to the current question (a ``DomainError``) before the conversation
    # takes it, when core knows it would refuse it at the end; the question is asked again.
    check: Callable[[AsyncSession, ResponseSession, Step, Input], Awaitable[None]] | None = None


ENDINGS: dict[str, Ending] = {
    **dict.fromkeys(joining.DEFINITION_IDS, Ending(joining.settle, keeps_unfinished=False)),
    report_drafts.REPORT: Ending(report_drafts.settle),
    report_drafts.MEASUREMENT: Ending(
        measurement_reports.settle, asks_again=True, check=measurement_reports.check
    ),
    absences.ABSENCE: Ending(absences.settle, asks_again=True),
    report_drafts.NOTES: Ending(interviews.settle),
}
SURVEY = Ending(campaigns.settle)


async def answer(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    response: ResponseSession,
    given: Input,
    *,
    person: Person | None,
    telegram_username: str | None,
) -> Turn:
    """Feed one input and, when it finishes the conversation, settle what it became, all in the
    caller's transaction: the turn carries what was made (``settled``) or why not (``refusal``).

    An input for a conversation that has already finished is refused by the engine, so a
    redelivered answer settles nothing twice. When the refusal names a question of a
    conversation that ``asks_again``, the answer is undone and the session stays active at it.
    """
    ending = ENDINGS.get(response.definition_id, SURVEY)
    refused = await _refusal_of(session, catalog, response, given)
    if refused is not None:
        return Turn(response, refused)
    if not ending.asks_again:  # a savepoint for every answer would cost for nothing
        return await _answer(session, catalog, response, given, ending, person, telegram_username)
    attempt = await session.begin_nested()
    turn = await _answer(session, catalog, response, given, ending, person, telegram_username)
    field = turn.refusal.field if turn.refusal is not None else None
    definition = (await catalog.engine_of(session, response)).definition
    if field is not None and definition.position(field) is not None:
        await attempt.rollback()
        await session.refresh(response)
        return replace(turn, response=response)
    await attempt.commit()
    return turn


async def check(
    session: AsyncSession, catalog: DefinitionCatalog, response: ResponseSession, given: Input
) -> None:
    """Refuses (``DomainError``) what the conversation's ending knows core would refuse at
    its end, before the conversation takes it; what the check wrote stays for the caller to
    commit."""
    check = ENDINGS.get(response.definition_id, SURVEY).check
    if check is not None and response.status == ResponseStatus.ACTIVE:
        step = await responses.current_step(session, catalog, response)
        await check(session, response, step, given)


async def _refusal_of(
    session: AsyncSession, catalog: DefinitionCatalog, response: ResponseSession, given: Input
) -> Outcome | None:
    """The current question again with the reason ``check`` refuses ``given``, if it does."""
    try:
        await check(session, catalog, response, given)
    except DomainError as refusal:
        step = await responses.current_step(session, catalog, response)
        return Outcome(state=state_of(response), step=step, error=refusal.render(step.language))
    return None


async def _answer(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    response: ResponseSession,
    given: Input,
    ending: Ending,
    person: Person | None,
    telegram_username: str | None,
) -> Turn:
    turn = await responses.feed(session, catalog, response, given)
    if not (turn.changed and turn.outcome.finished):
        return turn
    response = turn.response
    # An anonymous conversation left unfinished keeps nothing: its partial answers would be
    # tied to the person who gave them.
    keeps_unfinished = ending.keeps_unfinished and not response.anonymous
    if response.status != ResponseStatus.COMPLETED:
        if not keeps_unfinished:
            await session.delete(response)
        return replace(turn, kept=keeps_unfinished)
    state = turn.outcome.state
    finished = Finished(response, state, turn.outcome.answers or {}, person, telegram_username)
    try:
        async with session.begin_nested():
            settled = await ending.settle(session, finished)
            definition = (await catalog.engine_of(session, response)).definition
            await tallies.add(session, definition, response)
    except DomainError as refusal:
        if keeps_unfinished:
            await session.refresh(response)
            response.status = ResponseStatus.CANCELLED
        else:
            await session.delete(response)
        return replace(turn, refusal=refusal, kept=keeps_unfinished)
    return replace(turn, settled=settled)
