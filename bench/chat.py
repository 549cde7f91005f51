"""Many people answering a 10-question survey with the bot, through the emulator over HTTP.

The emulator runs in its own process (flood limits off), the simulated people in another
(each sends an answer, then waits for the bot's next message), and the bot in this one:
real aiogram long polling, the database (SQLite, then PostgreSQL when reachable) and the
engine. Beside it, in the same run and the same way, aiogram with a handler that does nothing
but reply gives the framework's own ceiling; the ratio says how much of it the bot keeps.
Latency is per update: from sending an answer to receiving the next question. The last line
is JSON.

    .venv/bin/python bench/chat.py [--people 100] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, F
from aiogram.types import Message

from bot.dispatcher import create_session
from bot.runner import prepare
from conversations.definition import parse_definition
from core.chat import responses
from core.chat.definitions import DefinitionCatalog
from core.infra.db import create_engine, create_session_factory
from core.infra.heap import settle_heap
from core.infra.settings import load_settings
from core.models import Base, Person, PersonRole, Role
from core.people import secretariats
from emulator.limits import RateLimits
from emulator.server import Emulator
from incorruptible.context import run_service
from tests.support import databases

TOKEN = "1000:bench-chat"
QUESTIONS = 10


def survey() -> dict:
    def text(es: str) -> dict[str, str]:
        return {"es": es, "en": es}

    yes_no = [{"id": f"yn{n}", "type": "yes_no", "text": text(f"¿Pregunta {n}?")} for n in (1, 2)]
    numbers = [
        {"id": f"n{n}", "type": "integer", "text": text(f"Número {n}"), "min": 0, "max": 100}
        for n in (1, 2, 3)
    ]
    return {
        "id": "bench_survey",
        "version": 1,
        "title": text("Encuesta de prueba"),
        "questions": [
            *yes_no,
            *numbers,
            {
                "id": "pick",
                "type": "single_choice",
                "text": text("Elige"),
                "choices": [{"id": c, "label": text(c.upper())} for c in ("a", "b", "c")],
            },
            {"id": "score", "type": "rating", "text": text("Califica")},
            {"id": "t1", "type": "text", "text": text("Comentario")},
            {"id": "day", "type": "date", "text": text("Fecha")},
            {"id": "t2", "type": "text", "text": text("Otro comentario")},
        ],
    }


ANSWERS = ["sí", "no", "12", "40", "7", "2", "4", "Todo bien, gracias.", "15/03/2026", "Nada más."]


# The emulator's process ---------------------------------------------------------------------


def serve_emulator(ports: multiprocessing.Queue) -> None:
    async def main() -> None:
        async with Emulator(tokens=[TOKEN], rate_limits=RateLimits(enabled=False)) as emulator:
            ports.put(emulator.port)
            await asyncio.Event().wait()

    asyncio.run(main())


# The people's process -----------------------------------------------------------------------


def simulate_people(base_url: str, user_ids: list[int], results: multiprocessing.Queue) -> None:
    results.put(asyncio.run(answer_all(base_url, user_ids)))


async def answer_all(base_url: str, user_ids: list[int]) -> dict:
    connector = aiohttp.TCPConnector(limit=len(user_ids) * 2 + 10)
    timeout = aiohttp.ClientTimeout(total=120)
    latencies: list[float] = []
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout) as http:

        async def person(user_id: int) -> None:
            cursor = 0
            for answer in ANSWERS:
                sent = time.perf_counter()
                body = {"user_id": user_id, "text": answer}
                async with http.post("/control/messages", json=body) as response:
                    response.raise_for_status()
                while True:
                    params = {"after": cursor, "timeout": 30, "from_bot": "true"}
                    async with http.get(f"/control/chats/{user_id}/events", params=params) as got:
                        events = (await got.json())["events"]
                    if events:
                        cursor = events[-1]["seq"]
                    if any(event["kind"] == "message" for event in events):
                        break
                latencies.append(time.perf_counter() - sent)

        started = time.perf_counter()
        await asyncio.gather(*(person(user_id) for user_id in user_ids))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "answers": len(latencies),
        "seconds": round(elapsed, 2),
        "answers_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
    }


# This process: the bot ----------------------------------------------------------------------


async def create_users(base_url: str, count: int) -> list[int]:
    async with aiohttp.ClientSession(base_url) as http:
        ids = []
        for number in range(count):
            body = {"first_name": f"Persona {number}", "language_code": "es"}
            async with http.post("/control/users", json=body) as response:
                ids.append((await response.json())["id"])
        return ids


async def prepare_database(url: str, user_ids: list[int], catalog: DefinitionCatalog) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    session_factory = create_session_factory(engine)
    async with session_factory() as session, session.begin():
        secretariat = await secretariats.create_secretariat(
            session, "bench", slug="bench", name="Secretaría de prueba", state="Nacional"
        )
        for user_id in user_ids:
            person = Person(
                secretariat_id=secretariat.id,
                name=f"Persona {user_id}",
                telegram_id=user_id,
                language="es",
                consent_version="bench",
                role_links=[PersonRole(role=Role.STAFF)],
            )
            session.add(person)
            await session.flush()
            await responses.start(
                session,
                catalog,
                "bench_survey",
                "es",
                secretariat_id=secretariat.id,
                person=person,
            )
    await engine.dispose()


def ceiling_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def reply_only(message: Message) -> None:
        await message.answer("ok")

    return dispatcher


def emulator_bot(base_url: str) -> Bot:
    return Bot(TOKEN, session=create_session(base_url))


async def measure(base_url: str, user_ids: list[int], bot: Bot, dispatcher: Dispatcher) -> dict:
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=5)
    )
    results: multiprocessing.Queue = multiprocessing.Queue()
    people = multiprocessing.Process(target=simulate_people, args=(base_url, user_ids, results))
    settle_heap()  # as the bot's own start does (bot.runner.background)
    cpu_before = time.process_time()
    people.start()
    try:
        figures = await asyncio.to_thread(results.get)
    finally:
        people.join()
        await dispatcher.stop_polling()
        await polling
    # CPU time of this process (the bot) per answer: comparable across runs on a busy machine.
    cpu = time.process_time() - cpu_before
    figures["bot_cpu_ms_per_answer"] = round(cpu * 1000 / figures["answers"], 2)
    return figures


def with_emulator(run):
    """Run ``run(base_url)`` against a fresh emulator process."""
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve_emulator, args=(ports,), daemon=True)
    server.start()
    try:
        # The bot side runs on the event loop the product's commands use (uvloop), for both the
        # bot and the ceiling.
        return run_service(run(f"http://127.0.0.1:{ports.get(timeout=30)}"))
    finally:
        server.terminate()
        server.join()


def run_bot(backend: str, people: int, folder: str) -> dict:
    async def run(base_url: str) -> dict:
        catalog = DefinitionCatalog("bench", extra=[parse_definition(survey(), "bench")])
        if backend == "sqlite":
            url = databases.sqlite_url(Path(folder) / "chat.db")
        else:
            url = await databases.create_postgres_database()
        try:
            user_ids = await create_users(base_url, people)
            await prepare_database(url, user_ids, catalog)
            settings = load_settings(bot_token=TOKEN, telegram_api_url=base_url, database_url=url)
            engine = create_engine(url)
            try:
                bot, dispatcher = prepare(
                    settings, create_session_factory(engine), emulator_bot(base_url), catalog
                )
                return await measure(base_url, user_ids, bot, dispatcher)
            finally:
                await engine.dispose()
        finally:
            if backend == "postgresql":
                await databases.drop_postgres_database(url)

    return with_emulator(run)


def run_ceiling(people: int) -> dict:
    async def run(base_url: str) -> dict:
        user_ids = await create_users(base_url, people)
        return await measure(base_url, user_ids, emulator_bot(base_url), ceiling_dispatcher())

    return with_emulator(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    figures: dict = {"bench": "chat", "people": options.people, "questions": QUESTIONS}
    with tempfile.TemporaryDirectory() as folder:
        # pydantic builds many of aiogram's models on first use: that is not steady state.
        run_bot("sqlite", 5, folder)
        run_ceiling(5)
    ceiling = run_ceiling(options.people)
    figures["ceiling"] = ceiling
    print(
        f"aiogram replying only: {ceiling['answers_per_second']:.0f} updates/s, "
        f"p50 {ceiling['p50_ms']} ms, p99 {ceiling['p99_ms']} ms, "
        f"{ceiling['bot_cpu_ms_per_answer']} ms of bot CPU per answer"
    )
    with tempfile.TemporaryDirectory() as folder:
        for backend in options.backends.split(","):
            if backend == "postgresql":
                reason = asyncio.run(databases.postgres_available())
                if reason:
                    print(f"postgresql: skipped ({reason})")
                    continue
            result = run_bot(backend, options.people, folder)
            result["ratio"] = round(result["answers_per_second"] / ceiling["answers_per_second"], 2)
            figures[backend] = result
            print(
                f"{backend}: {result['answers_per_second']:.0f} answers/s, "
                f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
                f"{result['bot_cpu_ms_per_answer']} ms of bot CPU per answer, "
                f"{result['ratio']:.2f} of the ceiling"
            )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
