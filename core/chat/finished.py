"""A conversation its last answer has just completed, as handed to what settles it.

Each kind of conversation is settled by the module that owns what it becomes (see
``endings``); this is all they are given, so they need nothing of the registry that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.engine.state import SessionState
from core.models import Person, ResponseSession


@dataclass(frozen=True)
class Finished:
    """A completed conversation, its answers, and who gave its last one."""

    response: ResponseSession
    state: SessionState
    answers: dict[str, Any]
    person: Person | None  # None while joining: the person is what it makes
    telegram_username: str | None
