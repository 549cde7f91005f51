"""The public pages at national scale, over real HTTP (``incorruptible admin`` on loopback).

32 state secretariats with a plan of 1,000 tasks each and a national one of 5,000; about a
third of the tasks reported, a third of those put to validation (validated, disputed, waiting,
expired); 200 good practices published across the 33 secretariats, each adopted by up to four
others into their plans. Each page type that exists is asked 50 at a time: first with nothing
changed (the page kept from the previous answer), then right after a change to one plan (a
task's progress and its audit event), when it is built again. Prints p50 and p99 per page and
state. The requests are sent with aiohttp: httpx's client spent more of the two cores than
the server it measured (34 ms at the median for ``/health`` under 50 at once, against 3 ms).

    .venv/bin/python bench/public_pages.py [--rounds N]

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiohttp
import httpx
from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conversations.catalogues import catalogue
from core.audit import chain
from core.audit.actor import Actor
from core.infra.db import create_engine, create_session_factory
from core.models import (
    Activity,
    Base,
    Objective,
    Plan,
    Practice,
    PracticeAdoption,
    PracticeState,
    ProgressReport,
    Secretariat,
    Task,
    TaskStatus,
    ValidationRequest,
    ValidationState,
)
from core.practices import search
from tests.support import databases
from tests.support.network import free_port

ROOT = Path(__file__).resolve().parent.parent

CONCURRENCY = 50
STATE_SHAPE = (10, 10, 10)  # lines of action × activities × tasks: 1,000 tasks
NATIONAL_SHAPE = (20, 10, 25)  # 5,000 tasks
STATES = (
    [ValidationState.VALIDATED] * 6
    + [ValidationState.DISPUTED, ValidationState.EXPIRED]
    + [ValidationState.OPEN] * 2
)


async def build(factory) -> dict[str, object]:
    """Every secretariat's plan, inserted in bulk; what the pages are asked about."""
    rng = random.Random(21)
    now = datetime.now(UTC)
    year = now.year
    states = [("Nacional", "sesna", NATIONAL_SHAPE)] + [
        (row["label"], f"sesea-{row['id']}", STATE_SHAPE) for row in catalogue("inegi_estados")
    ]
    adopters: list[tuple[int, int, int]] = []  # secretariat, plan, first line of action
    async with factory() as session, session.begin():
        for state, slug, (lines, activities, tasks) in states:
            secretariat = Secretariat(slug=slug, name=f"Secretaría Ejecutiva {state}", state=state)
            session.add(secretariat)
            await session.flush()
            plan = Plan(secretariat_id=secretariat.id, year=year, title=f"Programa {year}")
            session.add(plan)
            await session.flush()
            objective_ids = (
                await session.scalars(
                    insert(Objective).returning(Objective.id),
                    [
                        {"plan_id": plan.id, "code": str(o), "title": f"Línea {o}", "position": o}
                        for o in range(lines)
                    ],
                )
            ).all()
            activity_ids = (
                await session.scalars(
                    insert(Activity).returning(Activity.id),
                    [
                        {
                            "objective_id": o,
                            "code": f"{o}.{a}",
                            "title": f"Actividad {a}",
                            "position": a,
                        }
                        for o in objective_ids
                        for a in range(activities)
                    ],
                )
            ).all()
            start = date(year, 1, 6)
            rows = []
            for a in activity_ids:
                for t in range(tasks):
                    begins = start + timedelta(days=rng.randrange(300))
                    rows.append(
                        {
                            "activity_id": a,
                            "code": f"T{a}.{t}",
                            "title": f"Tarea {t}",
                            "position": t,
                            "estimated_hours": rng.randrange(4, 40),
                            "start_date": begins,
                            "due_date": begins + timedelta(days=rng.randrange(5, 60)),
                            "status": TaskStatus.IN_PROGRESS,
                            "percent": rng.randrange(0, 100, 5),
                        }
                    )
            task_ids = (await session.scalars(insert(Task).returning(Task.id), rows)).all()
            reported = rng.sample(list(task_ids), len(task_ids) // 3)
            reports = (
                await session.scalars(
                    insert(ProgressReport).returning(ProgressReport.id),
                    [
                        {
                            "task_id": t,
                            "status": TaskStatus.IN_PROGRESS,
                            "percent": rng.randrange(5, 100, 5),
                            "hours": 2,
                        }
                        for t in reported
                    ],
                )
            ).all()
            await session.execute(
                insert(ValidationRequest),
                [
                    {
                        "secretariat_id": secretariat.id,
                        "plan_id": plan.id,
                        "report_id": r,
                        "state": rng.choice(STATES),
                        "requested_by": "system",
                        "validators_wanted": 3,
                        "min_confirmations": 2,
                        "min_sectors": 2,
                        "disputes_at_most_confirmations": True,
                        "reply_days": 5,
                        "remind_days_before": 2,
                        "deadline": now + timedelta(days=10),
                        "closed_at": now,
                    }
                    for r in rng.sample(list(reports), len(reports) // 3)
                ],
            )
            adopters.append((secretariat.id, plan.id, objective_ids[0]))
            await chain.record(
                session, actor=Actor.system("bench"), action="plan.create", entity_type="plan",
                entity_id=plan.id, secretariat_id=secretariat.id, plan_id=plan.id,
            )  # fmt: skip
        practice = await practices(session, rng, adopters, now)
        validated = await session.scalar(
            select(ValidationRequest.report_id).where(
                ValidationRequest.state == ValidationState.VALIDATED
            )
        )
    return {"slug": "sesea-09", "national": "sesna", "report": validated, "practice": practice}


PRACTICE_WORDS = (
    ("Testigos sociales en contrataciones públicas", "procurement"),
    ("Contraloría social de obra pública", "citizen_participation"),
    ("Datos abiertos de presupuesto", "open_data"),
    ("Denuncia anónima en línea", "reporting"),
    ("Control interno de adquisiciones", "internal_control"),
)


async def practices(session, rng, adopters: list[tuple[int, int, int]], now: datetime) -> int:
    """200 published practices across the secretariats, each adopted by up to four others;
    the id of one adopted by four."""
    rows = []
    for number in range(200):
        title, theme = PRACTICE_WORDS[number % len(PRACTICE_WORDS)]
        texts = {
            "title": f"{title} {number}",
            "problem": f"Las contrataciones y la obra pública no se vigilaban ({number}).",
            "actions": "Se capacitó a la ciudadanía y se publicaron los expedientes.",
            "results": "Más expedientes revisados por la sociedad civil.",
        }
        rows.append(
            {
                **texts,
                "secretariat_id": adopters[number % len(adopters)][0],
                "state": PracticeState.PUBLISHED,
                "pna_priority": rng.randrange(1, 41),
                "theme": theme,
                "contact_role": "Coordinación de Vinculación",
                "search_text": search.search_document(texts.values()),
                "validated_at": now,
                "published_at": now - timedelta(minutes=number),
            }
        )
    ids = (await session.scalars(insert(Practice).returning(Practice.id), rows)).all()
    adoptions = []
    for practice_id, row in zip(ids, rows, strict=True):
        others = [item for item in adopters if item[0] != row["secretariat_id"]]
        for secretariat_id, plan_id, objective_id in rng.sample(others, rng.randrange(5)):
            adoptions.append(
                {
                    "practice_id": practice_id,
                    "secretariat_id": secretariat_id,
                    "plan_id": plan_id,
                    "objective_id": objective_id,
                }
            )
    # The page measured shows four adopters.
    adoptions = [item for item in adoptions if item["practice_id"] != ids[0]]
    for secretariat_id, plan_id, objective_id in adopters[1:5]:
        adoptions.append(
            {
                "practice_id": ids[0],
                "secretariat_id": secretariat_id,
                "plan_id": plan_id,
                "objective_id": objective_id,
            }
        )
    await session.execute(insert(PracticeAdoption), adoptions)
    return ids[0]


async def change(factory) -> None:
    """A task of Ciudad de México's plan moves, with its audit event: the head moves too."""
    async with factory() as session, session.begin():
        secretariat = await session.scalar(
            select(Secretariat).where(Secretariat.slug == "sesea-09")
        )
        plan_id = await session.scalar(select(Plan.id).where(Plan.secretariat_id == secretariat.id))
        task_id = await session.scalar(
            select(Task.id).join(Activity).join(Objective).where(Objective.plan_id == plan_id)
        )
        await session.execute(
            update(Task).where(Task.id == task_id).values(percent=random.randrange(0, 100, 5))
        )
        await chain.record(
            session, actor=Actor.system("bench"), action="task.update", entity_type="task",
            entity_id=task_id, secretariat_id=secretariat.id, plan_id=plan_id,
        )  # fmt: skip


async def burst(client: aiohttp.ClientSession, path: str) -> list[float]:
    """``CONCURRENCY`` requests for ``path`` at once; each one's latency in ms."""

    async def one() -> float:
        started = time.perf_counter()
        async with client.get(path) as answer:
            await answer.read()
            answer.raise_for_status()
        return (time.perf_counter() - started) * 1000

    return list(await asyncio.gather(*(one() for _ in range(CONCURRENCY))))


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
    }


class Served:
    """``incorruptible admin`` in a process of its own, as deployed: the client measuring it
    shares neither its process nor its interpreter lock."""

    def __init__(self, url: str, folder: str) -> None:
        self.port = free_port()
        self.environment = {
            **os.environ,
            "INCORRUPTIBLE_DATABASE_URL": url,
            "INCORRUPTIBLE_DATA_DIR": folder,
            "INCORRUPTIBLE_BOT_USERNAME": "bench_bot",
            "INCORRUPTIBLE_ADMIN_PORT": str(self.port),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        command = [sys.executable, "-m", "incorruptible", "admin"]
        self.process = subprocess.Popen(
            command, env=self.environment, stdout=subprocess.DEVNULL, cwd=ROOT
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/health", timeout=1)
                return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the admin API did not start")

    def __exit__(self, *_exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


async def measure(url: str, rounds: int) -> dict[str, dict[str, float]]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    factory = create_session_factory(engine)
    subject = await build(factory)
    pages = {
        "overview": "/",
        "secretariat": f"/secretarias/{subject['slug']}",
        "national_secretariat": f"/secretarias/{subject['national']}",
        "advance": f"/avances/{subject['report']}",
        "practices": "/buenas-practicas",
        "search": "/buenas-practicas?q=contratacion",
        "practice": f"/buenas-practicas/{subject['practice']}",
    }
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder, Served(url, folder) as base:
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(base, connector=connector) as client:
            for name, path in pages.items():
                async with client.get(path) as first:  # built once before measuring
                    first.raise_for_status()
                unchanged: list[float] = []
                changed: list[float] = []
                for _ in range(rounds):
                    unchanged += await burst(client, path)
                    await change(factory)
                    changed += await burst(client, path)
                figures[name] = {
                    **{f"unchanged_{k}": v for k, v in percentiles(unchanged).items()},
                    **{f"after_change_{k}": v for k, v in percentiles(changed).items()},
                }
    await engine.dispose()
    return figures


async def run_backend(backend: str, rounds: int):
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            return await measure(databases.sqlite_url(Path(folder) / "p.db"), rounds)
    if await databases.postgres_available():
        return None
    url = await databases.create_postgres_database()
    try:
        return await measure(url, rounds)
    finally:
        await databases.drop_postgres_database(url)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    found = {}
    for backend in ("sqlite", "postgresql"):
        figures = await run_backend(backend, args.rounds)
        if figures is None:
            print(f"{backend}: not reachable, skipped")
            continue
        found[backend] = figures
        for page, numbers in figures.items():
            print(
                f"{backend} {page}: unchanged p50 {numbers['unchanged_p50_ms']} ms, p99 "
                f"{numbers['unchanged_p99_ms']} ms; right after a change p50 "
                f"{numbers['after_change_p50_ms']} ms, p99 {numbers['after_change_p99_ms']} ms"
            )
    print(json.dumps({"concurrency": CONCURRENCY, "rounds": args.rounds, **found}))


if __name__ == "__main__":
    asyncio.run(main())
