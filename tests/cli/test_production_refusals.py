"""In the production shape (a webhook URL set) every service refuses to start with unsafe
settings, one line per problem and exit code 2; a safe configuration starts."""

from __future__ import annotations

import pytest

from core.demo import seed_demo
from core.infra import migrate
from core.infra.db import create_engine, create_session_factory
from core.infra.settings import load_settings
from tests.cli.test_refusals import one_clear_line
from tests.support import databases, processes
from tests.support.network import free_port

SECRET = "s" * 32


@pytest.fixture(scope="module")
async def demo_database(tmp_path_factory):
    """A migrated SQLite database holding the demo secretariat."""
    folder = tmp_path_factory.mktemp("demo")
    url = databases.sqlite_url(folder / "demo.db")
    engine = create_engine(url)
    await migrate.upgrade(engine)
    await seed_demo(create_session_factory(engine), load_settings(_env_file=None, data_dir=folder))
    await engine.dispose()
    return url


@pytest.mark.parametrize("command", [["run"], ["admin"], ["bot", "--webhook"], ["worker"]])
async def test_unsafe_production_settings_stop_every_service(command, demo_database, tmp_path):
    env = processes.environment(
        data_dir=str(tmp_path),
        database_url=demo_database,
        bot_token="123456:not-a-real-token",
        bot_username="incorruptible_bot",
        webhook_url="http://incorruptible.example.org/telegram/webhook",
        webhook_secret=SECRET,
        public_base_url="http://incorruptible.example.org",
        admin_host="0.0.0.0",
        admin_port=str(free_port()),
        webhook_host="0.0.0.0",
        webhook_port=str(free_port()),
    )
    started = await processes.start(*command, env=env)
    output = await started.end()
    assert started.process.returncode == 2, output
    one_clear_line(output, "refusing to start in production")
    one_clear_line(output, "demo secretariat")
    one_clear_line(output, "INCORRUPTIBLE_WEBHOOK_URL", "https://")
    one_clear_line(output, "INCORRUPTIBLE_PUBLIC_BASE_URL", "https://")
    listening = {"run": 2, "admin": 1, "bot": 1, "worker": 0}[command[0]]
    assert output.count("INCORRUPTIBLE_BEHIND_PROXY=true") == listening, output


async def test_the_admin_in_production_needs_the_bot_token(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    env = processes.environment(
        data_dir=str(tmp_path),
        database_url=empty_db_url,
        webhook_url="https://incorruptible.example.org/telegram/webhook",
        webhook_secret=SECRET,
        admin_port=str(free_port()),
    )
    started = await processes.start("admin", env=env)
    output = await started.end()
    assert started.process.returncode == 2, output
    one_clear_line(output, "INCORRUPTIBLE_BOT_TOKEN", "INCORRUPTIBLE_WEBHOOK_URL")


async def test_a_safe_production_configuration_starts(empty_db_url, tmp_path):
    engine = create_engine(empty_db_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    env = processes.environment(
        data_dir=str(tmp_path),
        database_url=empty_db_url,
        bot_token="123456:not-a-real-token",
        bot_username="incorruptible_bot",
        webhook_url="https://incorruptible.example.org/telegram/webhook",
        webhook_secret=SECRET,
        public_base_url="https://incorruptible.example.org",
        behind_proxy="true",
        admin_host="0.0.0.0",
        admin_port=str(free_port()),
    )
    started = await processes.start("admin", env=env)
    try:
        await started.wait_for(r"admin API: http://0\.0\.0\.0:\d+/docs")
        code, _ = await started.stop()
    finally:
        started.kill()
    assert code == 0, "".join(started.output)
