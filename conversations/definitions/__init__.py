"""The definitions the product ships, one YAML file per definition, named by its id.

The methodology's surveys and interviews are here; ``forms/`` holds the dialogs of the
product's own features (a task's progress report, an absence), which are not launched as
campaigns.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from conversations.definition import Definition, load_definition

DIRECTORY = Path(__file__).resolve().parent
FORMS_DIRECTORY = DIRECTORY / "forms"


def builtin_ids() -> list[str]:
    return sorted(path.stem for path in DIRECTORY.glob("*.yaml"))


@cache
def load_builtin(definition_id: str) -> Definition:
    """The built-in definition with that id; KeyError if there is none."""
    if definition_id not in builtin_ids():
        raise KeyError(definition_id)
    return load_definition(DIRECTORY / f"{definition_id}.yaml")


def load_builtins() -> dict[str, Definition]:
    return {definition_id: load_builtin(definition_id) for definition_id in builtin_ids()}


@cache
def load_forms() -> dict[str, Definition]:
    """The dialogs of the product's features, by id."""
    return {path.stem: load_definition(path) for path in sorted(FORMS_DIRECTORY.glob("*.yaml"))}
