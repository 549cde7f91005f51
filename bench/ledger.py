"""The public ledger at scale: validations recorded, exported and verified offline.

Builds a secretariat with a pool of validators and a plan of reported tasks, puts every report
to validation (three validators each, three votes, the outcome), then measures the export of
the whole chain and of one plan as JSON lines, and their offline verification.

    .venv/bin/python bench/ledger.py [--database-url URL] [--reports N]

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from core.audit import ledger
from core.infra.db import create_engine, create_session_factory
from core.models import Base, Role, Sector
from core.people import secretariats
from core.people.people import create_person
from core.plans import plans, structure, tasks
from core.reporting import reports
from core.validation.requests import request_validation
from core.validation.votes import cast_vote

SECTORS = list(Sector)


async def build(session_factory, count: int) -> tuple[int, float]:
    """``count`` validated reports; (plan id, seconds taken)."""
    started = time.perf_counter()
    async with session_factory() as session, session.begin():
        sec = await secretariats.create_secretariat(
            session, "bench", slug="sesea-bench", name="Secretaría", state="Aguascalientes"
        )
        ana = await create_person(session, sec.id, "bench", roles={Role.STAFF}, name="Ana")
        pool = [
            await create_person(
                session, sec.id, "bench", roles={Role.CIVIL_SOCIETY},
                sector=SECTORS[number % len(SECTORS)], telegram_id=10_000 + number,
                name=f"Validadora {number}",
            )
            for number in range(30)
        ]  # fmt: skip
        plan = await plans.create_plan(session, sec.id, "bench", year=2026, title="Plan")
        objective = await structure.add_objective(session, sec.id, "bench", plan.id, title="O")
        activity = await structure.add_activity(session, sec.id, "bench", objective.id, title="A")
        await plans.create_plan(session, sec.id, "bench", year=2027, title="Otro")
    by_id = {person.id: person for person in pool}
    for number in range(count):
        async with session_factory() as session, session.begin():
            task = await tasks.add_task(
                session, sec.id, "bench", activity.id, title=f"Tarea {number}",
                responsible_ids=[ana.id],
            )  # fmt: skip
            staff = await session.get(type(ana), ana.id)
            report = await reports.submit_report(
                session, staff, task.id, status="done", note="Hecho",
                evidence=[reports.EvidenceItem("photo", f"{number:064x}", f"file-{number}")],
            )  # fmt: skip
            request = await request_validation(session, sec.id, "bench", report.id)
            for assignment in list(request.assignments):
                validator = await session.get(type(ana), by_id[assignment.person_id].id)
                await cast_vote(session, validator, assignment.id, "confirm")
    return plan.id, time.perf_counter() - started


async def export(session_factory, plan_id: int | None) -> tuple[list[str], float]:
    started = time.perf_counter()
    async with session_factory() as session, session.begin():
        lines = [line async for line in ledger.export_lines(session, plan_id)]
    return lines, time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.run_sync(Base.metadata.create_all)
        session_factory = create_session_factory(engine)
        plan_id, built = await build(session_factory, args.reports)
        whole, export_seconds = await export(session_factory, None)
        of_plan, plan_seconds = await export(session_factory, plan_id)
        started = time.perf_counter()
        report = ledger.verify_lines(whole)
        verify_seconds = time.perf_counter() - started
        assert report.ok, report.describe()
        assert ledger.verify_lines(of_plan).ok
        await engine.dispose()
    events = len(whole)
    figures = {
        "database": url.split(":")[0],
        "validated_reports": args.reports,
        "events": events,
        "validations_per_second": round(args.reports / built, 1),
        "export_events_per_second": round(events / export_seconds),
        "plan_export_events_per_second": round(events / plan_seconds),
        "verify_events_per_second": round(events / verify_seconds),
        "export_bytes_per_event": round(sum(map(len, whole)) / events),
    }
    print(f"{args.reports} reports validated in {built:.1f} s ({events} ledger events)")
    print(f"export: {figures['export_events_per_second']} events/s; "
          f"offline verify: {figures['verify_events_per_second']} events/s")  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
