"""How long the command line takes to start: ``incorruptible --help``, ``survey check FILE``
and ``audit verify`` (on a migrated SQLite file), against ``python -c pass`` in the same run.

Each command runs RUNS times as a new process, as a person runs it; the median is reported.
Target: under one second each. The last line is JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", 7))
INCORRUPTIBLE = str(Path(sys.executable).parent / "incorruptible")
SURVEY = str(ROOT / "conversations" / "definitions" / "workshop_feedback.yaml")


def median_seconds(command: list[str], environment: dict[str, str]) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, env=environment, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        environment = {**os.environ, "INCORRUPTIBLE_DATA_DIR": data}
        environment.pop("INCORRUPTIBLE_DATABASE_URL", None)
        subprocess.run([INCORRUPTIBLE, "migrate"], env=environment, check=True, capture_output=True)
        commands = {
            "python_pass": [sys.executable, "-c", "pass"],
            "help": [INCORRUPTIBLE, "--help"],
            "survey_check": [INCORRUPTIBLE, "survey", "check", SURVEY],
            "audit_verify": [INCORRUPTIBLE, "audit", "verify"],
        }
        figures: dict[str, float] = {}
        for name, command in commands.items():
            figures[f"{name}_s"] = round(median_seconds(command, environment), 3)
    baseline = figures["python_pass_s"]
    for name in ("help", "survey_check", "audit_verify"):
        seconds = figures[f"{name}_s"]
        figures[f"{name}_over_python"] = round(seconds / baseline, 1)
        print(f"{name:>14}: {seconds * 1000:6.0f} ms  ({seconds / baseline:.1f}x python -c pass)")
    print(f"{'python -c pass':>14}: {baseline * 1000:6.0f} ms   median of {RUNS} runs each")
    figures["under_one_second"] = all(
        figures[f"{name}_s"] < 1 for name in ("help", "survey_check", "audit_verify")
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
