"""Admin API at plan scale, over real HTTP (uvicorn on loopback).

Builds a plan of 5,000 tasks and about 15,000 dependencies by importing a 5,000-row
spreadsheet through the API (timed, with peak Python memory of a second import), then measures
p50/p99 latency and SQL statements per request of the plan progress, critical path and task
list endpoints. Progress and critical path are measured right after a change to one of the
plan's tasks (built again; the dependency graph, which such a change cannot touch, is kept) and
with the plan unchanged (the answer kept from the previous request). The plan is then given 200
monthly indicators with a value for each of the last 60 months (12,000 measurements), a third of
them validated by civil society, and the view of where they stand is measured too.

    .venv/bin/python bench/admin_api.py [--database-url URL] [--requests N]

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from openpyxl import Workbook
from sqlalchemy import Engine, event, insert, select

from admin.app import create_app
from core.infra import migrate
from core.infra.db import SessionFactory, create_engine, create_session_factory
from core.infra.settings import Settings
from core.models import (
    Frequency,
    Indicator,
    Measurement,
    Role,
    Secretariat,
    TokenRole,
    ValidationRequest,
    ValidationState,
)
from core.people import people, secretariats, tokens
from core.plans.periods import calendar
from core.plans.spreadsheets.columns import HEADERS, XLSX_MEDIA_TYPE

OBJECTIVES, ACTIVITIES, TASKS_PER_ACTIVITY = 20, 10, 25  # 5,000 tasks
PEOPLE = 40
LAGS = (1, 7, 13)  # each task waits for up to three earlier ones: about 15,000 dependencies
INDICATORS, YEARS = 200, 5  # a value a month each: 12,000 measurements


def plan_workbook() -> tuple[bytes, int, int]:
    """A 5,000-row plan in the template; (content, tasks, dependencies)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan")
    headers = HEADERS
    columns = [
        "objective_code",
        "objective",
        "activity_code",
        "activity",
        "task_code",
        "task",
        "responsibles",
        "estimated_hours",
        "inputs",
        "outputs",
        "start",
        "due",
        "depends_on",
    ]
    sheet.append([headers[key] for key in columns])
    index = dependencies = 0
    start = date(2026, 1, 5)
    for o in range(1, OBJECTIVES + 1):
        for a in range(1, ACTIVITIES + 1):
            for _ in range(TASKS_PER_ACTIVITY):
                waits = [f"T{index - lag}" for lag in LAGS if index - lag >= 0]
                dependencies += len(waits)
                day = start + timedelta(days=index % 300)
                sheet.append(
                    [
                        str(o),
                        f"Línea de acción {o}",
                        f"{o}.{a}",
                        f"Actividad {o}.{a}",
                        f"T{index}",
                        f"Tarea {index}",
                        f"persona{index % PEOPLE}@sesea.gob.mx",
                        8 + index % 5,
                        "Minuta previa",
                        f"Entregable {index}",
                        day,
                        day + timedelta(days=index % 4),
                        "; ".join(waits),
                    ]
                )
                index += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), index, dependencies


