"""Append to the hash-chained audit log, and verify it.

Each event's hash is the SHA-256 of the previous hash followed by the canonical JSON of the
event's public form (``public.public_form``: person references pseudonymised), so changing or
removing any event breaks every link after it. Events written before that form existed are
hashed as stored; verification accepts either.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import public
from core.audit.actor import Actor
from core.models import GENESIS_HASH, AuditEvent, Entity, utcnow

# Any constant works; it names the lock that serialises appends on PostgreSQL.
_APPEND_LOCK = 0x1C0_44_0B1E
HASH = re.compile(r"[0-9a-f]{64}")
# Who adds an entity: an actor, or how the entity's own id names one (a person joining is the
# author of their own record, known once it is stored).
Author = Actor | Callable[[int], Actor]
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "secretariat_id",
    "plan_id",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "data",
)


def to_json_value(value: Any) -> Any:
    """Make ``value`` plain JSON (decimals, dates and enums become strings)."""
    return json.loads(json.dumps(value, default=str))


def canonical(record: dict[str, Any]) -> str:
    return json.dumps(
        {name: record[name] for name in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def digest(prev_hash: str, record: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(record)).encode()).hexdigest()


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def as_record(event: AuditEvent) -> dict[str, Any]:
    """The event as the plain dictionary that is hashed and exported."""
    return {
        "seq": event.seq,
        "occurred_at": format_time(event.occurred_at),
        "secretariat_id": event.secretariat_id,
        "plan_id": event.plan_id,
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


async def record(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    secretariat_id: int | None,
    plan_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_APPEND_LOCK)))
    head = (
        await session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        )
    ).first()
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    occurred_at = utcnow()
    fields = {
        "seq": seq,
        "secretariat_id": secretariat_id,
        "plan_id": plan_id,
        "actor": str(actor),
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "data": to_json_value(data or {}),
    }
    hashed = public.public_form(
        {**fields, "occurred_at": format_time(occurred_at)}, await public.key(session)
    )
    event = AuditEvent(
        **fields, occurred_at=occurred_at, prev_hash=prev_hash, hash=digest(prev_hash, hashed)
    )
    session.add(event)
    await session.flush()
    return event


async def about(
    session: AsyncSession,
    entity: Entity,
    action: str,
    actor: Author,
    secretariat_id: int | None,
    plan_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record ``action`` done to ``entity``, naming it by its table and id; an entity not yet
    stored (one just made, for ``<kind>.create``) is added first, so that it has an id."""
    if not inspect(entity).has_identity:
        session.add(entity)
        await session.flush()
    return await record(
        session,
        actor=actor(entity.id) if callable(actor) else actor,
        action=action,
        entity_type=entity.__tablename__,
        entity_id=entity.id,
        secretariat_id=secretariat_id,
        plan_id=plan_id,
        data=data,
    )


def reduced(record: dict[str, Any]) -> dict[str, Any]:
    """An event cut down to its place in the chain, for exports that leave its content out."""
    return {
        "seq": record["seq"],
        "prev_hash": record["prev_hash"],
        "hash": record["hash"],
        "reduced": True,
    }


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head: str
    broken_seq: int | None = None
    reason: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.events} events, head {self.head}"
        return f"audit chain broken at event {self.broken_seq}: {self.reason}"


class ChainChecker:
    """Walks records in order; the one check serves the database and exported files.

    A reduced record (see ``reduced``) is checked for its place in the chain only. An event of
    the database is fed with its public form too: the one of them its hash covers must match.
    """

    def __init__(self) -> None:
        self.expected_seq = 1
        self.prev_hash = GENESIS_HASH
        self.count = 0
        self.failure: ChainReport | None = None

    def feed(self, item: dict[str, Any], shown: dict[str, Any] | None = None) -> bool:
        seq = item.get("seq")
        if seq != self.expected_seq:
            return self._fail(self.expected_seq, f"event {self.expected_seq} is missing")
        if item.get("prev_hash") != self.prev_hash:
            return self._fail(seq, "its link to the previous event does not match")
        if item.get("reduced") is True:
            # Only its place in the chain can be checked; the next link vouches for its hash.
            if not isinstance(item.get("hash"), str) or not HASH.fullmatch(item["hash"]):
                return self._fail(seq, "its hash is not a SHA-256")
        elif any(name not in item for name in HASHED_FIELDS):
            return self._fail(seq, "it lacks fields of an event")
        elif item.get("hash") not in {
            digest(self.prev_hash, form) for form in (item, shown) if form is not None
        }:
            return self._fail(seq, "its content does not match its hash")
        self.prev_hash = item["hash"]
        self.expected_seq += 1
        self.count += 1
        return True

    def fail_here(self, reason: str) -> ChainReport:
        """Stop at the next expected event, for a reason found outside the records."""
        self._fail(self.expected_seq, reason)
        return self.report()

    def _fail(self, seq: int, reason: str) -> bool:
        self.failure = ChainReport(False, self.count, self.prev_hash, seq, reason)
        return False

    def report(self) -> ChainReport:
        return self.failure or ChainReport(True, self.count, self.prev_hash)


def verify_records(records: Iterable[dict[str, Any]]) -> ChainReport:
    checker = ChainChecker()
    for item in records:
        if not checker.feed(item):
            break
    return checker.report()


async def verify(session: AsyncSession, batch_size: int = 1000) -> ChainReport:
    """Verify the whole chain in the database, streaming it in batches."""
    checker = ChainChecker()
    secret = await public.key(session)
    rows: AsyncIterable[AuditEvent] = await session.stream_scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    )
    async for event in rows:
        stored = as_record(event)
        if not checker.feed(stored, public.public_form(stored, secret)):
            break
    return checker.report()


async def head(session: AsyncSession) -> tuple[int, str]:
    """The sequence number and hash of the last event (0 and the genesis hash when empty)."""
    last = (
        await session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        )
    ).first()
    return (last.seq, last.hash) if last else (0, GENESIS_HASH)
