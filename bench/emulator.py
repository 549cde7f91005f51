"""How many sendMessage calls (and people's messages) per second the emulator answers.

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
from collections.abc import Callable
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.limits import RateLimits
from emulator.server import Emulator

TOKEN = "1000:bench"
DURATION = float(os.environ.get("BENCH_SECONDS", 5))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 32))


def cpu_seconds(pid: int) -> float | None:
    """CPU time a process used so far (Linux), to tell the emulator's cost from the client's."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(ports: multiprocessing.Queue) -> None:
    async def run() -> None:
        async with Emulator(tokens=[TOKEN], rate_limits=RateLimits(enabled=False)) as emulator:
            ports.put(emulator.port)
            await asyncio.Event().wait()

    asyncio.run(run())


async def hammer(
    session: aiohttp.ClientSession, url: str, body: dict, ok: Callable[[dict], bool]
) -> dict[str, float]:
    """Send the same call from CONCURRENCY workers for DURATION seconds."""
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
            if ok(answer):
                done += 1
            else:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "per_second": round(done / elapsed, 1),
        "requests": done,
        "failed": failed,
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
    }


async def load(base_url: str) -> dict[str, dict[str, float]]:
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:
        async with session.post("/control/users", json={"first_name": "Bench"}) as response:
            chat_id = (await response.json())["id"]
        bot_sends = await hammer(
            session,
            f"/bot{TOKEN}/sendMessage",
            {"chat_id": chat_id, "text": "Avance registrado: tarea 12 al 50 %"},
            lambda answer: answer.get("ok") is True,
        )
        person_sends = await hammer(
            session,
            "/control/messages",
            {"user_id": chat_id, "text": "Reporto avance de la tarea 12"},
            lambda answer: "message_id" in answer,
        )
    return {"send_message": bot_sends, "person_message": person_sends}


def main() -> None:
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        cpu_before = cpu_seconds(server.pid)
        figures = asyncio.run(load(f"http://127.0.0.1:{port}"))
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.join()
    for name, label in (("send_message", "bot sendMessage"), ("person_message", "person writes")):
        f = figures[name]
        print(
            f"{label}: {f['per_second']:.0f}/s over {DURATION:.0f} s "
            f"({f['requests']} ok, {f['failed']} refused), "
            f"p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms"
        )
    served = figures["send_message"]["requests"] + figures["person_message"]["requests"]
    cpu_per_request = None
    if cpu_before is not None and cpu_after is not None:
        cpu_per_request = round((cpu_after - cpu_before) / served * 1e6, 1)
        print(
            f"emulator CPU per request: {cpu_per_request} µs "
            f"(≈{1e6 / cpu_per_request:.0f} requests/s per core; the client shares this machine)"
        )
    summary = {
        "bench": "emulator",
        "concurrency": CONCURRENCY,
        "send_message_per_second": figures["send_message"]["per_second"],
        "send_message_p99_ms": figures["send_message"]["p99_ms"],
        "send_message_failed": figures["send_message"]["failed"],
        "person_message_per_second": figures["person_message"]["per_second"],
        "person_message_p99_ms": figures["person_message"]["p99_ms"],
        "emulator_cpu_us_per_request": cpu_per_request,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
