"""2,000 reminders to 2,000 people through the emulator, which enforces Telegram's limits.

Prints the achieved rate as a fraction of the global limit (target ≥ 0.95), the 429s received,
duplicates and losses (targets 0 and 0); then the same with 5% of calls failing with 5xx.

    .venv/bin/python bench/fanout.py [--people 2000] [--rate 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prometheus_client import REGISTRY

from bot.outbox import OutboxWorker
from core.infra.db import create_engine, create_session_factory
from core.infra.settings import Settings
from core.models import Base, NotificationState, Role
from core.notify import outbox
from core.people import secretariats
from core.people.people import create_person
from emulator.limits import RateLimits
from tests.support import databases
from tests.support.clock import SkippableClock
from tests.support.telegram import emulated


def sends(result: str) -> float:
    """The sends of this result so far: the metric counts those of the whole process."""
    return REGISTRY.get_sample_value("incorruptible_outbox_sends_total", {"result": result}) or 0


async def run(people: int, rate: float, fault_share: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(databases.sqlite_url(Path(folder) / "fanout.db"))
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        factory = create_session_factory(engine)
        limits = RateLimits(global_per_second=rate, global_burst=rate)
        async with emulated(limits) as telegram:
            users = [await telegram.people.user(f"P{n}") for n in range(people)]
            async with factory() as session, session.begin():
                sec = await secretariats.create_secretariat(
                    session, "bench", slug="bench", name="Bench", state="Nacional"
                )
                for user in users:
                    person = await create_person(
                        session, sec.id, "bench", roles={Role.STAFF}, telegram_id=user.id
                    )
                    await outbox.enqueue(
                        session, person=person, kind="reminder", key=f"r:{user.id}",
                        text=f"Recordatorio para {user.id}",
                    )  # fmt: skip
            if fault_share:
                await telegram.people.set_faults(
                    failures=int(people * fault_share), status=502, methods=["sendMessage"]
                )
            settings = Settings(send_rate_global=rate, send_rate_per_chat=1)
            clock = SkippableClock()
            worker = OutboxWorker(telegram.bot, factory, settings, clock=clock, batch_size=200)
            rate_limited, retried = sends("rate_limited"), sends("retried")
            started = time.perf_counter()
            while True:
                await worker.run_once()
                async with factory() as session:
                    states = await outbox.counts(session)
                if states[NotificationState.PENDING] + states[NotificationState.SENDING] == 0:
                    break
                # Retries wait out their backoff on the worker's clock, not on the bench's time.
                clock.skip(timedelta(minutes=10))
            elapsed = time.perf_counter() - started
            received = [
                sum(1 for m in await user.messages() if m["from"]["is_bot"]) for user in users
            ]
        await engine.dispose()
    return {
        "people": people,
        "seconds": round(elapsed, 2),
        "rate_per_s": round(people / elapsed, 2),
        "fraction_of_limit": round(people / elapsed / rate, 3),
        "http_429": sends("rate_limited") - rate_limited,
        "http_5xx_retried": sends("retried") - retried,
        "duplicates": sum(max(count - 1, 0) for count in received),
        "losses": sum(1 for count in received if count == 0),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=30.0)
    args = parser.parse_args()
    results = {}
    for name, share in (("clean", 0.0), ("faults_5pct", 0.05)):
        figures = await run(args.people, args.rate, share)
        results[name] = figures
        print(
            f"{name}: {figures['people']} reminders in {figures['seconds']} s = "
            f"{figures['rate_per_s']}/s, {figures['fraction_of_limit']} of the limit; "
            f"429s {figures['http_429']}, 5xx retried {figures['http_5xx_retried']}, "
            f"duplicates {figures['duplicates']}, losses {figures['losses']}"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())
