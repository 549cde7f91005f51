"""``incorruptible emulator`` runs the emulator on its own until interrupted."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from tests.support.network import free_port


def command(*options: str) -> list[str]:
    return [sys.executable, "-m", "incorruptible", "emulator", *options]


def environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "INCORRUPTIBLE_DATA_DIR": str(data_dir)}


@contextlib.asynccontextmanager
async def running(data_dir: Path, *options: str) -> AsyncIterator[httpx.AsyncClient]:
    """The command serving on a free port, interrupted (Ctrl+C) at the end."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        *command("--port", str(port), *options),
        stdout=asyncio.subprocess.PIPE,
        env=environment(data_dir),
        # Ctrl+C reaches it as in a terminal, even if the tests were started with SIGINT
        # ignored (as a background job can be), which a child inherits.
        preexec_fn=functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL),
    )
    try:
        banner = await asyncio.wait_for(process.stdout.readline(), 30)
        assert f"127.0.0.1:{port}" in banner.decode()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            yield http
    finally:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def test_command_serves_the_bot_api_and_records_calls(tmp_path):
    record = tmp_path / "calls.jsonl"
    options = ("--token", "55:cli", "--record", str(record), "--no-limits", "--ephemeral")
    async with running(tmp_path, *options) as http:
        me = (await http.get("/bot55:cli/getMe")).json()
        assert me["result"]["id"] == 55
        page = await http.get("/")
        assert "chat.js" in page.text
        limits = (await http.get("/control/limits")).json()
        assert limits["enabled"] is False
    [line] = [json.loads(line) for line in record.read_text().splitlines()]
    assert (line["method"], line["ok"]) == ("getMe", True)
    assert not (tmp_path / "emulator").exists()  # --ephemeral keeps nothing


async def test_command_keeps_its_world_in_the_data_folder_across_restarts(tmp_path):
    async with running(tmp_path) as http:
        ana = (await http.post("/control/users", json={"first_name": "Ana"})).json()
    async with running(tmp_path) as http:
        assert (await http.get("/control/users")).json() == [ana]
        beto = (await http.post("/control/users", json={"first_name": "Beto"})).json()
        assert beto["id"] != ana["id"]
    assert (tmp_path / "emulator" / "world.json").exists()


def test_a_data_folder_that_cannot_be_written_stops_the_command_with_one_line(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.write_text("a file where the data folder should be")
    result = subprocess.run(
        command(), capture_output=True, text=True, env=environment(data_dir), timeout=60
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert str(data_dir / "emulator") in line
