"""How many sendMessage calls per second the emulator answers over loopback HTTP.

The emulator runs in its own process with flood limits off; this process is the client
(aiohttp, keep-alive connections, several requests in flight). The last line is JSON.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.limits import RateLimits
from emulator.server import Emulator

TOKEN = "1000:bench"
DURATION = float(os.environ.get("BENCH_SECONDS", 5))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 32))


def serve(ports: multiprocessing.Queue) -> None:
    async def main() -> None:
        async with Emulator(tokens=[TOKEN], rate_limits=RateLimits(enabled=False)) as emulator:
            ports.put(emulator.port)
            await asyncio.Event().wait()

    asyncio.run(main())


async def load(base_url: str) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:
        async with session.post("/control/users", json={"first_name": "Bench"}) as response:
            chat_id = (await response.json())["id"]
        url = f"/bot{TOKEN}/sendMessage"
        body = {"chat_id": chat_id, "text": "Avance registrado: tarea 12 al 50 %"}
        done = failed = 0
        latencies: list[float] = []
        deadline = time.perf_counter() + DURATION

        async def worker() -> None:
            nonlocal done, failed
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.post(url, json=body) as response:
                    answer = await response.json()
                latencies.append(time.perf_counter() - started)
                if answer["ok"]:
                    done += 1
                else:
                    failed += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "send_message_per_second": round(done / elapsed, 1),
        "requests": done,
        "failed": failed,
        "concurrency": CONCURRENCY,
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
    }


def main() -> None:
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        figures = asyncio.run(load(f"http://127.0.0.1:{port}"))
    finally:
        server.terminate()
        server.join()
    print(
        f"sendMessage: {figures['send_message_per_second']:.0f}/s over {DURATION:.0f} s "
        f"({figures['requests']} ok, {figures['failed']} refused), "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"
    )
    print(json.dumps({"bench": "emulator", **figures}))


if __name__ == "__main__":
    main()
