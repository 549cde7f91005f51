"""Writes the shipped plan template: ``python -m admin.plan_template [PATH]``.

The API serves the same workbook at ``GET /plan-template.xlsx``; the columns are described in
``docs/plan-template.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.plans.spreadsheets.export import template_workbook

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / "plan_template.xlsx"


def main(path: Path = TEMPLATE_PATH) -> None:
    path.write_bytes(template_workbook())
    print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_PATH)
