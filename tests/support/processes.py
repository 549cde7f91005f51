"""Commands of the product run as a person runs them: a separate process, its own environment,
read line by line and stopped with a signal."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field


def environment(**settings: str) -> dict[str, str]:
    """This process's environment with no setting of the product but those given."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("INCORRUP")}
    return {**kept, **{f"INCORRUPTIBLE_{name.upper()}": value for name, value in settings.items()}}


@dataclass
class Command:
    """A running ``incorruptible`` command and everything it printed so far (on standard error,
    when kept apart, once it ended)."""

    process: asyncio.subprocess.Process
    output: list[str] = field(default_factory=list)
    errors: str = ""

    async def wait_for(self, pattern: str, within: float = 90) -> re.Match[str]:
        """The first line (printed since the start) matching ``pattern``."""
        expression = re.compile(pattern)
        for line in self.output:
            if found := expression.search(line):
                return found
        assert self.process.stdout is not None
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0:
            raw = await asyncio.wait_for(self.process.stdout.readline(), left)
            if not raw:
                break
            line = raw.decode(errors="replace")
            self.output.append(line)
            if found := expression.search(line):
                return found
        printed = "".join(self.output[-40:])
        raise AssertionError(f"nothing matched {pattern!r}; the command printed:\n{printed}")

    async def stop(self, number: int = signal.SIGINT, within: float = 30) -> tuple[int, float]:
        """Send the signal; the exit code and the seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(number)
        rest, errors = await asyncio.wait_for(self.process.communicate(), within)
        self.output.append(rest.decode(errors="replace"))
        self.errors = (errors or b"").decode(errors="replace")
        assert self.process.returncode is not None
        return self.process.returncode, time.monotonic() - started

    async def end(self) -> str:
        """Wait for the command to end by itself; everything it printed."""
        rest, errors = await asyncio.wait_for(self.process.communicate(), 120)
        self.output.append(rest.decode(errors="replace"))
        self.errors = (errors or b"").decode(errors="replace")
        return "".join(self.output)

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


async def start(
    *args: str, env: dict[str, str], cwd: str | None = None, errors_apart: bool = False
) -> Command:
    """``incorruptible ARGS`` in a new process, standard error merged into standard output
    unless kept apart (``Command.errors``)."""
    return await start_with(sys.executable, *args, env=env, cwd=cwd, errors_apart=errors_apart)


async def start_with(
    python: str | os.PathLike[str],
    *args: str,
    env: dict[str, str],
    cwd: str | None = None,
    errors_apart: bool = False,
) -> Command:
    """``incorruptible ARGS`` run by the given Python (another environment's, say)."""
    process = await asyncio.create_subprocess_exec(
        python,
        "-m",
        "incorruptible",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE if errors_apart else asyncio.subprocess.STDOUT,
    )
    return Command(process)
