"""Response sessions: starting a conversation, feeding it one input, and keeping its state.

Every accepted input rewrites the engine's state in the caller's transaction, which the
caller commits before replying: an answer is never lost, and a restart resumes at the same
question. A refused input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Update, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from conversations.definition import Definition
from conversations.engine.inputs import Input
from conversations.engine.state import SessionState, place
from conversations.engine.steps import Outcome, Step
from core.chat import campaigns
from core.chat.definitions import DefinitionCatalog
from core.errors import DomainError
from core.infra.db import changed_rows
from core.models import (
    Campaign,
    Meeting,
    ParticipantState,
    Person,
    ResponseSession,
    ResponseStatus,
    Secretariat,
    utcnow,
)
from i18n import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Turn:
    """What feeding an input did: the outcome, whether the session changed and, when the input
    finished it, what the conversation became or why core refused to make it (see ``endings``)."""

    response: ResponseSession
    outcome: Outcome
    settled: object | None = None
    refusal: DomainError | None = None
    # False when the session was removed with everything it gathered (a joining without a person).
    kept: bool = True

    @property
    def changed(self) -> bool:
        return self.outcome.accepted


def respondent_of(person: Person) -> dict[str, Any]:
    """Attributes kept with the answers for breakdowns (even anonymous ones keep these)."""
    return {
        "sector": str(person.sector) if person.sector else None,
        "roles": sorted(str(role) for role in person.roles),
    }


def known_of(person: Person | None) -> dict[str, Any]:
    """What a form need not ask the person again (see ``Question.known_as``)."""
    if person is None:
        return {}
    sector = respondent_of(person)["sector"]
    return {"name": person.name, "sector": sector, "organisation": person.organisation}


async def _known_of_campaign(
    session: AsyncSession, definition: Definition, campaign_id: int | None
) -> dict[str, Any]:
    """What the session a campaign follows already says: the day it was held, on its clock;
    looked up only for a definition that asks it."""
    asks = any(question.known_as == "meeting_date" for question in definition.questions)
    if campaign_id is None or not asks:
        return {}
    meeting = await session.scalar(
        select(Meeting)
        .join(Campaign, Campaign.meeting_id == Meeting.id)
        .where(Campaign.id == campaign_id)
    )
    if meeting is None:
        return {}
    return {"meeting_date": meeting.held_on.isoformat()}


async def start(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    definition_id: str,
    language: str,
    *,
    secretariat_id: int,
    person: Person | None = None,
    telegram_id: int | None = None,
    invitation_id: int | None = None,
    campaign_id: int | None = None,
    owner_id: int | None = None,
) -> ResponseSession:
    """Start a session on the latest version of the definition (built in when ``owner_id``, the
    secretariat that uploaded it, is None)."""
    engine = await catalog.latest(session, secretariat_id, definition_id, owner_id)
    definition = engine.definition
    respondent = respondent_of(person) if person else {}
    where = person if person else await session.get_one(Secretariat, secretariat_id)
    known = {**known_of(person), **await _known_of_campaign(session, definition, campaign_id)}
    state = engine.start(language, respondent=respondent, time_zone=where.time_zone, known=known)
    response = ResponseSession(
        secretariat_id=secretariat_id,
        person_id=person.id if person else None,
        telegram_id=telegram_id,
        invitation_id=invitation_id,
        campaign_id=campaign_id,
        definition_id=definition.id,
        definition_version=definition.version,
        definition_owner_id=owner_id,
        anonymous=definition.anonymous,
        status=ResponseStatus.ACTIVE,
        step=0,
        state=state.to_json(),
        respondent=state.respondent,
    )
    session.add(response)
    await session.flush()
    if campaign_id is not None and person is not None:
        await campaigns.started(session, campaign_id, person.id)
    return response


def state_of(response: ResponseSession) -> SessionState:
    return SessionState.from_json(response.state)


def position_of(response: ResponseSession) -> str | None:
    """Where the session is: its question in the instances of its repeats (``Step.place``),
    read without building the whole state."""
    position = response.state.get("position")
    return None if position is None else place(position, response.state.get("instance") or ())


async def asks_location(
    session: AsyncSession, catalog: DefinitionCatalog, response: ResponseSession
) -> bool:
    definition = (await catalog.engine_of(session, response)).definition
    position = response.state.get("position")
    return (
        position is not None
        and definition.position(position) is not None
        and definition.question(position).type == "location"
    )


async def current_step(
    session: AsyncSession, catalog: DefinitionCatalog, response: ResponseSession
) -> Step:
    engine = await catalog.engine_of(session, response)
    return engine.current(state_of(response))


async def feed(
    session: AsyncSession, catalog: DefinitionCatalog, response: ResponseSession, given: Input
) -> Turn:
    """Feed one input and write what it changed, in the caller's transaction.

    The session may have been read without a lock (with its sender, see ``sender``), or in an
    earlier transaction: if another input was saved since, nothing is written at the step that
    was read. The session is then read again, locked, and the input fed to what it holds now,
    so two quick messages of one person are both kept, one after the other.
    """
    turn = await _feed_at_step(session, catalog, response, given)
    if turn is not None:
        return turn
    current = await session.get(
        ResponseSession, response.id, with_for_update=True, populate_existing=True
    )
    if current is None:  # deleted meanwhile (a joining declined): it has ended
        ended = state_of(response).model_copy(update={"status": ResponseStatus.CANCELLED.value})
        engine = await catalog.engine_of(session, response)
        return Turn(response, engine.feed(ended, given))
    turn = await _feed_at_step(session, catalog, current, given)
    assert turn is not None, "the session is locked: nothing else can have moved it"
    return turn


async def _feed_at_step(
    session: AsyncSession, catalog: DefinitionCatalog, response: ResponseSession, given: Input
) -> Turn | None:
    """The turn, or None if the session is no longer at the step it was read at."""
    engine = await catalog.engine_of(session, response)
    outcome = engine.feed(state_of(response), given)
    if not outcome.accepted:
        return Turn(response, outcome)
    state = outcome.state
    now = utcnow()
    saved: dict[str, Any] = {
        "state": state.to_json(),
        "definition_version": state.definition_version,
        "step": response.step + 1,
        "updated_at": now,
    }
    if outcome.finished:
        status = ResponseStatus(state.status)
        saved.update(
            status=status,
            completed_at=now,
            answers=None,
            person_id=response.person_id,
            telegram_id=response.telegram_id,
            invitation_id=response.invitation_id,
            created_at=response.created_at,
        )
        if status == ResponseStatus.COMPLETED:
            saved["answers"] = outcome.answers or engine.collected(state)
            if response.anonymous:
                saved.update(_unlinked(saved["state"], now))
    written = await changed_rows(
        session,
        _SAVE_ENDING if outcome.finished else _SAVE_PROGRESS,
        {"response_id": response.id, "read_at_step": response.step, **saved},
    )
    if written == 0:
        return None
    ended = _PARTICIPATION.get(saved["status"]) if outcome.finished else None
    if ended and response.campaign_id is not None and response.person_id is not None:
        await campaigns.mark_ended(session, response.campaign_id, response.person_id, ended, now)
    for name, value in saved.items():
        set_committed_value(response, name, value)
    return Turn(response, outcome)


# What a campaign's participant becomes when their session ends so (a cancelled one may start
# again).
_PARTICIPATION = {
    ResponseStatus.COMPLETED: ParticipantState.FINISHED,
    ResponseStatus.DECLINED: ParticipantState.DECLINED,
}


def _unlinked(state: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What an anonymous response keeps once completed: the answers stay for the results; who
    gave them does not, nor any time finer than the day (participation keeps the day it
    finished: an exact time would match), nor the language the person reads."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "person_id": None,
        "telegram_id": None,
        "invitation_id": None,
        "created_at": day,
        "updated_at": day,
        "completed_at": day,
        "state": {**state, "language": DEFAULT_LANGUAGE},
    }


# What an accepted input changes, written by a prebuilt UPDATE: for every answer given in chat,
# the unit of work's bookkeeping cost more than the statement itself. The status stays active
# until the end and is written only then: two indexes hold it, and SQLite rewrites the entries
# of every indexed column an UPDATE sets, changed or not (with sqlite3 alone, saving an answer
# took 42 µs with the status written and 23 µs without).
_PROGRESS = ("state", "definition_version", "step", "updated_at")
_ENDING = (
    *_PROGRESS,
    *("status", "completed_at", "answers", "person_id", "telegram_id", "invitation_id"),
    "created_at",
)


def _saving(columns: tuple[str, ...]) -> Update:
    table = ResponseSession.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("response_id"), table.c.step == bindparam("read_at_step"))
        .values({column: bindparam(column) for column in columns})
    )


_SAVE_PROGRESS = _saving(_PROGRESS)
_SAVE_ENDING = _saving(_ENDING)


# The person's active conversations, the one touched last first.
_UNFINISHED = (
    select(ResponseSession)
    .where(
        ResponseSession.person_id == bindparam("person_id"),
        ResponseSession.status == ResponseStatus.ACTIVE,
    )
    .order_by(ResponseSession.updated_at.desc(), ResponseSession.id.desc())
)

# Who sent an update and the conversation they are in now (the active one touched last), in one
# query built once: this runs for every update. It takes no lock; ``feed`` sees to two quick
# messages of one person.
_CURRENT = (
    select(ResponseSession.id)
    .where(ResponseSession.person_id == Person.id, ResponseSession.status == ResponseStatus.ACTIVE)
    .order_by(ResponseSession.updated_at.desc(), ResponseSession.id.desc())
    .limit(1)
    .correlate(Person)
    .scalar_subquery()
)
_SENDER = (
    select(Person, ResponseSession)
    .options(joinedload(Person.role_links))
    .outerjoin(ResponseSession, ResponseSession.id == _CURRENT)
    .where(Person.telegram_id == bindparam("telegram_id"), Person.erased_at.is_(None))
)


async def sender(
    session: AsyncSession, telegram_id: int
) -> tuple[Person | None, ResponseSession | None]:
    """The registered person behind a Telegram account, with the conversation they are in."""
    found = (await session.execute(_SENDER, {"telegram_id": telegram_id})).unique().one_or_none()
    if found is None:
        return None, None
    person, conversation = found
    return person, conversation


async def unfinished(session: AsyncSession, person_id: int) -> list[ResponseSession]:
    return list(await session.scalars(_UNFINISHED, {"person_id": person_id}))


def touch(response: ResponseSession) -> None:
    """Make this session the person's current one (resuming it from a list)."""
    response.updated_at = utcnow()


async def start_for(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    person: Person,
    definition_id: str,
    *,
    campaign_id: int | None = None,
    owner_id: int | None = None,
    resume: bool = False,
) -> ResponseSession:
    """A new session of the definition for a registered person, in their language; with
    ``resume``, their unfinished one of it (in the campaign, where one is given) made current
    instead, if they have one."""
    if resume:
        for response in await unfinished(session, person.id):
            if response.definition_id == definition_id and response.campaign_id == campaign_id:
                touch(response)
                return response
    return await start(
        session,
        catalog,
        definition_id,
        person.language,
        secretariat_id=person.secretariat_id,
        person=person,
        campaign_id=campaign_id,
        owner_id=owner_id,
    )
