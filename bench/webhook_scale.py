"""Updates handled per second by one, two and three bot webhook processes on one PostgreSQL.

Each run starts the processes as the deployment does (``incorruptible bot --webhook
--no-worker``, sharing one port), on a new database, and feeds them through the emulator's
webhook delivery: people answer a survey of whole numbers, each answer after the bot's next
question. On a machine of two cores more processes cannot add CPU: the figure is what
coordinating them costs, the rate of three processes against one's (target at least 0.9), with
no update handled twice and no answer lost. Latency is per answer, from sending it to receiving
the next question. The last line is JSON.

    .venv/bin/python bench/webhook_scale.py [--people 120] [--processes 1,2,3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import databases, scale_out


async def run(processes: int, people: int) -> dict:
    url = await databases.create_postgres_database()
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with scale_out.deployment(url, Path(folder)) as shape:
                users = await scale_out.prepare(shape, people, notices=0)
                await asyncio.gather(*(shape.start_bot() for _ in range(processes)))
                progress = scale_out.Progress()
                started = time.perf_counter()
                await asyncio.gather(
                    *(scale_out.answer_survey(user, n, progress) for n, user in enumerate(users))
                )
                elapsed = time.perf_counter() - started
                outcome = await scale_out.settled(shape, users)
    finally:
        await databases.drop_postgres_database(url)
    seconds = sorted(progress.seconds)
    return {
        "processes": processes,
        "updates_per_second": round(len(seconds) / elapsed, 1),
        "p50_ms": round(seconds[len(seconds) // 2] * 1000, 1),
        "p99_ms": round(seconds[int(len(seconds) * 0.99)] * 1000, 1),
        "duplicates": outcome.questions_twice + (outcome.updates_handled - outcome.updates),
        "losses": people - outcome.answers_kept,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--processes", default="1,2,3")
    options = parser.parse_args()
    reason = asyncio.run(databases.postgres_available())
    if reason:
        sys.exit(f"PostgreSQL is needed: {reason}")
    figures: dict = {"bench": "webhook_scale", "people": options.people}
    for count in (int(part) for part in options.processes.split(",")):
        result = asyncio.run(run(count, options.people))
        figures[f"processes_{count}"] = result
        print(
            f"{count} webhook process(es): {result['updates_per_second']:.0f} updates/s, "
            f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
            f"{result['duplicates']} duplicates, {result['losses']} losses"
        )
    one, last = figures.get("processes_1"), figures[f"processes_{count}"]
    if one is not None and last is not one:
        ratio = round(last["updates_per_second"] / one["updates_per_second"], 2)
        figures["ratio"] = ratio
        print(f"{count} processes handle {ratio:.2f} of one process's rate (target >= 0.9)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
