"""One person's progress through one definition, kept by the caller as plain JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# The position while consent is being asked (no question id starts with "@").
CONSENT = "@consent"
Status = Literal["active", "completed", "cancelled", "declined"]


def place(question_id: str, instance: Sequence[int] = ()) -> str:
    """A question in the instances of its repeats (numbered from 0, outermost first), as one
    string: ``name@1.0``; a question outside repeats is its id."""
    return f"{question_id}@{'.'.join(map(str, instance))}" if instance else question_id


def unplaced(key: str) -> str:
    """The question of a place."""
    return key.partition("@")[0]


class SessionState(BaseModel):
    """One person's progress through one definition; plain JSON when dumped."""

    model_config = ConfigDict(extra="ignore")

    definition_id: str
    definition_version: int
    language: str
    status: Status = "active"
    consent: str | None = None
    position: str | None = None
    # The instance of each repeat the position is in (see ``place``).
    instance: list[int] = Field(default_factory=list)
    answers: dict[str, Any] = Field(default_factory=dict)
    # The texts written under "other", by the place of their question.
    others: dict[str, str] = Field(default_factory=dict)
    draft: dict[str, Any] = Field(default_factory=dict)
    respondent: dict[str, Any] = Field(default_factory=dict)
    # The respondent's IANA time zone: "hoy", "mañana" and today() are dates there.
    time_zone: str | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any] | str | bytes) -> SessionState:
        if isinstance(data, str | bytes):
            return cls.model_validate_json(data)
        return cls.model_validate(data)
