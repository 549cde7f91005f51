"""The open data's largest files, written for a country of 33 secretariats with plans of 5,000
tasks each: time, size, and the most memory the writing held at once.

Memory is traced (tracemalloc) while each file is written; the same figures for plans a tenth
the size show whether it grows with the data (it should not: rows are streamed in batches, and
progress is computed one plan at a time).

    .venv/bin/python bench/open_data.py [--secretariats 33] [--tasks 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_scale import build

from core.chat.definitions import DefinitionCatalog
from core.infra.db import create_engine, create_session_factory
from core.models import Base
from core.public.open_data import BY_NAME
from core.public.open_data_rows import Source
from public.open_data import ENCODERS
from tests.support import databases

FILES = (("tareas", "csv"), ("tareas", "json"), ("avance", "csv"), ("dependencias", "csv"))


async def measure(url: str, secretariats: int, tasks: int) -> dict[str, float]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    factory = create_session_factory(engine)
    for number in range(secretariats):
        await build(factory, tasks, 1, slug=f"sesea-{number}")
    figures: dict[str, float] = {}
    catalog = DefinitionCatalog("2026-01")
    for name, extension in FILES:
        table = BY_NAME[name]
        size = 0
        tracemalloc.start()
        started = time.perf_counter()
        async with factory() as session:
            source = Source(session, None, catalog, 5)
            async for chunk in ENCODERS[extension](table, table.rows(source)):
                size += len(chunk.encode())
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        key = f"{name}_{extension}"
        figures[f"{key}_s"] = round(elapsed, 2)
        figures[f"{key}_mb"] = round(size / 1e6, 1)
        figures[f"{key}_peak_mb"] = round(peak / 1e6, 1)
    await engine.dispose()
    return figures


async def run_backend(backend: str, secretariats: int, tasks: int) -> dict | None:
    sizes = {"small": tasks // 10, "large": tasks}
    results = {}
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            for label, count in sizes.items():
                url = databases.sqlite_url(Path(folder) / f"{label}.db")
                results[label] = await measure(url, secretariats, count)
        return results
    if await databases.postgres_available():
        return None
    for label, count in sizes.items():
        url = await databases.create_postgres_database()
        try:
            results[label] = await measure(url, secretariats, count)
        finally:
            await databases.drop_postgres_database(url)
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secretariats", type=int, default=33)
    parser.add_argument("--tasks", type=int, default=5000)
    args = parser.parse_args()
    results = {}
    for backend in ("sqlite", "postgresql"):
        figures = await run_backend(backend, args.secretariats, args.tasks)
        if figures is None:
            print(f"{backend}: not reachable, skipped")
            continue
        results[backend] = figures
        large, small = figures["large"], figures["small"]
        for name, extension in FILES:
            key = f"{name}_{extension}"
            print(
                f"{backend}: {name}.{extension} of {args.secretariats} x {args.tasks} tasks: "
                f"{large[key + '_mb']} MB in {large[key + '_s']} s, at most "
                f"{large[key + '_peak_mb']} MB held ({small[key + '_peak_mb']} MB at a tenth)"
            )
    print(json.dumps({"secretariats": args.secretariats, "tasks": args.tasks, **results}))


if __name__ == "__main__":
    asyncio.run(main())
