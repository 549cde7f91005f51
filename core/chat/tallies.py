"""A campaign's results counted as its responses complete (see ``core.models.tally``).

A survey's last answer adds the response to the tallies in the transaction that completes it,
and erasing a person takes their answers back out, so the tallies always hold exactly the
completed responses marked ``tallied``. Reading them gives the same figures as counting every
response again: responses that are not tallied (completed before tallies were kept, of a
definition with repeats, or of another version than the one results are read with) are counted
from their answers on the way.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from sqlalchemy import ColumnElement, Text, cast, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from conversations.definition import Definition
from conversations.results import COUNTED, Kind, Tally, entries, group_value
from core.chat.definitions import DefinitionCatalog
from core.infra.db import json_text
from core.models import ResponseSession, ResponseStatus, ResponseTally, ResponseText
from core.models.tally import TALLY_KEY

_BATCH = 5000
# Marks a response counted, keeping ``updated_at``: an anonymous response keeps no finer time
# than its day, and the column would otherwise take the time of the update.
_TALLIED = {"tallied": True, "updated_at": ResponseSession.updated_at}


_KINDS = {kind.value: kind for kind in Kind}


class Group(NamedTuple):
    """The respondent group a response is counted in: what results may be broken down by."""

    secretariat_id: int
    sector: str | None
    roles: str | None


def _stored(secretariat_id: int, sector: str, roles: str) -> Group:
    """The group of tally rows, whose empty values are ''."""
    return Group(secretariat_id, sector or None, roles or None)


def group_of(respondent: Any, secretariat_id: int) -> Group:
    respondent = respondent if type(respondent) is dict else {}
    sector, roles = group_value(respondent, "sector"), group_value(respondent, "roles")
    return Group(
        secretariat_id,
        None if sector is None else str(sector),
        None if roles is None else str(roles),
    )


def tallies_kept(definition: Definition) -> bool:
    """Whether completed responses of the definition are tallied: those with repeats are not,
    as their figures count instances within each response."""
    return not any(definition.repeats_of(q.id) for q in definition.every_question)


async def add(session: AsyncSession, definition: Definition, response: ResponseSession) -> None:
    """Count a response of a campaign that has just completed, in the caller's transaction."""
    if response.campaign_id is None or response.tallied or not tallies_kept(definition):
        return
    await _count(session, definition, response, 1)
    await session.execute(
        update(ResponseSession).where(ResponseSession.id == response.id).values(_TALLIED)
    )
    set_committed_value(response, "tallied", True)


async def take_back(
    session: AsyncSession, catalog: DefinitionCatalog, responses: Iterable[ResponseSession]
) -> None:
    """Take tallied responses out of the tallies, before they are deleted (their kept texts go
    with them: they cascade)."""
    campaign_ids = set()
    for response in responses:
        if response.tallied and response.campaign_id is not None:
            definition = (await catalog.engine_of(session, response)).definition
            await _count(session, definition, response, -1)
            campaign_ids.add(response.campaign_id)
    await session.execute(
        delete(ResponseTally).where(
            ResponseTally.campaign_id.in_(campaign_ids), ResponseTally.count == 0
        )
    )


async def _count(
    session: AsyncSession, definition: Definition, response: ResponseSession, times: int
) -> None:
    assert response.campaign_id is not None
    rows = _Rows()
    rows.add(
        definition,
        response.id,
        response.campaign_id,
        response.definition_version,
        group_of(response.respondent, response.secretariat_id),
        response.answers,
        _others(response.state),
        times,
    )
    await rows.write(session, keep=times > 0)


@dataclass
class _Rows:
    """The rows that responses add to the tallies: counts summed by key, texts in order."""

    counted: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    kept: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        definition: Definition,
        response_id: int,
        campaign_id: int,
        version: int,
        group: Group,
        answers: Any,
        others: Any,
        times: int,
    ) -> None:
        where = {
            "campaign_id": campaign_id,
            "definition_version": version,
            "secretariat_id": group.secretariat_id,
            "sector": group.sector or "",
            "roles": group.roles or "",
        }
        for question, kind, value in entries(definition, answers, others):
            encoded = json_text(value)
            row = {**where, "question_id": question, "kind": kind.value, "value": encoded}
            if kind not in COUNTED:
                self.kept.append({**row, "response_id": response_id})
                continue
            row["digest"] = _digest(encoded)
            key = tuple(row[column] for column in TALLY_KEY)
            if key in self.counted:
                self.counted[key]["count"] += times
            else:
                self.counted[key] = {**row, "count": times}

    async def write(self, session: AsyncSession, *, keep: bool = True) -> None:
        # Always in the key's order, so two transactions adding to the same rows cannot
        # deadlock.
        counted = [self.counted[key] for key in sorted(self.counted)]
        if counted:
            await session.execute(_upsert(session), counted)
        if self.kept and keep:
            await session.execute(ResponseText.__table__.insert(), self.kept)


async def recount(session: AsyncSession, catalog: DefinitionCatalog) -> int:
    """Add to the tallies every completed response of a campaign that is not in them yet (those
    completed before tallies were kept), so their results read as fast; how many were added.

    Safe while people answer: a response is counted by whoever marks it tallied, and completions
    mark theirs in the transaction that completes them.
    """
    untallied = (
        select(
            ResponseSession.definition_id,
            ResponseSession.definition_version,
            ResponseSession.definition_owner_id,
        )
        .where(
            ResponseSession.campaign_id.is_not(None),
            ResponseSession.status == ResponseStatus.COMPLETED,
            ResponseSession.tallied.is_(False),
        )
        .distinct()
    )
    added = 0
    for definition_id, version, owner_id in (await session.execute(untallied)).all():
        engine = await catalog.engine_for(session, definition_id, version, owner_id)
        if tallies_kept(engine.definition):
            added += await _recount(session, engine.definition, owner_id)
    return added


