"""Results and exports of a campaign of 100,000 anonymous responses.

Prints the time of its results with a sector breakdown (target: under a second), and the time
and memory of its XLSX and CSV exports (target: a peak under 150 MB), on SQLite and (when
reachable) PostgreSQL. The responses are inserted as answers alone, as if completed before
tallies were kept: their results are first read from every answer (the baseline), then the
responses are tallied as an upgrade does, and the results read again from the tallies.

Memory is the process's peak resident size (Python, SQLite's cache and the drivers together)
after each step: it only grows, so the exports run first, and each step's own peak is at most
the figure printed after it.

    .venv/bin/python bench/results.py [--responses 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.chat import exports, results, tallies
from core.chat.definitions import DefinitionCatalog
from core.chat.results import Breakdown
from core.infra.db import create_engine, create_session_factory
from core.models import Base, Campaign, ResponseSession, ResponseStatus, Sector, utcnow
from core.people import secretariats
from tests.support import databases

DEFINITION = "problem_prioritisation"
PROBLEMS = ["impunity", "abuse_of_power", "procurement", "services", "opacity", "civil_service",
            "participation"]  # fmt: skip
AFFECTED = ["poor", "women", "indigenous", "small_business", "youth", "other"]
BATCH = 5000


async def build(factory, responses: int) -> tuple[int, int]:
    """A campaign and its completed responses, inserted in bulk, shaped like answers in chat."""
    rng = random.Random(7)
    async with factory() as session, session.begin():
        sec = await secretariats.create_secretariat(
            session, "bench", slug="bench", name="Bench", state="Nacional"
        )
        campaign = Campaign(secretariat_id=sec.id, definition_id=DEFINITION, audience={})
        session.add(campaign)
        await session.flush()
        day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        for start in range(0, responses, BATCH):
            rows = []
            for _ in range(min(BATCH, responses - start)):
                affected = rng.sample(AFFECTED, rng.randrange(1, 4))
                missing = rng.random() < 0.2
                answers = {
                    "problems": rng.sample(PROBLEMS, 3),
                    "severity": rng.randrange(1, 6),
                    "affected": affected,
                    "missing_problem": "yes" if missing else "no",
                    "missing_description": "Falta de datos abiertos" if missing else None,
                    "evidence": f"Experiencia {rng.randrange(10**6)}",
                }
                others = {"affected": "Personas mayores"} if "other" in affected else {}
                rows.append(
                    {
                        "secretariat_id": sec.id,
                        "campaign_id": campaign.id,
                        "definition_id": DEFINITION,
                        "definition_version": 1,
                        "anonymous": True,
                        "status": ResponseStatus.COMPLETED,
                        "state": {"others": others},
                        "answers": answers,
                        "respondent": {"sector": rng.choice(list(Sector))},
                        "created_at": day,
                        "updated_at": day,
                        "completed_at": day,
                    }
                )
            await session.execute(insert(ResponseSession), rows)
        return sec.id, campaign.id


async def export_once(factory, catalog, sec_id, campaign_id, write) -> tuple[float, int]:
    with tempfile.TemporaryFile() as target:
        async with factory() as session:
            started = time.perf_counter()
            prepared = await exports.prepare(
                session, sec_id, catalog, campaign_id, language="es", min_group=5
            )
            await write(session, prepared, target)
            elapsed = time.perf_counter() - started
        return elapsed, target.tell()


def peak_rss() -> float:
    """The process's peak resident size so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def results_time(factory, catalog, sec_id: int, campaign_id: int) -> float:
    """The best of three readings of the campaign's results with a sector breakdown."""
    timings = []
    for _ in range(3):
        async with factory() as session:
            started = time.perf_counter()
            await results.campaign_results(
                session, sec_id, catalog, campaign_id, language="es",
                by=Breakdown.SECTOR, min_group=5,
            )  # fmt: skip
            timings.append(time.perf_counter() - started)
    return min(timings)


async def measure(url: str, responses: int) -> dict[str, float]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    factory = create_session_factory(engine)
    sec_id, campaign_id = await build(factory, responses)
    figures: dict[str, float] = {"built_peak_rss_mb": peak_rss()}
    catalog = DefinitionCatalog("2026-01")
    catalog.get(DEFINITION)  # read the definitions before the clock starts
    for name, write in (("xlsx", exports.write_xlsx), ("csv", exports.write_csv)):
        elapsed, size = await export_once(factory, catalog, sec_id, campaign_id, write)
        figures[f"{name}_s"] = round(elapsed, 2)
        figures[f"{name}_mb"] = round(size / 2**20, 1)
        figures[f"{name}_peak_rss_mb"] = peak_rss()
    untallied = await results_time(factory, catalog, sec_id, campaign_id)
    async with factory() as session, session.begin():
        started = time.perf_counter()
        await tallies.recount(session, catalog)
        figures["tally_existing_s"] = round(time.perf_counter() - started, 2)
    tallied = await results_time(factory, catalog, sec_id, campaign_id)
    figures["results_from_answers_s"] = round(untallied, 3)
    figures["results_by_sector_s"] = round(tallied, 3)
    figures["results_speedup"] = round(untallied / tallied, 1)
    figures["results_peak_rss_mb"] = peak_rss()
    await engine.dispose()
    return figures


async def run_backend(backend: str, responses: int) -> dict[str, float] | None:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            return await measure(databases.sqlite_url(Path(folder) / "r.db"), responses)
    if await databases.postgres_available():
        return None
    url = await databases.create_postgres_database()
    try:
        return await measure(url, responses)
    finally:
        await databases.drop_postgres_database(url)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    found = {}
    for backend in ("sqlite", "postgresql"):
        figures = await run_backend(backend, args.responses)
        if figures is None:
            print(f"{backend}: not reachable, skipped")
            continue
        found[backend] = figures
        print(
            f"{backend}: {args.responses} responses: results by sector "
            f"{figures['results_by_sector_s'] * 1000:.0f} ms from the tallies, "
            f"{figures['results_from_answers_s'] * 1000:.0f} ms from every answer "
            f"({figures['results_speedup']}x; tallying them took {figures['tally_existing_s']} s; "
            f"peak resident "
            f"{figures['results_peak_rss_mb']} MB); XLSX {figures['xlsx_s']} s "
            f"({figures['xlsx_mb']} MB file, peak resident {figures['xlsx_peak_rss_mb']} MB); "
            f"CSV {figures['csv_s']} s ({figures['csv_mb']} MB file, peak resident "
            f"{figures['csv_peak_rss_mb']} MB); after seeding {figures['built_peak_rss_mb']} MB"
        )
    print(json.dumps({"responses": args.responses, **found}))


if __name__ == "__main__":
    asyncio.run(main())
