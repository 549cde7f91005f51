"""The services' logging: the chosen level without a line for every update handled, plain text
as it always was, and one JSON object per line with the context of what is being handled."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from structlog.contextvars import bound_contextvars

from core.infra.settings import load_settings
from core.models import Person
from incorruptible import logs
from incorruptible.context import configure_logging
from tests.support import factories, processes
from tests.support.network import free_port

FIELDS = {"timestamp", "level", "logger", "message"}


@pytest.fixture
def update_lines():
    """aiogram's logger of updates handled, under a root logger that lets everything through
    (the test runner has configured logging already, so the level chosen does not reach it)."""
    root, logger = logging.getLogger(), logging.getLogger("aiogram.event")
    levels = root.level, logger.level
    root.setLevel(logging.DEBUG)
    logger.setLevel(logging.NOTSET)
    yield logger
    root.setLevel(levels[0])
    logger.setLevel(levels[1])


def test_updates_handled_are_not_logged_one_by_one_at_info(update_lines) -> None:
    configure_logging(load_settings(log_level="INFO"))
    assert not update_lines.isEnabledFor(logging.INFO)
    assert update_lines.isEnabledFor(logging.WARNING)


def test_updates_handled_are_logged_at_debug(update_lines) -> None:
    configure_logging(load_settings(log_level="DEBUG"))
    assert update_lines.isEnabledFor(logging.DEBUG)


def test_aiosqlite_never_writes_its_lines_quoting_every_statement_with_its_values() -> None:
    statements = logging.getLogger("aiosqlite")
    level = statements.level
    configure_logging(load_settings(log_level="DEBUG"))
    assert not statements.isEnabledFor(logging.DEBUG)
    statements.setLevel(level)


def written(log_format: logs.LogFormat) -> tuple[logging.Logger, io.StringIO]:
    """A logger of its own writing through the product's handler into a string."""
    stream = io.StringIO()
    logger = logging.getLogger(f"tests.logging.{log_format}")
    logger.handlers = [logs.handler(log_format, stream)]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_text_lines_look_as_they_always_did_with_the_context_after_the_message() -> None:
    logger, stream = written("text")
    logger.info("plain %s", "line")
    with bound_contextvars(update_id=7, person_id=3):
        try:
            raise ValueError("broken")
        except ValueError:
            logger.exception("it failed")
    plain, failed, *traceback = stream.getvalue().splitlines()
    moment = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    assert re.fullmatch(rf"{moment} INFO plain line", plain)
    assert re.fullmatch(
        rf"{moment} ERROR it failed (update_id=7 person_id=3|person_id=3 update_id=7)", failed
    )
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "ValueError: broken"


def test_json_lines_carry_the_fields_the_context_and_the_traceback() -> None:
    logger, stream = written("json")
    with bound_contextvars(request_id="abc"):
        try:
            raise ValueError("broken")
        except ValueError:
            logger.exception("it %s", "failed")
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["message"] == "it failed"
    assert record["level"] == "error"
    assert record["logger"] == "tests.logging.json"
    assert record["request_id"] == "abc"
    assert record["exception"].endswith("ValueError: broken")
    assert datetime.fromisoformat(record["timestamp"]).utcoffset() == timedelta(0)


async def test_run_writes_every_line_of_its_standard_error_as_json(tmp_path) -> None:
    """The whole product in one process, every part's lines as JSON: the migrations (alembic),
    the emulator, the admin API (uvicorn, with the request's id), the bot (aiogram)."""
    admin = free_port()
    env = processes.environment(
        log_format="json",
        data_dir=str(tmp_path),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'incorruptible.db'}",
        admin_port=str(admin),
        emulator_port=str(free_port()),
    )
    command = await processes.start("run", env=env, errors_apart=True)
    try:
        await command.wait_for(r"Stop with Ctrl\+C")
        async with httpx.AsyncClient(timeout=10) as client:
            health = f"http://127.0.0.1:{admin}/health"
            for _ in range(100):
                try:
                    await client.get(health, headers={"X-Request-ID": "probe-1"})
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        code, _seconds = await command.stop()
    finally:
        command.kill()
    assert code == 0, command.errors
    lines = [json.loads(line) for line in command.errors.splitlines()]
    assert lines and all(isinstance(line, dict) and line.keys() >= FIELDS for line in lines)
    assert all(
        datetime.fromisoformat(line["timestamp"]).utcoffset() == timedelta(0) for line in lines
    )
    loggers = {line["logger"] for line in lines}
    assert {"alembic.runtime.migration", "uvicorn.error", "aiogram.dispatcher"} <= loggers
    [access] = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert "GET /health" in access["message"]
    assert access["request_id"] == "probe-1"


async def test_a_database_error_is_logged_without_the_values_it_clashed_on(session) -> None:
    """Neither the statement's values (SQLAlchemy's) nor PostgreSQL's DETAIL line quoting them."""
    logger, stream = written("json")
    async with session.begin():
        secretariat = await factories.secretariat(session)
    for name in ("Ana Pérez", "Beto Ruiz"):
        try:
            async with session.begin():
                session.add(
                    Person(secretariat_id=secretariat.id, name=name, telegram_id=4242424242)
                )
        except IntegrityError:
            logger.exception("the person could not be added")
    [line] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert "IntegrityError" in line["exception"]
    assert "4242424242" not in json.dumps(line)
    assert "Beto" not in json.dumps(line, ensure_ascii=False)