async def _recount(session: AsyncSession, definition: Definition, owner_id: int | None) -> int:
    """Count the untallied responses of one definition version, a batch at a time."""
    added = 0
    while True:
        marked = (
            update(ResponseSession)
            .where(
                ResponseSession.id.in_(
                    select(ResponseSession.id)
                    .where(
                        ResponseSession.campaign_id.is_not(None),
                        ResponseSession.status == ResponseStatus.COMPLETED,
                        ResponseSession.tallied.is_(False),
                        ResponseSession.definition_id == definition.id,
                        ResponseSession.definition_version == definition.version,
                        _owned_by(owner_id),
                    )
                    .limit(_BATCH)
                    .scalar_subquery()
                ),
                ResponseSession.tallied.is_(False),
            )
            .values(_TALLIED)
            .returning(
                ResponseSession.id,
                ResponseSession.campaign_id,
                ResponseSession.secretariat_id,
                ResponseSession.respondent,
                ResponseSession.answers,
                ResponseSession.state["others"],
            )
        )
        batch = (await session.execute(marked)).all()
        if not batch:
            return added
        rows = _Rows()
        for response_id, campaign_id, secretariat_id, respondent, answers, others in batch:
            group = group_of(respondent, secretariat_id)
            rows.add(
                definition, response_id, campaign_id, definition.version, group, answers, others, 1
            )
        await rows.write(session)
        added += len(batch)


def _owned_by(owner_id: int | None) -> Any:
    if owner_id is None:
        return ResponseSession.definition_owner_id.is_(None)
    return ResponseSession.definition_owner_id == owner_id


def _upsert(session: AsyncSession) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ResponseTally)
    return statement.on_conflict_do_update(
        index_elements=TALLY_KEY, set_={"count": ResponseTally.count + statement.excluded.count}
    )


async def _read_kept(
    session: AsyncSession,
    campaign_ids: Sequence[int],
    version: int,
    groups: defaultdict[Group, Tally],
) -> None:
    """Add to each group's tally the answers kept in order."""
    texts = await session.execute(
        select(
            ResponseText.secretariat_id,
            ResponseText.sector,
            ResponseText.roles,
            ResponseText.question_id,
            ResponseText.kind,
            _joined(session, ResponseText.response_id),
            _joined(session, ResponseText.value),
        )
        .where(
            ResponseText.campaign_id.in_(campaign_ids),
            ResponseText.definition_version == version,
        )
        .group_by(
            ResponseText.secretariat_id,
            ResponseText.sector,
            ResponseText.roles,
            ResponseText.question_id,
            ResponseText.kind,
        )
    )
    for secretariat_id, sector, roles, question, kind, orders, values in texts:
        kept = groups[_stored(secretariat_id, sector, roles)].kept
        found = kept[question, _KINDS[kind]]
        found.orders.extend(orjson.loads(f"[{orders}]"))
        found.values.extend(orjson.loads(f"[{values}]"))


def _joined(session: AsyncSession, column: Any) -> ColumnElement[str]:
    """A group's values of a column joined by commas (of JSON, a JSON array but for its
    brackets), in the order they were added: a row per answer kept would cost more than the
    answers themselves."""
    if session.get_bind().dialect.name == "postgresql":
        as_added = postgresql.aggregate_order_by(literal(","), ResponseText.id)
        return func.string_agg(cast(column, Text), as_added)
    # SQLite joins them in the index's order, by row id within a group: as they were added.
    return func.group_concat(column, ",", type_=Text)


def _digest(encoded: str) -> str:
    return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()


def _others(state: Any) -> Any:
    return state.get("others") if type(state) is dict else None


async def read(
    session: AsyncSession,
    definition: Definition,
    campaign_ids: Sequence[int],
    *,
    with_texts: bool = True,
) -> dict[Group, Tally]:
    """The completed responses of the campaigns, counted per respondent group with the
    definition (at its version); without the answers kept in order (texts, files, places) when
    they are not shown."""
    groups: defaultdict[Group, Tally] = defaultdict(Tally)
    version = definition.version
    counts = await session.execute(
        select(
            ResponseTally.secretariat_id,
            ResponseTally.sector,
            ResponseTally.roles,
            ResponseTally.question_id,
            ResponseTally.kind,
            ResponseTally.value,
            ResponseTally.count,
        ).where(
            ResponseTally.campaign_id.in_(campaign_ids),
            ResponseTally.definition_version == version,
        )
    )
    for secretariat_id, sector, roles, question, kind, value, times in counts:
        tally = groups[_stored(secretariat_id, sector, roles)]
        tally.count(question, _KINDS[kind], orjson.loads(value), times)
    if with_texts:
        await _read_kept(session, campaign_ids, version, groups)
    untallied = await session.stream(
        select(
            ResponseSession.id,
            ResponseSession.answers,
            ResponseSession.state["others"],
            ResponseSession.respondent,
            ResponseSession.secretariat_id,
        ).where(
            ResponseSession.campaign_id.in_(campaign_ids),
            ResponseSession.status == ResponseStatus.COMPLETED,
            or_(
                ResponseSession.tallied.is_(False),
                ResponseSession.definition_version != version,
            ),
        )
    )
    async for response_id, answers, others, respondent, secretariat_id in untallied:
        groups[group_of(respondent, secretariat_id)].add(
            entries(definition, answers, others), response_id
        )
    return groups
