"""Roll-up and critical path on a plan of 5,000 tasks and 15,000 dependencies.

Prints the time and the number of SQL statements each takes, on SQLite and (when reachable)
PostgreSQL; targets: well under a second, statements independent of the plan's size (the
same count is printed for a plan of 50 tasks as the baseline).

    .venv/bin/python bench/plan_scale.py [--tasks 5000] [--edges-per-task 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.infra.db import create_engine, create_session_factory
from core.models import Activity, Base, Objective, Task, TaskDependency
from core.people import secretariats
from core.plans import plans, progress, schedule
from tests.support import databases


async def build(
    session_factory, tasks: int, edges_per_task: int, slug: str = "bench"
) -> tuple[int, int]:
    """A plan shaped like a real one (objectives → activities → tasks), inserted in bulk."""
    rng = random.Random(7)
    async with session_factory() as session, session.begin():
        sec = await secretariats.create_secretariat(
            session, "bench", slug=slug, name=f"Bench {slug}", state="Nacional"
        )
        plan = await plans.create_plan(session, sec.id, "bench", year=2026, title="Plan")
        objective_ids = []
        for number in range(10):
            objective_ids.append(
                (
                    await session.execute(
                        insert(Objective)
                        .values(plan_id=plan.id, code=str(number + 1), title=f"O{number}")
                        .returning(Objective.id)
                    )
                ).scalar_one()
            )
        activity_rows = [
            {"objective_id": objective_ids[n % 10], "code": f"a{n}", "title": f"A{n}"}
            for n in range(tasks // 10)
        ]
        activity_ids = list(
            (await session.scalars(insert(Activity).returning(Activity.id), activity_rows)).all()
        )
        start = date(2026, 1, 1)
        task_rows = []
        for n in range(tasks):
            begin = start + timedelta(days=rng.randrange(300))
            task_rows.append(
                {
                    "activity_id": activity_ids[n % len(activity_ids)],
                    "code": f"t{n}",
                    "title": f"Tarea {n}",
                    "estimated_hours": rng.randrange(1, 80),
                    "percent": rng.randrange(0, 101),
                    "start_date": begin,
                    "due_date": begin + timedelta(days=rng.randrange(0, 20)),
                    "inputs": [],
                    "outputs": [],
                }
            )
        task_ids = list((await session.scalars(insert(Task).returning(Task.id), task_rows)).all())
        pairs = set()
        for index in range(1, tasks):
            for _ in range(edges_per_task):
                pairs.add((task_ids[rng.randrange(index)], task_ids[index]))
        await session.execute(
            insert(TaskDependency),
            [{"predecessor_id": p, "successor_id": s, "lag_days": 1} for p, s in pairs],
        )
        return sec.id, plan.id


async def measure(url: str, tasks: int, edges_per_task: int) -> dict[str, float]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    factory = create_session_factory(engine)
    sec_id, plan_id = await build(factory, tasks, edges_per_task)
    statements = 0

    def count(*_args) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    figures: dict[str, float] = {}
    for name, operation in (
        ("rollup", progress.plan_progress),
        ("critical_path", schedule.plan_schedule),
    ):
        timings = []
        for _ in range(5):
            statements = 0
            async with factory() as session:
                started = time.perf_counter()
                await operation(session, sec_id, plan_id)
                timings.append(time.perf_counter() - started)
        figures[f"{name}_s"] = round(min(timings), 4)
        figures[f"{name}_statements"] = statements
    await engine.dispose()
    return figures


async def run_backend(backend: str, tasks: int, edges: int) -> dict[str, float] | None:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            small = await measure(databases.sqlite_url(Path(folder) / "s.db"), 50, edges)
            large = await measure(databases.sqlite_url(Path(folder) / "l.db"), tasks, edges)
    else:
        if await databases.postgres_available():
            return None
        urls = [await databases.create_postgres_database() for _ in range(2)]
        try:
            small = await measure(urls[0], 50, edges)
            large = await measure(urls[1], tasks, edges)
        finally:
            for url in urls:
                await databases.drop_postgres_database(url)
    for key in ("rollup_statements", "critical_path_statements"):
        large[f"{key}_at_50_tasks"] = small[key]
    return large


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--edges-per-task", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for backend in ("sqlite", "postgresql"):
        figures = await run_backend(backend, args.tasks, args.edges_per_task)
        if figures is None:
            print(f"{backend}: not reachable, skipped")
            continue
        results[backend] = figures
        print(
            f"{backend}: {args.tasks} tasks, ~{args.tasks * args.edges_per_task} dependencies: "
            f"roll-up {figures['rollup_s'] * 1000:.0f} ms in {figures['rollup_statements']} "
            f"statements ({figures['rollup_statements_at_50_tasks']} at 50 tasks); "
            f"critical path {figures['critical_path_s'] * 1000:.0f} ms in "
            f"{figures['critical_path_statements']} statements "
            f"({figures['critical_path_statements_at_50_tasks']} at 50 tasks)"
        )
    print(json.dumps({"tasks": args.tasks, **results}))


if __name__ == "__main__":
    asyncio.run(main())
