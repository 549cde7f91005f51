"""For survey authors: check a definition, and answer it in the terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from conversations.definition import Definition

app = typer.Typer(
    help="Check and try survey, interview and form definitions.", no_args_is_help=True
)

FILE_ARGUMENT = typer.Argument(..., help="A definition: .yaml, .json or XLSForm .xlsx.")


def _load_or_exit(path: Path) -> Definition:
    return _imported_or_exit(path)[0]


def _imported_or_exit(path: Path) -> tuple[Definition, list[str]]:
    """The definition in the file and the warnings of an XLSForm, or every problem (exit 1)."""
    from conversations.definition import DefinitionError, load_definition
    from conversations.xlsform import beside, import_xlsform

    try:
        if path.suffix.lower() == ".xlsx":
            imported = import_xlsform(path.read_bytes(), str(path), beside(path))
            return imported.definition, imported.warnings
        return load_definition(path), []
    except OSError as error:
        typer.echo(f"{path}: cannot be read: {error}", err=True)
        raise typer.Exit(1) from None
    except DefinitionError as error:
        for problem in error.problems:
            typer.echo(problem, err=True)
        noun = "problem" if len(error.problems) == 1 else "problems"
        typer.echo(f"{len(error.problems)} {noun} found.", err=True)
        raise typer.Exit(1) from None


@app.command()
def check(
    path: Path = FILE_ARGUMENT,
    lang: str = typer.Option("es", "--lang", help="Language of the outline: es or en."),
) -> None:
    """Validate a definition; print its outline and any warnings, or every problem (exit 1)."""
    from conversations.outline import outline

    definition, warnings = _imported_or_exit(path)
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(outline(definition, lang))


@app.command("try")
def try_(
    path: Path = FILE_ARGUMENT,
    lang: str = typer.Option("es", "--lang", help="Language of the conversation: es or en."),
) -> None:
    """Answer a definition in the terminal (one answer per line); print the answers as JSON."""
    from conversations.engine.navigation import Engine
    from incorruptible.terminal import parse_line, render

    definition = _load_or_exit(path)
    engine = Engine(definition)
    state = engine.start(lang)
    step = engine.current(state)
    while state.status == "active":
        typer.echo(render(step))
        line = sys.stdin.readline()
        if not line:
            typer.echo("Input ended before the conversation did.", err=True)
            raise typer.Exit(1)
        outcome = engine.feed(state, parse_line(line, step))
        state, step = outcome.state, outcome.step
        if outcome.error:
            typer.echo(f"! {outcome.error}")
    typer.echo(step.prompt())
    result = {
        "definition": definition.id,
        "version": definition.version,
        "status": state.status,
        "answers": state.answers,
        "others": state.others,
    }
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
