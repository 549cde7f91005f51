"""The product as someone installs it with pip alone, from a copy of the repository with
nothing beside it: a wheel built from the tracked files, installed into a new virtual
environment, started with ``incorruptible run`` far from the source tree."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import httpx

from emulator.client import EmulatorClient
from tests.support import processes
from tests.support.network import free_port

ROOT = Path(__file__).resolve().parents[2]


def run(*command: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def bare_copy(folder: Path) -> Path:
    """The committed tree alone, as ``git clone`` would give it, with no sibling folder."""
    archive = folder / "tree.tar"
    run("git", "archive", "--format=tar", "-o", archive, "HEAD", cwd=ROOT)
    copy = folder / "clone" / "incorruptible"
    copy.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(copy, filter="data")
    return copy


def installed(folder: Path) -> Path:
    """A new virtual environment holding the wheel; the python to run it with.

    Its dependencies come from this environment's site-packages, by a path file, so that the
    test needs no network; this project itself comes only from the wheel.
    """
    copy = bare_copy(folder)
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        folder / "wheels",
        copy,
    )
    (wheel,) = (folder / "wheels").glob("incorruptible-*.whl")
    environment = folder / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", environment)
    python = environment / "bin" / "python"
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", site, wheel)
    return python


async def test_a_wheel_installed_with_pip_alone_runs_and_answers(tmp_path):
    python = await asyncio.to_thread(installed, tmp_path)
    where = run(python, "-c", "import conversations; print(conversations.__file__)", cwd=tmp_path)
    assert str(tmp_path / "venv") in where, "the project was imported from outside the wheel"
    shipped = (
        "from conversations.catalogues import catalogue; print(len(catalogue('inegi_municipios')))"
    )
    assert run(python, "-c", shipped, cwd=tmp_path).strip() == "2475"
    admin, chat = free_port(), free_port()
    env = processes.environment(
        data_dir=str(tmp_path / "data"), admin_port=str(admin), emulator_port=str(chat)
    )
    command = await processes.start_with(python, "run", env=env, cwd=str(tmp_path))
    try:
        join = (await command.wait_for(r"send in the web chat: (/start \S+)"))[1]
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"http://127.0.0.1:{chat}/")).status_code == 200
            assert (await http.get(f"http://127.0.0.1:{admin}/docs")).status_code == 200
        async with EmulatorClient(f"http://127.0.0.1:{chat}") as people:
            sofia = await people.user("Sofía", language_code="en")
            await sofia.send(join)
            welcome = await sofia.next_message(timeout=60)
        code, _ = await command.stop()
    finally:
        command.kill()
    assert "invites you to take part" in welcome["text"], welcome
    assert code == 0
