"""What a newcomer gets wrong on a first start is answered in one line naming what to change,
never with a traceback."""

from __future__ import annotations

import socket

import pytest

from tests.support import processes
from tests.support.network import free_port


def one_clear_line(output: str, *expected: str) -> None:
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if all(word in line for word in expected)]
    assert lines, output


@pytest.fixture
def taken_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


async def test_the_admin_port_in_use_is_named_with_its_setting(taken_port, tmp_path):
    env = processes.environment(data_dir=str(tmp_path), admin_port=str(taken_port))
    command = await processes.start("run", env=env)
    output = await command.end()
    assert command.process.returncode == 2
    one_clear_line(output, f"Port {taken_port}", "in use", "INCORRUPTIBLE_ADMIN_PORT")


async def test_the_emulator_port_in_use_is_named_with_its_setting(taken_port, tmp_path):
    env = processes.environment(
        data_dir=str(tmp_path),
        admin_port=str(free_port()),
        emulator_port=str(taken_port),
    )
    command = await processes.start("run", env=env)
    output = await command.end()
    assert command.process.returncode == 2
    one_clear_line(output, f"Port {taken_port}", "INCORRUPTIBLE_EMULATOR_PORT")


async def test_a_data_folder_that_cannot_be_written_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = processes.environment(data_dir=str(blocker / "data"))
    for args in (["run"], ["migrate"], ["seed-demo"]):
        command = await processes.start(*args, env=env)
        output = await command.end()
        assert command.process.returncode == 2, output
        one_clear_line(output, "INCORRUPTIBLE_DATA_DIR", str(blocker / "data"))


@pytest.mark.parametrize("content", [None, b"{not json", b'{"version": "x"}', b"\xff\xfe"])
async def test_a_bot_api_specification_that_cannot_be_used_is_named(content, tmp_path):
    spec = tmp_path / "api.json"
    if content is not None:
        spec.write_bytes(content)
    env = processes.environment(
        data_dir=str(tmp_path / "data"),
        bot_api_spec=str(spec),
        admin_port=str(free_port()),
        emulator_port=str(free_port()),
    )
    command = await processes.start("emulator", env=env)
    output = await command.end()
    assert command.process.returncode == 2
    one_clear_line(output, "INCORRUPTIBLE_BOT_API_SPEC", str(spec))


async def test_a_database_without_its_schema_is_named_not_traced(tmp_path):
    env = processes.environment(data_dir=str(tmp_path))
    for args in (["audit", "verify"], ["invite", "--role", "staff"], ["campaign", "list"]):
        command = await processes.start(*args, env=env)
        output = await command.end()
        assert command.process.returncode == 2, output
        one_clear_line(output, "incorruptible migrate")
