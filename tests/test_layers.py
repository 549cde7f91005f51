"""Every package imports only from the layers below it.

Bottom to top: i18n; conversations; core; the public platform; bot and admin (side by side, the
admin application serving the public pages); incorruptible. The emulator stands apart and may use
only i18n.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("i18n", "conversations", "core", "bot", "admin", "public", "emulator", "incorruptible")
# What each package may import from the project's other packages.
ALLOWED = {
    "i18n": set(),
    "conversations": {"i18n"},
    "core": {"i18n", "conversations"},
    "bot": {"i18n", "conversations", "core"},
    "admin": {"i18n", "conversations", "core", "public"},
    "public": {"i18n", "conversations", "core"},
    "emulator": {"i18n"},
    "incorruptible": {"i18n", "conversations", "core", "bot", "admin", "public", "emulator"},
}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """The project packages a module's source imports, with the line of each import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in PACKAGES]
    return found


def upward_imports(package: str) -> list[str]:
    """Each import of ``package`` that reaches a package it may not use, as ``path:line name``."""
    offences = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in imported_packages(path.read_text()):
            target = name.split(".")[0]
            if target != package and target not in ALLOWED[package]:
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return offences


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_the_layers_below_it(package):
    assert upward_imports(package) == []


def test_an_upward_import_is_named_with_its_module_and_line(tmp_path, monkeypatch):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "leak.py").write_text("import os\n\nfrom bot.rendering import render\n")
    monkeypatch.setattr(__name__ + ".ROOT", tmp_path)
    assert upward_imports("core") == ["core/leak.py:3 imports bot.rendering"]
