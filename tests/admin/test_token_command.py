"""``incorruptible token create`` prints a working token for the first admin."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select

from core.infra.db import create_engine, create_session_factory
from core.models import ApiToken, TokenRole
from core.people import tokens


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "incorruptible", "token", "create", *args],
        capture_output=True,
        text=True,
        env={"INCORRUPTIBLE_DATABASE_URL": database_url, "PATH": ""},
        check=False,
    )


async def test_token_create_prints_a_national_admin_token(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("--role", "national_admin", "--days", "7", database_url=url)
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            token = await tokens.authenticate(session, secret)
            assert token.role == TokenRole.NATIONAL_ADMIN and token.secretariat_id is None
            assert await session.scalar(select(ApiToken.token_hash)) != secret
    finally:
        await engine.dispose()


def test_token_create_refuses_a_role_without_its_secretariat(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("--role", "coordinator", database_url=url)
    assert result.returncode == 2
    assert "secretar" in result.stderr.lower()
