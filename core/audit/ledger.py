"""The public ledger: the audit chain exported as JSON lines, and validators' pseudonyms.

Validators appear in the ledger only by sector and pseudonym: the HMAC-SHA256 of their person
id under a random key made once per deployment and kept in the database. The same person
always gets the same pseudonym, and nobody without the key can tell who is behind one.

An export holds one event per line with its ``prev_hash`` and ``hash``, so it verifies offline
with ``chain.verify_records``. The export of one plan keeps the whole chain: the plan's events
in full, every other event reduced to its sequence number and hashes. The verifier then checks
every link of the chain and recomputes the hash of every full event; anyone who pinned the
chain head (the admin API shows it) can tell that no event, of this plan or another, was
altered, removed or inserted since. A reduced event proves where it stands in the chain, not
what it says: its content stays private to its own plan's export.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.models import AuditEvent, LedgerKey

PSEUDONYM_LENGTH = 20  # hex digits: 80 bits, no collision among any realistic pool


async def _key(session: AsyncSession) -> bytes:
    found = await session.get(LedgerKey, 1)
    if found is None:
        try:
            async with session.begin_nested():
                found = LedgerKey(id=1, key=secrets.token_hex(32))
                session.add(found)
        except IntegrityError:
            # Another transaction made the key first: that one is the deployment's key.
            found = await session.get_one(LedgerKey, 1, populate_existing=True)
    return bytes.fromhex(found.key)


async def pseudonym(session: AsyncSession, person_id: int) -> str:
    """The stable pseudonym of a person in the public ledger."""
    key = await _key(session)
    return hmac.new(key, str(person_id).encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


async def export_records(
    session: AsyncSession, plan_id: int | None = None, batch_size: int = 1000
) -> AsyncIterator[dict[str, Any]]:
    """Every event in chain order; with ``plan_id``, other plans' events reduced to hashes."""
    rows = await session.stream_scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    )
    async for event in rows:
        record = chain.as_record(event)
        yield record if plan_id is None or event.plan_id == plan_id else chain.reduced(record)


def to_line(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


async def export_lines(session: AsyncSession, plan_id: int | None = None) -> AsyncIterator[str]:
    async for record in export_records(session, plan_id):
        yield to_line(record)


class BadLine(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(f"line {number} is not a JSON object")
        self.number = number


def read_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The records of an export; blank lines are skipped, a malformed one raises ``BadLine``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise BadLine(number) from None
        if not isinstance(record, dict):
            raise BadLine(number)
        yield record


def verify_lines(lines: Iterable[str]) -> chain.ChainReport:
    """Check an export offline; the report names the first broken or missing link."""
    records = read_lines(lines)
    checker = chain.ChainChecker()
    try:
        for record in records:
            if not checker.feed(record):
                break
    except BadLine as bad:
        return checker.fail_here(str(bad))
    return checker.report()
