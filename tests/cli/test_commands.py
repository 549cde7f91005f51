"""The command line, run as a person runs it: a separate process with environment variables."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from core.infra.db import create_engine
from core.models import AuditEvent
from incorruptible.cli import app
from tests.support.network import free_port


def incorruptible(*args: str, database_url: str | None = None, **env: str):
    environment = {**os.environ, **env}
    if database_url:
        environment["INCORRUPTIBLE_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "incorruptible", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command", [[], ["run"], ["admin"], ["migrate"], ["seed-demo"], ["audit"], ["audit", "verify"]]
)
def test_every_command_has_help(command):
    result = CliRunner().invoke(app, [*command, "--help"], prog_name="incorruptible")
    assert result.exit_code == 0, result.output
    assert "Usage: incorruptible" in result.output


def test_a_bad_setting_stops_with_the_variable_named():
    result = incorruptible("migrate", INCORRUPTIBLE_ADMIN_PORT="not-a-port")
    assert result.returncode == 2
    assert "INCORRUPTIBLE_ADMIN_PORT" in result.stderr


async def test_seed_demo_leaves_a_chain_that_verifies_until_tampered(empty_db_url):
    seeded = incorruptible("seed-demo", database_url=empty_db_url)
    assert seeded.returncode == 0, seeded.stderr
    assert "32 tasks" in seeded.stdout
    again = incorruptible("seed-demo", database_url=empty_db_url)
    assert "already present" in again.stdout

    verified = incorruptible("audit", "verify", database_url=empty_db_url)
    assert verified.returncode == 0, verified.stderr
    assert "audit chain intact" in verified.stdout

    engine = create_engine(empty_db_url)
    async with engine.begin() as connection:
        await connection.execute(
            update(AuditEvent).where(AuditEvent.seq == 10).values(actor="person:999")
        )
    await engine.dispose()
    tampered = incorruptible("audit", "verify", database_url=empty_db_url)
    assert tampered.returncode == 1
    assert "broken at event 10" in tampered.stdout


def test_run_stops_with_one_line_when_the_emulator_cannot_keep_its_state(tmp_path):
    (tmp_path / "emulator").write_text("a file where the emulator's folder should be")
    result = incorruptible(
        "run",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'incorruptible.db'}",
        INCORRUPTIBLE_DATA_DIR=str(tmp_path),
        INCORRUPTIBLE_BOT_TOKEN="",
        INCORRUPTIBLE_ADMIN_PORT=str(free_port()),
        INCORRUPTIBLE_EMULATOR_PORT=str(free_port()),
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if str(tmp_path / "emulator") in line]
    assert "cannot keep its state" in line
