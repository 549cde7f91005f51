"""A definition in the terminal, for survey authors: its outline, and each step as text."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from conversations.definition import Definition, localize
from conversations.engine.inputs import (
    COMMANDS,
    CommandInput,
    FileInput,
    Input,
    LocationInput,
    TextInput,
)
from conversations.engine.steps import Step


def outline(definition: Definition, language: str = "es") -> str:
    """Questions, types, skip logic and choices, one block per question."""
    title = " / ".join(definition.title[code] for code in ("es", "en") if code in definition.title)
    lines = [f"{definition.id} v{definition.version} ({definition.kind}): {title}"]
    if definition.consent:
        lines.append(f"consent: version {definition.consent.version}")
    if definition.anonymous:
        kept = ", ".join(definition.respondent_attributes) or "none"
        lines.append(f"anonymous (respondent attributes kept: {kept})")
    lines.append(f"{len(definition.questions)} questions")
    for number, question in enumerate(definition.questions, 1):
        flags = [question.type]
        if question.asks:
            flags.append("required" if question.required else "optional")
        low, high = question.bounds()
        if question.type not in ("single_choice", "yes_no", "note", "calculate"):
            if low is not None:
                flags.append(f"min {low}")
            if high is not None:
                flags.append(f"max {high}")
        if question.max_length:
            flags.append(f"max length {question.max_length}")
        lines.append(f"{number:>3}. {question.id} [{', '.join(flags)}]")
        if question.text:
            lines.append(f"       {localize(question.text, language)}")
        for field in ("relevant", "constraint", "calculation"):
            if getattr(question, field):
                lines.append(f"       {field}: {getattr(question, field)}")
        for choice in question.choices or ():
            lines.append(f"       - {choice.id}: {localize(choice.label, language)}")
        if question.other:
            lines.append("       - other: (specify)")
    return "\n".join(lines)


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
