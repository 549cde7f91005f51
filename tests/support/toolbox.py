"""A small manual written to a folder: the seven steps and a first chapter of no step, each
with two sections in both languages, for tests that need a manual they can break."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from core.toolbox.manual import STEPS

FIRST = "inicio"


def entries() -> list[dict[str, Any]]:
    """The index's chapters: ``inicio`` (no step, no action), then one per step."""
    chapters: list[dict[str, Any]] = [
        {
            "id": FIRST,
            "step": None,
            "title": {"es": "Inicio", "en": "Start"},
            "summary": {"es": "Cómo empezar.", "en": "How to start."},
            "action": None,
        }
    ]
    for step in STEPS:
        chapters.append(
            {
                "id": step,
                "step": step,
                "title": {"es": step.capitalize(), "en": f"Step {step}"},
                "summary": {"es": f"Resumen de {step}.", "en": f"Summary of {step}."},
                "action": {
                    "kind": "command",
                    "target": "/tareas",
                    "label": {"es": "Ver mis tareas", "en": "See my tasks"},
                },
            }
        )
    return chapters


def text(entry: Mapping[str, Any], language: str) -> str:
    """A chapter's Markdown: its title, a lead, and sections "Uno" and "Dos", the first linking
    to the second section of the chapter ``problematica``."""
    return (
        f"# {entry['title'][language]}\n\n"
        f"Lead of {entry['id']}.\n\n"
        "## Uno\n\n"
        "Texto *uno* con [un enlace](problematica.md#dos) y [otro](https://example.org/x).\n\n"
        "## Dos\n\n"
        "- a\n- **b**\n"
    )


def write_manual(
    folder: Path,
    *,
    index: list[dict[str, Any]] | None = None,
    texts: Mapping[tuple[str, str], str | None] | None = None,
    version: int = 1,
) -> Path:
    """The manual in ``folder``; ``texts`` replaces a chapter's Markdown by (id, language), or
    leaves its file out with None."""
    chapters = entries() if index is None else index
    texts = texts or {}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chapters.yaml").write_text(
        yaml.safe_dump({"version": version, "chapters": chapters}, allow_unicode=True)
    )
    for language in ("es", "en"):
        (folder / language).mkdir(exist_ok=True)
        for entry in chapters:
            written = texts.get((entry["id"], language), text(entry, language))
            if written is not None:
                (folder / language / f"{entry['id']}.md").write_text(written)
    return folder
