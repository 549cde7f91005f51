"""What a person sends to a conversation: text, a button, a file, a location or a command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.answers import is_done_word

COMMANDS = ("back", "skip", "cancel", "done")


@dataclass(frozen=True, slots=True)
class TextInput:
    text: str


@dataclass(frozen=True, slots=True)
class ChoiceInput:
    choice_id: str


@dataclass(frozen=True, slots=True)
class FileInput:
    kind: str
    file_id: str
    mime_type: str | None
    size: int | None
    name: str | None = None

    def as_answer(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_id": self.file_id,
            "mime_type": self.mime_type,
            "size": self.size,
            "name": self.name,
        }


@dataclass(frozen=True, slots=True)
class LocationInput:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CommandInput:
    command: str


Input = TextInput | ChoiceInput | FileInput | LocationInput | CommandInput


def is_command(given: Input, command: str) -> bool:
    """Whether the input is that command."""
    return isinstance(given, CommandInput) and given.command == command


def is_done(given: Input) -> bool:
    """The done command, or a word like "listo" where a multi-part answer is being built."""
    return is_command(given, "done") or (isinstance(given, TextInput) and is_done_word(given.text))