async def add_indicators(
    session_factory: SessionFactory, secretariat: Secretariat, plan_id: int
) -> int:
    """The plan's monthly indicators over the years up to last month, each with a value for
    every month, written straight to the database; how many values."""
    this_month = people.local_today(secretariat).replace(day=1)
    starts_on = this_month.replace(year=this_month.year - YEARS)
    ends_on = this_month - timedelta(days=1)
    months = calendar(Frequency.MONTHLY, starts_on, ends_on)
    async with session_factory() as session, session.begin():
        indicators = [
            Indicator(
                plan_id=plan_id,
                name=f"Indicador {number}",
                unit="%",
                baseline=number % 50,
                goal=50 + number % 50,
                frequency=Frequency.MONTHLY,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            for number in range(INDICATORS)
        ]
        session.add_all(indicators)
        await session.flush()
        values = [
            {
                "indicator_id": indicator.id,
                "measured_on": month.ends_on,
                "value": index % 100,
            }
            for indicator in indicators
            for index, month in enumerate(months)
        ]
        await session.execute(insert(Measurement), values)
        # A third of the values went through a validation that validated them.
        measured = await session.scalars(
            select(Measurement.id)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(Indicator.plan_id == plan_id)
        )
        deadline = datetime.now(UTC)
        requests = [
            {
                "secretariat_id": secretariat.id,
                "plan_id": plan_id,
                "measurement_id": measurement_id,
                "state": ValidationState.VALIDATED,
                "requested_by": "system",
                "validators_wanted": 3,
                "min_confirmations": 2,
                "min_sectors": 2,
                "disputes_at_most_confirmations": True,
                "reply_days": 3,
                "remind_days_before": 2,
                "deadline": deadline,
            }
            for measurement_id in list(measured)[::3]
        ]
        await session.execute(insert(ValidationRequest), requests)
    return len(values)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="Default: a temporary SQLite file.")
    parser.add_argument("--requests", type=int, default=100, help="Requests per endpoint.")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite+aiosqlite:///{Path(workdir.name) / 'bench.db'}"
    engine = create_engine(url)
    await migrate.upgrade(engine)
    session_factory = create_session_factory(engine)
    async with session_factory() as session, session.begin():
        secretariat = await secretariats.create_secretariat(
            session, "bench", slug=f"bench-{int(time.time())}", name="Bench", state="Nacional"
        )
        for number in range(PEOPLE):
            await people.create_person(
                session,
                secretariat.id,
                "bench",
                roles={Role.STAFF},
                email=f"persona{number}@sesea.gob.mx",
                name=f"Persona {number}",
            )
        token = await tokens.issue_token(session, "bench", role=TokenRole.NATIONAL_ADMIN)
    headers = {"Authorization": f"Bearer {token.secret}"}
    content, task_count, dependency_count = plan_workbook()

    settings = Settings(data_dir=Path(workdir.name), database_url=url)
    app = create_app(settings, session_factory)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}/secretariats/{secretariat.id}"
    statements = {"count": 0}

    def count(*_args) -> None:
        statements["count"] += 1

    # Every engine of the process: reads on SQLite go through the API's read-only connections.
    event.listen(Engine, "before_cursor_execute", count)
    figures: dict[str, object] = {
        "database": engine.dialect.name,
        "tasks": task_count,
        "dependencies": dependency_count,
        "spreadsheet_bytes": len(content),
    }
    async with httpx.AsyncClient(headers=headers, timeout=120) as client:

        async def import_plan(title: str) -> tuple[float, int]:
            started = time.perf_counter()
            response = await client.post(
                f"{base}/plans/import",
                data={"year": "2026", "title": title},
                files={"file": ("plan.xlsx", content, XLSX_MEDIA_TYPE)},
            )
            elapsed = time.perf_counter() - started
            response.raise_for_status()
            return elapsed, response.json()["plan"]["id"]

        statements["count"] = 0
        figures["import_seconds"], plan_id = await import_plan("Plan de escala")
        figures["import_statements"] = statements["count"]
        tracemalloc.start()
        await import_plan("Plan de escala (memoria)")
        figures["import_peak_python_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()

        endpoints = {
            "progress": f"{base}/plans/{plan_id}/progress",
            "critical_path": f"{base}/plans/{plan_id}/critical-path",
            "task_list": f"{base}/plans/{plan_id}/tasks?limit=100&sort=due_date",
            "indicators_progress": f"{base}/plans/{plan_id}/indicators/progress",
        }
        task = (await client.get(endpoints["task_list"])).json()["items"][0]

        async def change_the_plan() -> None:
            """A real change (a task's percent), so the next view must be built again."""
            response = await client.patch(
                f"{base}/tasks/{task['id']}",
                json={"version": task["version"], "percent": (task["percent"] + 1) % 100},
            )
            response.raise_for_status()
            task.update(response.json())

        async def sample(name: str, endpoint: str, before=None) -> None:
            (await client.get(endpoint)).raise_for_status()  # warm up
            samples, counts = [], []
            for _ in range(args.requests):
                if before is not None:
                    await before()
                statements["count"] = 0
                started = time.perf_counter()
                response = await client.get(endpoint)
                samples.append((time.perf_counter() - started) * 1000)
                counts.append(statements["count"])
                response.raise_for_status()
            figures[f"{name}_p50_ms"] = round(statistics.median(samples), 1)
            figures[f"{name}_p99_ms"] = round(percentile(samples, 0.99), 1)
            figures[f"{name}_statements"] = max(counts)
            print(
                f"{name:28} p50 {figures[f'{name}_p50_ms']:8.1f} ms   "
                f"p99 {figures[f'{name}_p99_ms']:8.1f} ms   {max(counts)} statements"
            )

        # The whole-plan views are kept until something changes: measured both just after a
        # change (built again) and unchanged (answered from memory).
        for name in ("progress", "critical_path"):
            await sample(f"{name}_after_change", endpoints[name], before=change_the_plan)
            await sample(f"{name}_unchanged", endpoints[name])
        await sample("task_list", endpoints["task_list"])
        figures["indicators"] = INDICATORS
        figures["measurements"] = await add_indicators(session_factory, secretariat, plan_id)
        # Kept until something changes, as the whole-plan views are: measured both ways too.
        await sample(
            "indicators_progress_after_change",
            endpoints["indicators_progress"],
            before=change_the_plan,
        )
        await sample("indicators_progress_unchanged", endpoints["indicators_progress"])
    print(
        f"import of {task_count} rows: {figures['import_seconds']:.2f} s, "
        f"{figures['import_statements']} statements, "
        f"peak Python memory {figures['import_peak_python_mb']} MB"
    )
    server.should_exit = True
    await serving
    await engine.dispose()
    workdir.cleanup()
    figures["import_seconds"] = round(figures["import_seconds"], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
