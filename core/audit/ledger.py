"""The public ledger: the audit chain exported as JSON lines, and validators' pseudonyms.

Validators appear in the ledger only by sector and pseudonym: the keyed hash of their person id
(``public.keyed``). Every other reference to a person (who acted, whom an event is about, the
people a task or a campaign names) appears as another keyed pseudonym, its public form
(``public.public_form``), and an event's hash covers that form: a reader recomputes the hash of
every full record as it stands, with no key. Events written before person references were
pseudonymised are hashed over the ids themselves; the export reduces those that name a person,
as it reduces other plans' events, so no id is printed nor recoverable by trying ids against the
hash.

An export holds one event per line with its ``prev_hash`` and ``hash``, so it verifies offline
with ``chain.verify_records``. The export of one plan keeps the whole chain: the plan's events
in full, every other event reduced to its sequence number and hashes. The verifier then checks
every link of the chain and recomputes the hash of every full event; anyone who pinned the
chain head (the admin API shows it) can tell that no event, of this plan or another, was
altered, removed or inserted since. A reduced event proves where it stands in the chain, not
what it says: its content stays private.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain, public
from core.models import AuditEvent


async def pseudonym(session: AsyncSession, person_id: int) -> str:
    """The stable pseudonym of a validator in the public ledger."""
    return public.keyed(await public.key(session), str(person_id))


def published(record: dict[str, Any], secret: bytes) -> dict[str, Any]:
    """The record as the public sees it: in its public form, or reduced to its place in the
    chain when its hash covers the person ids that form hides."""
    shown = public.public_form(record, secret)
    if shown is record or chain.digest(record["prev_hash"], shown) == record["hash"]:
        return shown
    return chain.reduced(record)


async def export_records(
    session: AsyncSession, plan_id: int | None = None, batch_size: int = 1000
) -> AsyncIterator[dict[str, Any]]:
    """Every event in chain order, as published; with ``plan_id``, other plans' events reduced
    to hashes."""
    secret = await public.key(session)
    rows = await session.stream_scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    )
    async for event in rows:
        record = chain.as_record(event)
        if plan_id is None or event.plan_id == plan_id:
            yield published(record, secret)
        else:
            yield chain.reduced(record)


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
