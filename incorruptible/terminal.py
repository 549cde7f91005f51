"""A definition in the terminal, for survey authors: each step as text, and lines as input."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from conversations.engine.inputs import (
    COMMANDS,
    CommandInput,
    FileInput,
    Input,
    LocationInput,
    TextInput,
)
from conversations.engine.steps import Step


def render(step: Step) -> str:
    """A step as the terminal shows it: progress, prompt, choices and the commands allowed."""
    lines = []
    if step.total:
        lines.append(f"[{step.progress}/{step.total}]")
    lines.append(step.prompt())
    for choice in step.choices:
        mark = "[x] " if choice.selected else ""
        lines.append(f"  {choice.number}. {mark}{choice.label}")
    commands = [
        f"/{name}"
        for name, allowed in (
            ("done", step.can_done),
            ("back", step.can_back),
            ("skip", step.can_skip),
        )
        if allowed
    ]
    if step.expects == "file" or step.file_kinds:
        commands.append("/file PATH")
    if step.expects == "location":
        commands.append("/location LAT,LON")
    lines.append(f"({' '.join([*commands, '/cancel'])})")
    return "\n".join(lines)


def parse_line(line: str, step: Step) -> Input:
    """What a typed line means: a command, a file, a location, or text for the engine."""
    text = line.strip()
    command, _, rest = text.partition(" ")
    if command.startswith("/") and command[1:] in COMMANDS:
        return CommandInput(command[1:])
    if command == "/location":
        latitude, _, longitude = rest.replace(" ", "").partition(",")
        try:
            return LocationInput(float(latitude), float(longitude))
        except ValueError:
            return TextInput(rest)
    if command == "/file" and rest:
        path = Path(rest).expanduser()
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        kind = {"image": "photo", "audio": "voice", "video": "video"}.get(
            mime_type.split("/")[0], "document"
        )
        size = path.stat().st_size if path.is_file() else None
        return FileInput(kind, str(path), mime_type, size, path.name)
    return TextInput(line.rstrip("\n"))
