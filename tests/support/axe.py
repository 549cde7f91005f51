"""axe-core, from the npm registry, run in a page by Playwright: the accessibility check of the
public pages. ``python -m tests.support.axe`` (run by the test command) fetches it once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PREFIX = ROOT / ".venv" / "axe-core"
SCRIPT = PREFIX / "node_modules" / "axe-core" / "axe.min.js"
VERSION = "4.11"  # the 4.x line: its rules and impacts are stable within it
SEVERE = frozenset({"serious", "critical"})


def ensure() -> Path:
    """The path of axe.min.js, installed with npm when missing."""
    if not SCRIPT.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-save",
                "--prefix",
                str(PREFIX),
                f"axe-core@~{VERSION}",
            ],
            check=True,
        )
    return SCRIPT


async def severe_violations(page: Any) -> list[str]:
    """Each serious or critical violation on the page, as ``rule: target``. The page's context
    must bypass the page's Content-Security-Policy (``bypass_csp=True``) for axe to run."""
    await page.add_script_tag(path=str(ensure()))
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']}: {node['target']}"
        for violation in result["violations"]
        if violation["impact"] in SEVERE
        for node in violation["nodes"]
    ]


if __name__ == "__main__":
    print(ensure())
    sys.exit(0)
