"""``incorruptible emulator`` runs the emulator on its own until interrupted."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_command_serves_the_bot_api_and_records_calls(tmp_path):
    port = free_port()
    record = tmp_path / "calls.jsonl"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "incorruptible",
        "emulator",
        "--port",
        str(port),
        "--token",
        "55:cli",
        "--record",
        str(record),
        "--no-limits",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        banner = await asyncio.wait_for(process.stdout.readline(), 30)
        assert f"127.0.0.1:{port}" in banner.decode()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            me = (await http.get("/bot55:cli/getMe")).json()
            assert me["result"]["id"] == 55
            page = await http.get("/")
            assert "chat.js" in page.text
            limits = (await http.get("/control/limits")).json()
            assert limits["enabled"] is False
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 10)
    [line] = [json.loads(line) for line in record.read_text().splitlines()]
    assert (line["method"], line["ok"]) == ("getMe", True)
