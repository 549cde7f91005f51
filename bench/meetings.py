"""Sessions at the scale of a year: scheduling one, reminding of many, and who is falling behind.

With 33 secretariats and 3,000 people registered in the bot, on SQLite and (when reachable)
PostgreSQL, prints:

- scheduling a national session for all 3,000 (an invitee row and an invitation with its
  calendar file each): time and SQL statements, beside a secretariat's session for its own 300;
  target: statements that do not grow with the invitees (no query per invitee);
- a pass of the meeting reminders when that secretariat's 60 sessions of 300 invitees all start
  within the next day (18,000 reminders, the most a pass can meet): time and statements; then a
  second pass, which finds nothing new to write: time;
- the secretariat's attendance standings, `GET /secretariats/{id}/attendance?behind=true` over
  HTTP, its 300 people across the 60 sessions of the past year: p50/p99 and statements per
  request (target: bounded, not one per person).

    .venv/bin/python bench/meetings.py [--people 3000] [--secretariats 33] [--own 300]
        [--sessions 60] [--requests 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Engine, event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from admin.app import create_app
from core.audit.actor import Actor
from core.chat.definitions import DefinitionCatalog
from core.infra.db import SessionFactory, create_engine, create_session_factory
from core.infra.settings import Settings
from core.meetings import meetings
from core.meetings.reminders import schedule_meeting_reminders
from core.models import (
    Base,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    Person,
    PersonRole,
    Role,
    TokenRole,
    utcnow,
)
from core.notify.quiet_hours import QuietHours
from core.people import secretariats, tokens
from core.people.audience import Audience
from tests.support import databases

ACTOR = Actor.system()
ZONE = "America/Mexico_City"


class Statements:
    """Every statement sent by any engine of the process: the API reads SQLite through
    read-only connections of its own."""

    def __init__(self) -> None:
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self.add)

    def add(self, *_args: object) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self.add)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def register(factory: SessionFactory, count: int) -> tuple[int, list[int]]:
    """``count`` secretariats; (the first one, the others)."""
    async with factory() as session, session.begin():
        ids = [
            (
                await secretariats.create_secretariat(
                    session, ACTOR, slug=f"sesea-{n}", name=f"SESEA {n}", state=f"Estado {n}"
                )
            ).id
            for n in range(count)
        ]
    return ids[0], ids[1:]


async def add_people(
    factory: SessionFactory, secretariat_ids: list[int], numbers: range
) -> list[int]:
    """People registered in the bot, one for each of ``numbers``, shared among the
    secretariats, inserted in bulk."""
    rows = [
        {
            "secretariat_id": secretariat_ids[n % len(secretariat_ids)],
            "name": f"Persona {n}",
            "telegram_id": 10_000_000 + n,
            "language": "es" if n % 5 else "en",
            "time_zone": ZONE if n % 4 else "America/Tijuana",
        }
        for n in numbers
    ]
    async with factory() as session, session.begin():
        ids = list((await session.scalars(insert(Person).returning(Person.id), rows)).all())
        await session.execute(
            insert(PersonRole), [{"person_id": id_, "role": Role.STAFF} for id_ in ids]
        )
    return ids


async def add_past_sessions(
    factory: SessionFactory, secretariat_id: int, people: list[int], sessions: int, now: datetime
) -> None:
    """Sessions held over the past year, every person invited to each, each attending at a rate
    of their own (about a third of them falling behind), inserted in bulk."""
    rng = random.Random(7)
    rates = {person: rng.uniform(0.4, 1.0) for person in people}
    first = now - timedelta(days=365)
    every = timedelta(days=360 / sessions)
    async with factory() as session, session.begin():
        rows = [
            {
                "secretariat_id": secretariat_id,
                "kind": MeetingKind.WORKSHOP,
                "title": f"Sesión {n + 1}",
                "starts_at": first + n * every,
                "time_zone": ZONE,
                "duration_minutes": 120,
                "place": "Sala de juntas",
                "audience": Audience().as_json(),
            }
            for n in range(sessions)
        ]
        held = (
            await session.execute(insert(Meeting).returning(Meeting.id, Meeting.starts_at), rows)
        ).all()
        invitees = [
            {
                "meeting_id": meeting_id,
                "person_id": person,
                "invited_at": starts_at - timedelta(days=14),
                "attended_at": starts_at if rng.random() < rates[person] else None,
            }
            for meeting_id, starts_at in held
            for person in people
        ]
        await session.execute(insert(MeetingInvitee), invitees)


async def schedule(
    factory: SessionFactory,
    statements: Statements,
    secretariat_id: int,
    audience: Audience,
    starts_at: datetime,
    now: datetime,
    quiet: QuietHours,
) -> tuple[float, int, int]:
    """One session scheduled as the API schedules it; (seconds, statements, invitees)."""
    details = meetings.Details(
        kind=MeetingKind.WORKSHOP,
        title="Sesión del Sistema Nacional",
        starts_at=starts_at,
        time_zone=ZONE,
        duration_minutes=180,
        place="Auditorio",
        video_url="https://meet.example.org/sesion",
        agenda="1. Avance de los programas de trabajo\n2. Acuerdos",
        audience=audience,
    )
    statements.count = 0
    started = time.perf_counter()
    async with factory() as session, session.begin():
        view = await meetings.create_meeting(
            session, secretariat_id, ACTOR, details, catalog=DefinitionCatalog("bench"),
            national=audience.national, now=now, quiet=quiet,
        )  # fmt: skip
    return time.perf_counter() - started, statements.count, len(view.invitees)


async def standings_over_http(
    factory: SessionFactory, url: str, secretariat_id: int, requests: int, statements: Statements
) -> dict[str, float]:
    """p50/p99 and statements per request of the standings of who is behind."""
    async with factory() as session, session.begin():
        token = await tokens.issue_token(session, "bench", role=TokenRole.NATIONAL_ADMIN)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(data_dir=Path(folder), database_url=url), factory)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        serving = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        endpoint = f"http://127.0.0.1:{port}/secretariats/{secretariat_id}/attendance?behind=true"
        headers = {"Authorization": f"Bearer {token.secret}"}
        async with httpx.AsyncClient(headers=headers, timeout=60) as client:
            behind = len((await client.get(endpoint)).raise_for_status().json())  # warm up
            samples, counts = [], []
            for _ in range(requests):
                statements.count = 0
                started = time.perf_counter()
                response = await client.get(endpoint)
                samples.append((time.perf_counter() - started) * 1000)
                counts.append(statements.count)
                response.raise_for_status()
        server.should_exit = True
        await serving
    return {
        "standings_behind": behind,
        "standings_p50_ms": round(statistics.median(samples), 1),
        "standings_p99_ms": round(percentile(samples, 0.99), 1),
        "standings_statements": max(counts),
    }


async def measure(url: str, args: argparse.Namespace) -> dict[str, float]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    factory = create_session_factory(engine)
    quiet = QuietHours(Settings().quiet_hours_start, Settings().quiet_hours_end)
    now = utcnow().replace(microsecond=0)
    state, others = await register(factory, args.secretariats)
    own_people = await add_people(factory, [state], range(args.own))
    await add_people(factory, others, range(args.own, args.people))
    await add_past_sessions(factory, state, own_people, args.sessions, now)
    statements = Statements()
    try:
        figures: dict[str, float] = {}
        # A session of the secretariat for its own people, then a national one for everybody.
        for name, audience in (
            ("own", Audience()),
            ("national", Audience(all_secretariats=True)),
        ):
            seconds, count, invitees = await schedule(
                factory, statements, state, audience, now + timedelta(days=30), now, quiet
            )
            figures[f"schedule_{name}_invitees"] = invitees
            figures[f"schedule_{name}_s"] = round(seconds, 3)
            figures[f"schedule_{name}_statements"] = count
        # The secretariat's next sessions, scheduled a week ago, all start within the day.
        week_ago = now - timedelta(days=7)
        for n in range(args.sessions):
            starts_at = now + timedelta(hours=2) + n * timedelta(hours=20) / args.sessions
            await schedule(factory, statements, state, Audience(), starts_at, week_ago, quiet)
        for name, moment in (("reminders", now), ("reminders_again", now + timedelta(minutes=5))):
            statements.count = 0
            started = time.perf_counter()
            async with factory() as session, session.begin():
                await schedule_meeting_reminders(session, moment, quiet)
            figures[f"{name}_s"] = round(time.perf_counter() - started, 3)
            figures[f"{name}_statements"] = statements.count
        figures.update(await standings_over_http(factory, url, state, args.requests, statements))
    finally:
        statements.close()
        await engine.dispose()
    return figures


async def run_backend(backend: str, args: argparse.Namespace) -> dict[str, float] | None:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            return await measure(databases.sqlite_url(Path(folder) / "m.db"), args)
    if await databases.postgres_available():
        return None
    url = await databases.create_postgres_database()
    try:
        return await measure(url, args)
    finally:
        await databases.drop_postgres_database(url)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000, help="Registered, all secretariats.")
    parser.add_argument("--secretariats", type=int, default=33)
    parser.add_argument("--own", type=int, default=300, help="People of the one secretariat.")
    parser.add_argument("--sessions", type=int, default=60, help="Its sessions in a year.")
    parser.add_argument("--requests", type=int, default=100, help="Requests of the standings.")
    args = parser.parse_args()
    found = {}
    for backend in ("sqlite", "postgresql"):
        figures = await run_backend(backend, args)
        if figures is None:
            print(f"{backend}: not reachable, skipped")
            continue
        found[backend] = figures
        print(
            f"{backend}: scheduling a session for {figures['schedule_national_invitees']} "
            f"invitees {figures['schedule_national_s'] * 1000:.0f} ms in "
            f"{figures['schedule_national_statements']} statements (for "
            f"{figures['schedule_own_invitees']}: {figures['schedule_own_s'] * 1000:.0f} ms in "
            f"{figures['schedule_own_statements']}); reminders of {args.sessions} sessions of "
            f"{args.own} {figures['reminders_s'] * 1000:.0f} ms in "
            f"{figures['reminders_statements']} statements, a pass with nothing new "
            f"{figures['reminders_again_s'] * 1000:.0f} ms in "
            f"{figures['reminders_again_statements']}; standings of {args.own} people across "
            f"{args.sessions} sessions ({figures['standings_behind']} behind) p50 "
            f"{figures['standings_p50_ms']} ms, p99 {figures['standings_p99_ms']} ms, "
            f"{figures['standings_statements']} statements"
        )
    print(json.dumps({"people": args.people, "sessions": args.sessions, **found}))


if __name__ == "__main__":
    asyncio.run(main())
